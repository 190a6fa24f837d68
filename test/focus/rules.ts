/**
 * FOCUS 1.3 Cost and Usage column rules, written down here for the conformance test (the official
 * validator needs Python 3.12 and duckdb, which these machines lack). Sources: the FOCUS 1.2
 * validator's requirement model for the Mandatory columns, the 1.3 column files for
 * ServiceProviderName and HostProviderName, and the Conditional columns' own normative text. A row
 * is an object keyed by FOCUS column names, values as text (null for a null).
 */

export type Level = 'Mandatory' | 'Conditional';

export interface Rule {
  id: string;
  level: Level;
  /** What the rule says, in a line. */
  text: string;
  /** Columns the rule reads: it is checked only when all are present. */
  columns: string[];
  /** Whether a row passes. */
  check(row: Record<string, string | null>): boolean;
}

/** The 23 Mandatory columns of FOCUS 1.3. */
export const MANDATORY = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
  'ServiceProviderName',
  'HostProviderName',
];

export const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];
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
];
export const PRICING_CATEGORIES = ['Standard', 'Dynamic', 'Committed', 'Other'];
export const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'];

/** The validator's date/time pattern, without its optional `Z`: FOCUS date/times are UTC. */
export const DATETIME = /^[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z$/;
/**
 * FOCUS numbers: an optional minus, digits, no `+`, no separators, no currency sign, no fraction
 * like `1 1/2`; an exponent only as `mEn` with a sign only when n is negative. Also a decimal point
 * always (a CSV reader types a column of whole numbers as integers, and the Decimal check fails).
 */
export const DECIMAL = /^-?(?:0|[1-9][0-9]*)\.[0-9]+(?:E-?[0-9]+)?$/;

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

const isNull = (v: string | null | undefined) => v === null || v === undefined;
const usageOrPurchase = (row: Record<string, string | null>) => (row.ChargeCategory === 'Usage' || row.ChargeCategory === 'Purchase') && row.ChargeClass !== 'Correction';

const decimalRule = (level: Level, column: string): Rule => ({
  id: `${column}.decimal`,
  level,
  text: `${column} is a FOCUS decimal (or null)`,
  columns: [column],
  check: (r) => isNull(r[column]) || DECIMAL.test(r[column]!),
});
const notNull = (level: Level, column: string): Rule => ({ id: `${column}.not-null`, level, text: `${column} is never null`, columns: [column], check: (r) => !isNull(r[column]) });
const datetime = (column: string): Rule => ({ id: `${column}.datetime`, level: 'Mandatory', text: `${column} is YYYY-MM-DDTHH:mm:ssZ`, columns: [column], check: (r) => !isNull(r[column]) && DATETIME.test(r[column]!) });
const oneOf = (level: Level, column: string, values: string[], nullable: boolean): Rule => ({
  id: `${column}.allowed`,
  level,
  text: `${column} is one of ${values.join(', ')}${nullable ? ' or null' : ''}`,
  columns: [column],
  check: (r) => (isNull(r[column]) ? nullable : values.includes(r[column]!)),
});
const jsonObject = (column: string): Rule => ({
  id: `${column}.json`,
  level: 'Conditional',
  text: `${column} is null or a JSON object of scalar values`,
  columns: [column],
  check: (r) => {
    if (isNull(r[column])) return true;
    try {
      const v: unknown = JSON.parse(r[column]!);
      return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');
    } catch {
      return false;
    }
  },
});
const iff = (level: Level, a: string, b: string): Rule => ({ id: `${b}.null-iff-${a}`, level, text: `${b} is null exactly when ${a} is`, columns: [a, b], check: (r) => isNull(r[a]) === isNull(r[b]) });

export const RULES: Rule[] = [
  // Mandatory columns.
  ...['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity'].map((c) => decimalRule('Mandatory', c)),
  ...[
    'BilledCost',
    'EffectiveCost',
    'ListCost',
    'ContractedCost',
    'BillingAccountId',
    // Nullable in the model, but MUST NOT be null where the provider supports account names (Scaleway does).
    'BillingAccountName',
    'BillingCurrency',
    'ChargeCategory',
    'InvoiceIssuerName',
    'ServiceName',
    'ServiceCategory',
    'ServiceProviderName',
    'HostProviderName',
    'ProviderName',
    'PublisherName',
  ].map((c) => notNull('Mandatory', c)),
  ...['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'].map(datetime),
  { id: 'ChargePeriodEnd.after-start', level: 'Mandatory', text: 'ChargePeriodEnd is after ChargePeriodStart (exclusive end)', columns: ['ChargePeriodStart', 'ChargePeriodEnd'], check: (r) => r.ChargePeriodEnd! > r.ChargePeriodStart! },
  { id: 'BillingPeriodEnd.after-start', level: 'Mandatory', text: 'BillingPeriodEnd is after BillingPeriodStart (exclusive end)', columns: ['BillingPeriodStart', 'BillingPeriodEnd'], check: (r) => r.BillingPeriodEnd! > r.BillingPeriodStart! },
  { id: 'BillingCurrency.iso4217', level: 'Mandatory', text: 'BillingCurrency is an ISO 4217 code', columns: ['BillingCurrency'], check: (r) => ISO_4217.has(r.BillingCurrency ?? '') },
  oneOf('Mandatory', 'ChargeCategory', CHARGE_CATEGORIES, false),
  oneOf('Mandatory', 'ChargeClass', ['Correction'], true),
  oneOf('Mandatory', 'ServiceCategory', SERVICE_CATEGORIES, false),
  iff('Mandatory', 'PricingQuantity', 'PricingUnit'),
  { id: 'PricingQuantity.null-for-tax', level: 'Mandatory', text: 'PricingQuantity is null on Tax rows', columns: ['ChargeCategory', 'PricingQuantity'], check: (r) => r.ChargeCategory !== 'Tax' || isNull(r.PricingQuantity) },
  {
    id: 'PricingQuantity.not-null-for-usage',
    level: 'Mandatory',
    text: 'PricingQuantity is not null on Usage and Purchase rows (unless a Correction)',
    columns: ['ChargeCategory', 'ChargeClass', 'PricingQuantity'],
    check: (r) => !usageOrPurchase(r) || !isNull(r.PricingQuantity),
  },

  // Conditional and Recommended columns, where present.
  ...['ListUnitPrice', 'ContractedUnitPrice', 'ConsumedQuantity', 'CommitmentDiscountQuantity'].map((c) => decimalRule('Conditional', c)),
  oneOf('Conditional', 'ChargeFrequency', CHARGE_FREQUENCIES, false),
  { id: 'ChargeFrequency.purchase', level: 'Conditional', text: 'ChargeFrequency is not Usage-Based on Purchase rows', columns: ['ChargeCategory', 'ChargeFrequency'], check: (r) => r.ChargeCategory !== 'Purchase' || r.ChargeFrequency !== 'Usage-Based' },
  oneOf('Conditional', 'PricingCategory', PRICING_CATEGORIES, true),
  { id: 'PricingCategory.usage', level: 'Conditional', text: 'PricingCategory is not null on Usage and Purchase rows', columns: ['ChargeCategory', 'ChargeClass', 'PricingCategory'], check: (r) => !usageOrPurchase(r) || !isNull(r.PricingCategory) },
  { id: 'PricingCategory.tax', level: 'Conditional', text: 'PricingCategory is null on Tax rows', columns: ['ChargeCategory', 'PricingCategory'], check: (r) => r.ChargeCategory !== 'Tax' || isNull(r.PricingCategory) },
  ...['SkuId', 'SkuPriceId', 'ListUnitPrice', 'ContractedUnitPrice'].flatMap((c): Rule[] => [
    { id: `${c}.tax`, level: 'Conditional', text: `${c} is null on Tax rows`, columns: ['ChargeCategory', c], check: (r) => r.ChargeCategory !== 'Tax' || isNull(r[c]) },
    { id: `${c}.usage`, level: 'Conditional', text: `${c} is not null on Usage and Purchase rows (unless a Correction)`, columns: ['ChargeCategory', 'ChargeClass', c], check: (r) => !usageOrPurchase(r) || !isNull(r[c]) },
  ]),
  { id: 'ConsumedQuantity.not-usage', level: 'Conditional', text: 'ConsumedQuantity is null unless ChargeCategory is Usage', columns: ['ChargeCategory', 'ConsumedQuantity'], check: (r) => r.ChargeCategory === 'Usage' || isNull(r.ConsumedQuantity) },
  {
    id: 'ConsumedQuantity.usage',
    level: 'Conditional',
    text: 'ConsumedQuantity is not null on Usage rows (no commitment left unused)',
    columns: ['ChargeCategory', 'ConsumedQuantity'],
    check: (r) => r.ChargeCategory !== 'Usage' || !isNull(r.ConsumedQuantity),
  },
  iff('Conditional', 'ConsumedQuantity', 'ConsumedUnit'),
  iff('Conditional', 'RegionId', 'RegionName'),
  { id: 'SubAccountName.with-id', level: 'Conditional', text: 'SubAccountName is not null when SubAccountId is not', columns: ['SubAccountId', 'SubAccountName'], check: (r) => isNull(r.SubAccountId) || !isNull(r.SubAccountName) },
  jsonObject('Tags'),
  jsonObject('SkuPriceDetails'),
  {
    id: 'CommitmentDiscount.with-id',
    level: 'Conditional',
    text: 'Every CommitmentDiscount column is null when CommitmentDiscountId is',
    columns: ['CommitmentDiscountId', 'CommitmentDiscountCategory', 'CommitmentDiscountName', 'CommitmentDiscountQuantity', 'CommitmentDiscountStatus', 'CommitmentDiscountType', 'CommitmentDiscountUnit'],
    check: (r) => !isNull(r.CommitmentDiscountId) || ['Category', 'Name', 'Quantity', 'Status', 'Type', 'Unit'].every((c) => isNull(r[`CommitmentDiscount${c}`])),
  },
  notNull('Conditional', 'ServiceSubcategory'),
];

export interface Failure {
  rule: string;
  level: Level;
  row: number;
}

/** Every failure of every rule whose columns are present, on every row. */
export function check(columns: readonly string[], rows: Record<string, string | null>[]): Failure[] {
  const present = new Set(columns);
  const failures: Failure[] = MANDATORY.filter((c) => !present.has(c)).map((c) => ({ rule: `${c}.present`, level: 'Mandatory' as const, row: -1 }));
  // Custom columns carry the x_ prefix: any other name must be a FOCUS column this file knows.
  for (const c of columns) if (!c.startsWith('x_') && !/^[A-Z][A-Za-z]+$/.test(c)) failures.push({ rule: `${c}.name`, level: 'Conditional', row: -1 });
  const rules = RULES.filter((r) => r.columns.every((c) => present.has(c)));
  rows.forEach((row, i) => {
    for (const rule of rules) if (!rule.check(row)) failures.push({ rule: rule.id, level: rule.level, row: i });
  });
  return failures;
}

/** Failures counted by rule. */
export function byRule(failures: Failure[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of failures) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
  return counts;
}
