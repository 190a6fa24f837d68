/**
 * The FOCUS 1.3 Cost and Usage columns this gateway emits (docs/focus.md): the 23 Mandatory ones,
 * the Conditional and Recommended ones that apply to Scaleway, and the gateway's own `x_` columns.
 * One table for the GraphQL type (field names in camelCase) and the CSV (FOCUS names, in this order:
 * FOCUS columns A to Z, then the `x_` ones).
 */

/** A FOCUS row, every value already in its FOCUS form: decimals and date/times as text, nulls as null. */
export interface FocusRow {
  availabilityZone: string | null;
  billedCost: string;
  billingAccountId: string;
  billingAccountName: string | null;
  billingCurrency: string;
  billingPeriodEnd: string;
  billingPeriodStart: string;
  chargeCategory: ChargeCategory;
  chargeClass: 'Correction' | null;
  chargeDescription: string | null;
  chargeFrequency: ChargeFrequency;
  chargePeriodEnd: string;
  chargePeriodStart: string;
  commitmentDiscountCategory: string | null;
  commitmentDiscountId: string | null;
  commitmentDiscountName: string | null;
  commitmentDiscountQuantity: string | null;
  commitmentDiscountStatus: string | null;
  commitmentDiscountType: string | null;
  commitmentDiscountUnit: string | null;
  consumedQuantity: string | null;
  consumedUnit: string | null;
  contractedCost: string;
  contractedUnitPrice: string | null;
  effectiveCost: string;
  hostProviderName: string;
  invoiceId: string | null;
  invoiceIssuerName: string;
  listCost: string;
  listUnitPrice: string | null;
  pricingCategory: 'Standard' | null;
  pricingQuantity: string | null;
  pricingUnit: string | null;
  providerName: string;
  publisherName: string;
  regionId: string | null;
  regionName: string | null;
  resourceId: string | null;
  resourceName: string | null;
  resourceType: string | null;
  serviceCategory: ServiceCategory;
  serviceName: string;
  serviceProviderName: string;
  serviceSubcategory: string;
  skuId: string | null;
  skuMeter: string | null;
  skuPriceDetails: string | null;
  skuPriceId: string | null;
  subAccountId: string | null;
  subAccountName: string | null;
  tags: string | null;
  xUpdatedAt: string | null;
  xSource: FocusSource;
  xConsumerId: string | null;
  xPriceLabel: string | null;
  xListCostSource: 'billed';
  xClamped: boolean | null;
}

export type ChargeCategory = 'Usage' | 'Purchase' | 'Tax' | 'Credit' | 'Adjustment';
export type ChargeFrequency = 'One-Time' | 'Recurring' | 'Usage-Based';

/** FOCUS 1.2/1.3's 19 service categories. */
export const SERVICE_CATEGORIES = [
  'AI and Machine Learning',
  'Analytics',
  'Business Applications',
  'Compute',
  'Databases',
  'Developer Tools',
  'Multicloud',
  'Identity',
  'Integration',
  'Internet of Things',
  'Management and Governance',
  'Media',
  'Migration',
  'Mobile',
  'Networking',
  'Security',
  'Storage',
  'Web',
  'Other',
] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

/** Where a row comes from (`x_Source`). */
export type FocusSource = 'billing.consumptions' | 'billing.taxes' | 'billing.invoices' | 'finops.charges';

/** How a column's values are written: decimals and date/times as FOCUS text, JSON as object text. */
export type ColumnType = 'Decimal' | 'String' | 'DateTime' | 'Boolean' | 'JSON';

export interface FocusColumn {
  /** The FOCUS column name (the CSV header). */
  name: string;
  type: ColumnType;
  /** Whether the gateway may answer null in it (the GraphQL field's nullability). */
  nullable: boolean;
  /** FOCUS 1.3's feature level of the column; `Custom` for the gateway's `x_` columns. */
  level: 'Mandatory' | 'Conditional' | 'Recommended' | 'Custom';
  /** What the column holds here (the GraphQL description follows the FOCUS name). */
  description: string;
}

const col = (name: string, type: ColumnType, nullable: boolean, level: FocusColumn['level'], description: string): FocusColumn => ({ name, type, nullable, level, description });
const NULL_COMMITMENT = 'Always null: Scaleway exposes no commitment (savings plan) coverage per row.';

/** Every column, in CSV order (the object's key order): FOCUS columns A to Z, then `x_` ones. */
export const FOCUS_COLUMNS: { readonly [K in keyof FocusRow]: FocusColumn } = {
  availabilityZone: col('AvailabilityZone', 'String', true, 'Recommended', 'The zone (`fr-par-2`), read from the end of the SKU when it names one; null otherwise.'),
  billedCost: col('BilledCost', 'Decimal', false, 'Mandatory', 'What is invoiced: the consumption value (before discounts), the FinOps charge price, the tax line, or the invoice discount (negative).'),
  billingAccountId: col('BillingAccountId', 'String', false, 'Mandatory', 'The Scaleway organization id.'),
  billingAccountName: col('BillingAccountName', 'String', true, 'Mandatory', 'The organization name, when the upstream sends it (consumption and charge rows since 2026-07, else the invoice).'),
  billingCurrency: col('BillingCurrency', 'String', false, 'Mandatory', 'ISO 4217 currency of the costs.'),
  billingPeriodEnd: col('BillingPeriodEnd', 'DateTime', false, 'Mandatory', 'First instant of the month after the billing period (exclusive end).'),
  billingPeriodStart: col('BillingPeriodStart', 'DateTime', false, 'Mandatory', 'First instant of the billing period (a UTC month).'),
  chargeCategory: col('ChargeCategory', 'String', false, 'Mandatory', '`Usage` (consumption, charges), `Tax` (tax lines, and the tax of a purchase invoice or credit note), `Credit` (invoice discounts, credit notes), `Purchase` (purchase invoices), `Adjustment` (an invoice of a type the gateway does not know).'),
  chargeClass: col('ChargeClass', 'String', true, 'Mandatory', '`Correction` on a credit note’s rows (its untaxed total and its tax: a credit note amends what was invoiced); else null.'),
  chargeDescription: col('ChargeDescription', 'String', true, 'Mandatory', '"product – price label" (consumption), "product – resource" (charges), the tax line, or the discount.'),
  chargeFrequency: col('ChargeFrequency', 'String', false, 'Recommended', '`Recurring` for units `plan` and `month` and for the periodic tax lines, `One-Time` for discounts, purchase invoices, credit notes and their taxes, else `Usage-Based`.'),
  chargePeriodEnd: col('ChargePeriodEnd', 'DateTime', false, 'Mandatory', 'Exclusive end: the next month (consumption, tax, discount), or the charge end plus 1 µs rounded up to the second.'),
  chargePeriodStart: col('ChargePeriodStart', 'DateTime', false, 'Mandatory', 'The billing period start (consumption, tax, discount), or the charge start truncated to the second.'),
  commitmentDiscountCategory: col('CommitmentDiscountCategory', 'String', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountId: col('CommitmentDiscountId', 'String', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountName: col('CommitmentDiscountName', 'String', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountQuantity: col('CommitmentDiscountQuantity', 'Decimal', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountStatus: col('CommitmentDiscountStatus', 'String', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountType: col('CommitmentDiscountType', 'String', true, 'Conditional', NULL_COMMITMENT),
  commitmentDiscountUnit: col('CommitmentDiscountUnit', 'String', true, 'Conditional', NULL_COMMITMENT),
  consumedQuantity: col('ConsumedQuantity', 'Decimal', true, 'Conditional', 'The billed quantity of a consumption row (= PricingQuantity); null for charges (FinOps has no quantity) and for tax and discounts.'),
  consumedUnit: col('ConsumedUnit', 'String', true, 'Conditional', 'Unit of ConsumedQuantity (= PricingUnit).'),
  contractedCost: col('ContractedCost', 'Decimal', false, 'Mandatory', '= ListCost: the API exposes no negotiated prices.'),
  contractedUnitPrice: col('ContractedUnitPrice', 'Decimal', true, 'Conditional', 'Always null: no unit price is exposed (the product catalog is not read).'),
  effectiveCost: col('EffectiveCost', 'Decimal', false, 'Mandatory', '= BilledCost: nothing is amortised (savings plans are billed monthly with their discount inside).'),
  hostProviderName: col('HostProviderName', 'String', false, 'Mandatory', '`Scaleway`.'),
  invoiceId: col('InvoiceId', 'String', true, 'Recommended', "The invoice: the period's periodic invoice in the row's currency (consumption, tax lines, discount), the purchase invoice or credit note the row is of, or the charge's `invoice_id`; null when there is none."),
  invoiceIssuerName: col('InvoiceIssuerName', 'String', false, 'Mandatory', "The invoice's `seller_name`, else `Scaleway SAS`."),
  listCost: col('ListCost', 'Decimal', false, 'Mandatory', '= BilledCost (list prices are not read: `x_ListCostSource` says `billed`).'),
  listUnitPrice: col('ListUnitPrice', 'Decimal', true, 'Conditional', 'Always null: list prices need the product catalog, which the gateway does not read.'),
  pricingCategory: col('PricingCategory', 'String', true, 'Conditional', '`Standard` for usage; null for tax and discounts.'),
  pricingQuantity: col('PricingQuantity', 'Decimal', true, 'Mandatory', "The consumption row's billed quantity; null for charges and purchase invoices (documented deviations: neither gives a quantity), tax, discounts and credit notes."),
  pricingUnit: col('PricingUnit', 'String', true, 'Mandatory', 'The unit of PricingQuantity in FOCUS form (`minute` → `Minutes`); null exactly when PricingQuantity is.'),
  providerName: col('ProviderName', 'String', false, 'Mandatory', '`Scaleway` (deprecated in FOCUS 1.3, still Mandatory).'),
  publisherName: col('PublisherName', 'String', false, 'Mandatory', '`Scaleway` (deprecated in FOCUS 1.3, still Mandatory).'),
  regionId: col('RegionId', 'String', true, 'Conditional', 'The region (`fr-par`), read from the end of the SKU when it names a known one; null otherwise.'),
  regionName: col('RegionName', 'String', true, 'Conditional', 'The region’s city (`Paris`); null when RegionId is.'),
  resourceId: col('ResourceId', 'String', true, 'Conditional', "The charge's `resource_id`; null for consumption (it has no resources), tax and discounts."),
  resourceName: col('ResourceName', 'String', true, 'Conditional', "The charge's `resource_name`, when the product sends it."),
  resourceType: col('ResourceType', 'String', true, 'Conditional', 'Always null: no resource type is exposed.'),
  serviceCategory: col('ServiceCategory', 'String', false, 'Mandatory', 'One of the 19 FOCUS categories, mapped from the Scaleway category (`Other` for tax and discounts).'),
  serviceName: col('ServiceName', 'String', false, 'Mandatory', 'The product (`product_name`; for charges the product of the same SKU in the month’s consumption, else the SKU’s first path segment); `Tax`, `Discount`, `Purchase` and `Credit Note` for those rows.'),
  serviceProviderName: col('ServiceProviderName', 'String', false, 'Mandatory', '`Scaleway`.'),
  serviceSubcategory: col('ServiceSubcategory', 'String', false, 'Recommended', 'The FOCUS subcategory mapped with the category (`Other (Other)` when none fits).'),
  skuId: col('SkuId', 'String', true, 'Conditional', 'The Scaleway SKU (`/compute/pro2_xxs/run_fr-par-2`); null for tax and discounts.'),
  skuMeter: col('SkuMeter', 'String', true, 'Conditional', 'The upstream unit the SKU is metered in (`minute`); for charges from the same SKU in the month’s consumption.'),
  skuPriceDetails: col('SkuPriceDetails', 'JSON', true, 'Conditional', 'Always null: no price details are exposed.'),
  skuPriceId: col('SkuPriceId', 'String', true, 'Conditional', '= SkuId (FOCUS allows them to be equal).'),
  subAccountId: col('SubAccountId', 'String', true, 'Conditional', 'The project id; null for tax and discounts (organization-level).'),
  subAccountName: col('SubAccountName', 'String', true, 'Conditional', 'The project name.'),
  tags: col('Tags', 'JSON', true, 'Conditional', 'Always null: billing data carries no tags.'),
  xUpdatedAt: col('x_UpdatedAt', 'DateTime', true, 'Custom', 'When Scaleway last computed the row (to the second); null for tax and discounts.'),
  xSource: col('x_Source', 'String', false, 'Custom', 'Where the row comes from: `billing.consumptions`, `billing.taxes`, `billing.invoices` (discounts, purchase invoices, credit notes and their taxes) or `finops.charges`.'),
  xConsumerId: col('x_ConsumerId', 'String', true, 'Custom', "The consumption row's `consumer_id` (organization of the consumer)."),
  xPriceLabel: col('x_PriceLabel', 'String', true, 'Custom', "The consumption row's `resource_name`, a price label (`PRO2-XS - FR-PAR-1`), not a resource."),
  xListCostSource: col('x_ListCostSource', 'String', false, 'Custom', 'How ListCost was found: `billed` (= BilledCost, no list price read).'),
  xClamped: col('x_Clamped', 'Boolean', true, 'Custom', 'Charges: whether the charge was cut to the window (always false: the export reads charges unclamped); null for other rows.'),
};

/** The fields of a row in CSV order. */
export const FOCUS_FIELDS = Object.keys(FOCUS_COLUMNS) as (keyof FocusRow)[];
