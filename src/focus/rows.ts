import { UpstreamBadResponseError } from '../upstreams/errors.js';
import type { Charge, Consumption, Invoice, InvoiceQuery, Tax } from '../upstreams/scaleway/model.js';
import type { FocusRow } from './columns.js';
import { focusDecimal, focusExclusiveEnd, focusInstant, focusMoney, periodBounds } from './format.js';
import { isRecurringUnit, localityOf, pricingUnitOf, serviceCategoryOf, skuService } from './vocabulary.js';

/**
 * Scaleway rows as FOCUS rows (docs/focus.md has the table): consumption lines, tax lines, the
 * invoice discount and the month's purchase invoices and credit notes at CONSUMPTION grain, raw FinOps charges at CHARGE grain. What the upstream does
 * not give is null, never made up; the fallbacks are the documented ones.
 */

export type FocusGrain = 'CONSUMPTION' | 'CHARGE';

const SCALEWAY = 'Scaleway';
/** The seller of Scaleway's invoices, when no invoice names it. */
const SELLER = 'Scaleway SAS';

/** The columns that differ between rows; the others are the same on every row (no commitment, catalog or tag data). */
type Varying = Omit<
  FocusRow,
  | `commitmentDiscount${string}`
  | 'contractedUnitPrice'
  | 'listUnitPrice'
  | 'resourceType'
  | 'skuPriceDetails'
  | 'tags'
  | `${'host' | 'service' | ''}ProviderName`
  | 'providerName'
  | 'publisherName'
  | 'xListCostSource'
  | 'effectiveCost'
  | 'listCost'
  | 'contractedCost'
  | 'skuPriceId'
>;

/**
 * A row, as one object literal with every column: V8 gives all rows one shape. (Built with object
 * spreads, each row became a dictionary: 70 µs a row, most of an export's time.)
 */
function row(v: Varying): FocusRow {
  return {
    availabilityZone: v.availabilityZone,
    billedCost: v.billedCost,
    billingAccountId: v.billingAccountId,
    billingAccountName: v.billingAccountName,
    billingCurrency: v.billingCurrency,
    billingPeriodEnd: v.billingPeriodEnd,
    billingPeriodStart: v.billingPeriodStart,
    chargeCategory: v.chargeCategory,
    chargeClass: v.chargeClass,
    chargeDescription: v.chargeDescription,
    chargeFrequency: v.chargeFrequency,
    chargePeriodEnd: v.chargePeriodEnd,
    chargePeriodStart: v.chargePeriodStart,
    commitmentDiscountCategory: null,
    commitmentDiscountId: null,
    commitmentDiscountName: null,
    commitmentDiscountQuantity: null,
    commitmentDiscountStatus: null,
    commitmentDiscountType: null,
    commitmentDiscountUnit: null,
    consumedQuantity: v.consumedQuantity,
    consumedUnit: v.consumedUnit,
    // No negotiated prices and no amortisation: every cost is the billed one (docs/focus.md).
    contractedCost: v.billedCost,
    contractedUnitPrice: null,
    effectiveCost: v.billedCost,
    hostProviderName: SCALEWAY,
    invoiceId: v.invoiceId,
    invoiceIssuerName: v.invoiceIssuerName,
    listCost: v.billedCost,
    listUnitPrice: null,
    pricingCategory: v.pricingCategory,
    pricingQuantity: v.pricingQuantity,
    pricingUnit: v.pricingUnit,
    providerName: SCALEWAY,
    publisherName: SCALEWAY,
    regionId: v.regionId,
    regionName: v.regionName,
    resourceId: v.resourceId,
    resourceName: v.resourceName,
    resourceType: null,
    serviceCategory: v.serviceCategory,
    serviceName: v.serviceName,
    serviceProviderName: SCALEWAY,
    serviceSubcategory: v.serviceSubcategory,
    skuId: v.skuId,
    skuMeter: v.skuMeter,
    skuPriceDetails: null,
    skuPriceId: v.skuId,
    subAccountId: v.subAccountId,
    subAccountName: v.subAccountName,
    tags: null,
    xUpdatedAt: v.xUpdatedAt,
    xSource: v.xSource,
    xConsumerId: v.xConsumerId,
    xPriceLabel: v.xPriceLabel,
    xListCostSource: 'billed',
    xClamped: v.xClamped,
  };
}

/** What every row of one organization's billing period shares: its bounds, its invoices, its name. */
export interface PeriodFacts {
  organizationId: string;
  /** `YYYY-MM`. */
  billingPeriod: string;
  start: string;
  end: string;
  /** The period's periodic invoices (one per currency, usually one). */
  invoices: Invoice[];
  /** The period's other invoices (purchases, credit notes), in the list's order. */
  others: Invoice[];
  organizationName?: string;
}

/**
 * The invoice list call that finds a period's invoices, every type: a day's margin before (the
 * upstream's "after" may be strict), kept by period in {@link periodFacts}.
 */
export function periodInvoiceQuery(organizationId: string, billingPeriod: string): InvoiceQuery {
  const { start, end } = periodBounds(billingPeriod);
  return {
    organizationId,
    startedAfter: new Date(Date.parse(start) - 86_400_000).toISOString(),
    startedBefore: new Date(Date.parse(end)).toISOString(),
    orderBy: 'start_date_asc',
  };
}

/** The facts of a period from the invoice list's rows: only invoices of that very period, the periodic ones apart. */
export function periodFacts(organizationId: string, billingPeriod: string, listed: Invoice[]): PeriodFacts {
  const mine = listed.filter((i) => (i.billingPeriod ?? i.startDate ?? '').startsWith(billingPeriod));
  const invoices = mine.filter((i) => i.type === 'periodic');
  const others = mine.filter((i) => i.type !== 'periodic');
  return { organizationId, billingPeriod, ...periodBounds(billingPeriod), invoices, others, organizationName: [...invoices, ...others].find((i) => i.organizationName)?.organizationName };
}

const currencyOf = (invoice: Invoice) => invoice.totalTaxed?.currency ?? invoice.totalUntaxed?.currency;

/** The period's periodic invoice in a currency. */
function invoiceIn(facts: PeriodFacts, currency: string): Invoice | undefined {
  return facts.invoices.find((i) => currencyOf(i) === currency);
}

/** An organization-level row of the period (a tax line, a discount): no project, SKU, quantity or place. */
function periodRow(
  facts: PeriodFacts,
  invoice: Invoice | undefined,
  v: Pick<Varying, 'billedCost' | 'billingCurrency' | 'chargeCategory' | 'chargeDescription' | 'chargeFrequency' | 'serviceName' | 'xSource'> & { chargeClass?: 'Correction' | null },
): FocusRow {
  return row({
    availabilityZone: null,
    billedCost: v.billedCost,
    billingAccountId: facts.organizationId,
    billingAccountName: invoice?.organizationName ?? facts.organizationName ?? null,
    billingCurrency: v.billingCurrency,
    billingPeriodEnd: facts.end,
    billingPeriodStart: facts.start,
    chargeCategory: v.chargeCategory,
    chargeClass: v.chargeClass ?? null,
    chargeDescription: v.chargeDescription,
    chargeFrequency: v.chargeFrequency,
    chargePeriodEnd: facts.end,
    chargePeriodStart: facts.start,
    consumedQuantity: null,
    consumedUnit: null,
    invoiceId: invoice?.id ?? null,
    invoiceIssuerName: invoice?.sellerName ?? SELLER,
    pricingCategory: null,
    pricingQuantity: null,
    pricingUnit: null,
    regionId: null,
    regionName: null,
    resourceId: null,
    resourceName: null,
    serviceCategory: 'Other',
    serviceName: v.serviceName,
    serviceSubcategory: 'Other (Other)',
    skuId: null,
    skuMeter: null,
    subAccountId: null,
    subAccountName: null,
    xUpdatedAt: null,
    xSource: v.xSource,
    xConsumerId: null,
    xPriceLabel: null,
    xClamped: null,
  });
}

const dash = (...parts: (string | undefined | null)[]) => parts.filter((p) => p != null && p !== '').join(' – ') || null;

/** A consumption line: one project × SKU × currency of the period, its value before discounts. */
export function consumptionRow(c: Consumption, facts: PeriodFacts, updatedAt: string | undefined): FocusRow {
  const invoice = invoiceIn(facts, c.value.currency);
  const { category, subcategory } = serviceCategoryOf(c.categoryName, c.productName);
  const place = localityOf(c.sku);
  const quantity = c.billedQuantity === undefined ? null : focusDecimal(c.billedQuantity);
  // PricingUnit is null exactly when the quantity is.
  const unit = quantity === null ? null : pricingUnitOf(c.unit ?? '') || null;
  return row({
    availabilityZone: place.availabilityZone,
    billedCost: focusMoney(c.value),
    billingAccountId: facts.organizationId,
    billingAccountName: c.organizationName ?? facts.organizationName ?? null,
    billingCurrency: c.value.currency,
    billingPeriodEnd: facts.end,
    billingPeriodStart: facts.start,
    chargeCategory: 'Usage',
    chargeClass: null,
    chargeDescription: dash(c.productName, c.resourceName),
    chargeFrequency: isRecurringUnit(c.unit) ? 'Recurring' : 'Usage-Based',
    chargePeriodEnd: facts.end,
    chargePeriodStart: facts.start,
    consumedQuantity: unit === null ? null : quantity,
    consumedUnit: unit,
    invoiceId: invoice?.id ?? null,
    invoiceIssuerName: invoice?.sellerName ?? SELLER,
    pricingCategory: 'Standard',
    pricingQuantity: unit === null ? null : quantity,
    pricingUnit: unit,
    regionId: place.regionId,
    regionName: place.regionName,
    resourceId: null,
    resourceName: null,
    serviceCategory: category,
    serviceName: c.productName || c.categoryName || skuService(c.sku) || 'Unknown',
    serviceSubcategory: subcategory,
    skuId: c.sku ?? null,
    skuMeter: c.unit ?? null,
    subAccountId: c.projectId ?? null,
    subAccountName: c.projectName ?? null,
    xUpdatedAt: updatedAt === undefined ? null : focusInstant(updatedAt),
    xSource: 'billing.consumptions',
    xConsumerId: c.consumerId ?? null,
    xPriceLabel: c.resourceName ?? null,
    xClamped: null,
  });
}

/** A tax line of the period: organization-level, no quantity and no SKU, as FOCUS asks of tax. */
export function taxRow(t: Tax, facts: PeriodFacts): FocusRow {
  return periodRow(facts, invoiceIn(facts, t.currency), {
    billedCost: focusDecimal(t.totalTaxValue),
    billingCurrency: t.currency,
    chargeCategory: 'Tax',
    chargeDescription: t.description || 'Tax',
    chargeFrequency: 'Recurring',
    serviceName: 'Tax',
    xSource: 'billing.taxes',
  });
}

/** The discount of each periodic invoice that has one (`total_discount`, negative): a Credit row. */
export function creditRows(facts: PeriodFacts): FocusRow[] {
  return facts.invoices.flatMap((invoice): FocusRow[] => {
    const discount = invoice.totalDiscount;
    if (!discount || discount.amount.isZero()) return [];
    return [
      periodRow(facts, invoice, {
        billedCost: focusMoney(discount),
        billingCurrency: discount.currency,
        chargeCategory: 'Credit',
        chargeDescription: `Discounts of billing period ${facts.billingPeriod}`,
        chargeFrequency: 'One-Time',
        serviceName: 'Discount',
        xSource: 'billing.invoices',
      }),
    ];
  });
}

/** How a non-periodic invoice is exported: its ChargeCategory, ChargeClass, ServiceName and description. */
const KINDS = {
  purchase: { chargeCategory: 'Purchase', chargeClass: null, serviceName: 'Purchase', what: 'Purchase invoice' },
  // A credit note amends what an invoice billed: a Correction.
  credit_note: { chargeCategory: 'Credit', chargeClass: 'Correction', serviceName: 'Credit Note', what: 'Credit note' },
  // A type this gateway does not know (v2beta1 sends none today): an Adjustment, named as what it is.
  unknown: { chargeCategory: 'Adjustment', chargeClass: null, serviceName: 'Invoice', what: 'Invoice of unknown type' },
} as const;

/**
 * A purchase invoice or a credit note of the period: one row for its untaxed total (Purchase, or a
 * Credit that corrects), and one Tax row for its `total_tax` when non-zero, both on that invoice, so
 * that they sum to its `total_taxed`. The invoice list gives totals only: no quantity, unit, SKU,
 * project or place (null, the documented deviation for Purchase rows).
 */
export function invoiceRows(invoice: Invoice, facts: PeriodFacts): FocusRow[] {
  if (invoice.type === 'periodic') return [];
  const kind = KINDS[invoice.type];
  const untaxed = invoice.totalUntaxed;
  if (!untaxed) throw new UpstreamBadResponseError(`scaleway listed ${kind.what.toLowerCase()} ${invoice.id} without its total_untaxed`, { upstream: 'scaleway' });
  const named = invoice.number === undefined ? kind.what : `${kind.what} ${invoice.number}`;
  const rows = [
    periodRow(facts, invoice, {
      billedCost: focusMoney(untaxed),
      billingCurrency: untaxed.currency,
      chargeCategory: kind.chargeCategory,
      chargeClass: kind.chargeClass,
      chargeDescription: named,
      chargeFrequency: 'One-Time',
      serviceName: kind.serviceName,
      xSource: 'billing.invoices',
    }),
  ];
  const tax = invoice.totalTax;
  if (tax && !tax.amount.isZero()) {
    rows.push(
      periodRow(facts, invoice, {
        billedCost: focusMoney(tax),
        billingCurrency: tax.currency,
        chargeCategory: 'Tax',
        chargeClass: kind.chargeClass,
        chargeDescription: `Tax of ${named.charAt(0).toLowerCase()}${named.slice(1)}`,
        chargeFrequency: 'One-Time',
        serviceName: 'Tax',
        xSource: 'billing.invoices',
      }),
    );
  }
  return rows;
}

/** What comes after the consumption lines at CONSUMPTION grain: the tax lines, the discounts, then the other invoices' rows. */
export function periodRows(facts: PeriodFacts, taxes: Tax[]): FocusRow[] {
  return [...taxes.map((t) => taxRow(t, facts)), ...creditRows(facts), ...facts.others.flatMap((i) => invoiceRows(i, facts))];
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
  const place = localityOf(c.sku);
  const start = instantOf(c.startDate);
  const period = periodOf(start);
  return row({
    availabilityZone: place.availabilityZone,
    billedCost: focusMoney(c.price),
    billingAccountId: c.organizationId?.toLowerCase() ?? organizationId,
    billingAccountName: c.organizationName ?? null,
    billingCurrency: c.price.currency,
    billingPeriodEnd: period.end,
    billingPeriodStart: period.start,
    chargeCategory: 'Usage',
    chargeClass: null,
    chargeDescription: dash(known?.productName ?? skuService(c.sku), c.resourceName ?? c.resourceId),
    chargeFrequency: 'Usage-Based',
    chargePeriodEnd: exclusiveEndOf(c.endDate),
    chargePeriodStart: start,
    consumedQuantity: null,
    consumedUnit: null,
    invoiceId: c.invoiceId || null,
    invoiceIssuerName: SELLER,
    pricingCategory: 'Standard',
    pricingQuantity: null,
    pricingUnit: null,
    regionId: place.regionId,
    regionName: place.regionName,
    resourceId: c.resourceId ?? null,
    resourceName: c.resourceName ?? null,
    serviceCategory: category,
    serviceName: known?.productName || known?.categoryName || skuService(c.sku) || 'Unknown',
    serviceSubcategory: subcategory,
    skuId: c.sku ?? null,
    skuMeter: known?.unit ?? null,
    subAccountId: c.projectId ?? null,
    subAccountName: c.projectName ?? null,
    xUpdatedAt: c.updatedAt === undefined ? null : instantOf(c.updatedAt),
    xSource: 'finops.charges',
    xConsumerId: null,
    xPriceLabel: null,
    xClamped: clamped,
  });
}

/** A function of text remembered for the last 10,000 texts: a month's charges share few instants (a day's start at its midnight). */
function remembered(f: (text: string) => string): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      if (known.size >= 10_000) known.clear();
      known.set(text, (value = f(text)));
    }
    return value;
  };
}
const instantOf = remembered(focusInstant);
const exclusiveEndOf = remembered(focusExclusiveEnd);

/** The billing period (a UTC month) of an instant, its bounds made once per month. */
const periods = new Map<string, { start: string; end: string }>();
function periodOf(instant: string): { start: string; end: string } {
  const month = instant.slice(0, 7);
  let bounds = periods.get(month);
  if (!bounds) {
    if (periods.size > 1000) periods.clear();
    periods.set(month, (bounds = periodBounds(month)));
  }
  return bounds;
}
