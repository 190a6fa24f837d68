import type { Charge, Consumption, Invoice, InvoiceQuery, Tax } from '../upstreams/scaleway/model.js';
import type { FocusRow } from './columns.js';
import { focusDecimal, focusExclusiveEnd, focusInstant, focusMoney, periodBounds } from './format.js';
import { isRecurringUnit, localityOf, pricingUnitOf, serviceCategoryOf, skuService } from './vocabulary.js';

/**
 * Scaleway rows as FOCUS rows (docs/focus.md has the table): consumption lines, tax lines and the
 * invoice discount at CONSUMPTION grain, raw FinOps charges at CHARGE grain. What the upstream does
 * not give is null, never made up; the fallbacks are the documented ones.
 */

export type FocusGrain = 'CONSUMPTION' | 'CHARGE';

const SCALEWAY = 'Scaleway';
/** The seller of Scaleway's invoices, when no invoice names it. */
const SELLER = 'Scaleway SAS';
/** What is always null here (no commitment, catalog or tag data). */
const ABSENT = {
  commitmentDiscountCategory: null,
  commitmentDiscountId: null,
  commitmentDiscountName: null,
  commitmentDiscountQuantity: null,
  commitmentDiscountStatus: null,
  commitmentDiscountType: null,
  commitmentDiscountUnit: null,
  contractedUnitPrice: null,
  listUnitPrice: null,
  resourceType: null,
  skuPriceDetails: null,
  tags: null,
  chargeClass: null,
  hostProviderName: SCALEWAY,
  providerName: SCALEWAY,
  publisherName: SCALEWAY,
  serviceProviderName: SCALEWAY,
  xListCostSource: 'billed',
} as const;

/** What every row of one organization's billing period shares: its bounds, its periodic invoices, its name. */
export interface PeriodFacts {
  organizationId: string;
  /** `YYYY-MM`. */
  billingPeriod: string;
  start: string;
  end: string;
  /** The period's periodic invoices (one per currency, usually one). */
  invoices: Invoice[];
  organizationName?: string;
}

/** The invoice list call that finds a period's periodic invoice: a day's margin before (the upstream's "after" may be strict), kept by period in {@link periodFacts}. */
export function periodicInvoiceQuery(organizationId: string, billingPeriod: string): InvoiceQuery {
  const { start, end } = periodBounds(billingPeriod);
  return {
    organizationId,
    startedAfter: new Date(Date.parse(start) - 86_400_000).toISOString(),
    startedBefore: new Date(Date.parse(end)).toISOString(),
    type: 'periodic',
    orderBy: 'start_date_asc',
  };
}

/** The facts of a period from the invoice list's rows: only periodic invoices of that very period. */
export function periodFacts(organizationId: string, billingPeriod: string, listed: Invoice[]): PeriodFacts {
  const invoices = listed.filter((i) => i.type === 'periodic' && (i.billingPeriod ?? i.startDate ?? '').startsWith(billingPeriod));
  return { organizationId, billingPeriod, ...periodBounds(billingPeriod), invoices, organizationName: invoices.find((i) => i.organizationName)?.organizationName };
}

const currencyOf = (invoice: Invoice) => invoice.totalTaxed?.currency ?? invoice.totalUntaxed?.currency;

/** The period's periodic invoice in a currency. */
function invoiceIn(facts: PeriodFacts, currency: string): Invoice | undefined {
  return facts.invoices.find((i) => currencyOf(i) === currency);
}

/** Columns of organization-level rows (tax, discounts). */
function periodRow(facts: PeriodFacts, invoice: Invoice | undefined) {
  return {
    ...ABSENT,
    billingAccountId: facts.organizationId,
    billingAccountName: facts.organizationName ?? null,
    billingPeriodStart: facts.start,
    billingPeriodEnd: facts.end,
    chargePeriodStart: facts.start,
    chargePeriodEnd: facts.end,
    invoiceId: invoice?.id ?? null,
    invoiceIssuerName: invoice?.sellerName ?? SELLER,
    subAccountId: null,
    subAccountName: null,
    resourceId: null,
    resourceName: null,
    regionId: null,
    regionName: null,
    availabilityZone: null,
    skuId: null,
    skuPriceId: null,
    skuMeter: null,
    pricingQuantity: null,
    pricingUnit: null,
    consumedQuantity: null,
    consumedUnit: null,
    pricingCategory: null,
    serviceCategory: 'Other',
    serviceSubcategory: 'Other (Other)',
    xUpdatedAt: null,
    xConsumerId: null,
    xPriceLabel: null,
    xClamped: null,
  } as const;
}

const dash = (...parts: (string | undefined | null)[]) => parts.filter((p) => p != null && p !== '').join(' – ') || null;

/** A consumption line: one project × SKU × currency of the period, its value before discounts. */
export function consumptionRow(c: Consumption, facts: PeriodFacts, updatedAt: string | undefined): FocusRow {
  const invoice = invoiceIn(facts, c.value.currency);
  const { category, subcategory } = serviceCategoryOf(c.categoryName, c.productName);
  const cost = focusMoney(c.value);
  const quantity = c.billedQuantity === undefined ? null : focusDecimal(c.billedQuantity);
  // PricingUnit is null exactly when the quantity is.
  const unit = quantity === null ? null : pricingUnitOf(c.unit ?? '') || null;
  return {
    ...ABSENT,
    billedCost: cost,
    effectiveCost: cost,
    listCost: cost,
    contractedCost: cost,
    billingAccountId: facts.organizationId,
    billingAccountName: c.organizationName ?? facts.organizationName ?? null,
    billingCurrency: c.value.currency,
    billingPeriodStart: facts.start,
    billingPeriodEnd: facts.end,
    chargePeriodStart: facts.start,
    chargePeriodEnd: facts.end,
    chargeCategory: 'Usage',
    chargeDescription: dash(c.productName, c.resourceName),
    chargeFrequency: isRecurringUnit(c.unit) ? 'Recurring' : 'Usage-Based',
    invoiceId: invoice?.id ?? null,
    invoiceIssuerName: invoice?.sellerName ?? SELLER,
    pricingCategory: 'Standard',
    pricingQuantity: unit === null ? null : quantity,
    pricingUnit: unit,
    consumedQuantity: unit === null ? null : quantity,
    consumedUnit: unit,
    ...localityOf(c.sku),
    resourceId: null,
    resourceName: null,
    serviceCategory: category,
    serviceSubcategory: subcategory,
    serviceName: c.productName || c.categoryName || skuService(c.sku) || 'Unknown',
    skuId: c.sku ?? null,
    skuPriceId: c.sku ?? null,
    skuMeter: c.unit ?? null,
    subAccountId: c.projectId ?? null,
    subAccountName: c.projectName ?? null,
    xUpdatedAt: updatedAt === undefined ? null : focusInstant(updatedAt),
    xSource: 'billing.consumptions',
    xConsumerId: c.consumerId ?? null,
    xPriceLabel: c.resourceName ?? null,
    xClamped: null,
  };
}

/** A tax line of the period: organization-level, no quantity and no SKU, as FOCUS asks of tax. */
export function taxRow(t: Tax, facts: PeriodFacts): FocusRow {
  const cost = focusDecimal(t.totalTaxValue);
  return {
    ...periodRow(facts, invoiceIn(facts, t.currency)),
    billedCost: cost,
    effectiveCost: cost,
    listCost: cost,
    contractedCost: cost,
    billingCurrency: t.currency,
    chargeCategory: 'Tax',
    chargeDescription: t.description || 'Tax',
    chargeFrequency: 'Recurring',
    serviceName: 'Tax',
    xSource: 'billing.taxes',
  };
}

/** The discount of each periodic invoice that has one (`total_discount`, negative): a Credit row. */
export function creditRows(facts: PeriodFacts): FocusRow[] {
  return facts.invoices.flatMap((invoice): FocusRow[] => {
    const discount = invoice.totalDiscount;
    if (!discount || discount.amount.isZero()) return [];
    const cost = focusMoney(discount);
    return [
      {
        ...periodRow(facts, invoice),
        billedCost: cost,
        effectiveCost: cost,
        listCost: cost,
        contractedCost: cost,
        billingCurrency: discount.currency,
        chargeCategory: 'Credit',
        chargeDescription: `Discounts of billing period ${facts.billingPeriod}`,
        chargeFrequency: 'One-Time',
        serviceName: 'Discount',
        xSource: 'billing.invoices',
      },
    ];
  });
}

/** What comes after the consumption lines at CONSUMPTION grain: the tax lines, then the discounts. */
export function periodRows(facts: PeriodFacts, taxes: Tax[]): FocusRow[] {
  return [...taxes.map((t) => taxRow(t, facts)), ...creditRows(facts)];
}

/** What the month's consumption tells of a SKU, for charges (which name no product, category or unit). */
export type SkuFacts = ReadonlyMap<string, Pick<Consumption, 'productName' | 'categoryName' | 'unit'>>;

export function skuFacts(rows: Iterable<Consumption>): SkuFacts {
  const bySku = new Map<string, Pick<Consumption, 'productName' | 'categoryName' | 'unit'>>();
  for (const c of rows) {
    if (c.sku && !bySku.has(c.sku)) bySku.set(c.sku, { productName: c.productName, categoryName: c.categoryName, unit: c.unit });
  }
  return bySku;
}

/**
 * A raw FinOps charge. FOCUS-shaped, with the documented deviations: no quantity (PricingQuantity
 * and ConsumedQuantity null on a Usage row), no list price. Its service is the product of the same
 * SKU in the month's consumption, else the SKU's first path segment (category `Other`).
 */
export function chargeRow(c: Charge, organizationId: string, skus: SkuFacts, clamped: boolean): FocusRow {
  const known = c.sku === undefined ? undefined : skus.get(c.sku);
  const { category, subcategory } = known ? serviceCategoryOf(known.categoryName, known.productName) : serviceCategoryOf(undefined, undefined);
  const service = known?.productName || known?.categoryName || skuService(c.sku) || 'Unknown';
  const cost = focusMoney(c.price);
  const start = focusInstant(c.startDate);
  const period = periodBounds(start.slice(0, 7));
  return {
    ...ABSENT,
    billedCost: cost,
    effectiveCost: cost,
    listCost: cost,
    contractedCost: cost,
    billingAccountId: c.organizationId?.toLowerCase() ?? organizationId,
    billingAccountName: c.organizationName ?? null,
    billingCurrency: c.price.currency,
    billingPeriodStart: period.start,
    billingPeriodEnd: period.end,
    chargePeriodStart: start,
    chargePeriodEnd: focusExclusiveEnd(c.endDate),
    chargeCategory: 'Usage',
    chargeDescription: dash(known?.productName ?? skuService(c.sku), c.resourceName ?? c.resourceId),
    chargeFrequency: 'Usage-Based',
    invoiceId: c.invoiceId || null,
    invoiceIssuerName: SELLER,
    pricingCategory: 'Standard',
    pricingQuantity: null,
    pricingUnit: null,
    consumedQuantity: null,
    consumedUnit: null,
    ...localityOf(c.sku),
    resourceId: c.resourceId ?? null,
    resourceName: c.resourceName ?? null,
    serviceCategory: category,
    serviceSubcategory: subcategory,
    serviceName: service,
    skuId: c.sku ?? null,
    skuPriceId: c.sku ?? null,
    skuMeter: known?.unit ?? null,
    subAccountId: c.projectId ?? null,
    subAccountName: c.projectName ?? null,
    xUpdatedAt: c.updatedAt === undefined ? null : focusInstant(c.updatedAt),
    xSource: 'finops.charges',
    xConsumerId: null,
    xPriceLabel: null,
    xClamped: clamped,
  };
}
