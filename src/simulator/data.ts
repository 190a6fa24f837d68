import { Decimal } from 'decimal.js';
import { Exact } from '../lib/money.js';
import { hash, Random } from './random.js';

/**
 * The simulator's bills, generated from a seed. Tests read these objects to compute what the
 * gateway must answer, independently of the gateway's code.
 *
 * Longer than most files (about 380 lines) on purpose: one generator for every upstream's data, so
 * that the seed and the links between them (organizations → projects → invoices → the invoice ids
 * of charges) stay in one place; split, they would have to travel between files.
 */

export interface SimOrganization {
  id: string;
  name: string;
  projects: { id: string; name: string }[];
}

export interface SimInvoice {
  id: string;
  organizationId: string;
  organizationName: string;
  type: 'periodic' | 'purchase' | 'credit_note';
  state: 'draft' | 'issued' | 'paid';
  /** 0 until issued, as upstream. */
  number: number;
  startDate: string;
  stopDate: string;
  billingPeriod: string;
  issuedDate: string | null;
  dueDate: string | null;
  currency: string;
  untaxed: Decimal;
  tax: Decimal;
  /** ≤ 0. */
  discount: Decimal;
  /** An older answer's shape: `total_undiscount` left out (the discount is still sent). */
  noUndiscount?: boolean;
}

/** A tax line of a billing period (`GET /taxes`): the periodic invoice's tax, as a float upstream. */
export interface SimTax {
  description: string;
  currency: string;
  /** Decimal text, sent as a raw JSON number. */
  rate: string;
  totalTaxValue: string;
}

export interface SimConsumption {
  projectId: string;
  projectName: string;
  categoryName: string;
  productName: string;
  resourceName: string;
  sku: string;
  unit: string;
  billedQuantity: string;
  consumerId: string;
  currency: string;
  value: Decimal;
}

export interface SimDiscount {
  id: string;
  organizationId: string;
  description: string;
  mode: 'discount_mode_rate' | 'discount_mode_value' | 'discount_mode_splittable';
  /** Decimal text, sent as a raw JSON number (the upstream sends floats). */
  value: string;
  valueUsed: string;
  valueRemaining: string;
  creationDate: string;
  startDate: string;
  stopDate: string | null;
  coupon: string | null;
  filters: { type: 'category_name' | 'product_name' | 'product_range' | 'resource_name' | 'region' | 'zone'; value: string; exclude: boolean }[];
}

/** A raw FinOps charge; `endDate` inclusive, to the microsecond. */
export interface SimCharge {
  organizationId: string;
  organizationName: string;
  projectId: string;
  projectName: string;
  sku: string;
  /** '' until invoiced. */
  invoiceId: string;
  resourceId: string;
  /** null: the product does not send it. */
  resourceName: string | null;
  currency: string;
  price: Decimal;
  startDate: string;
  endDate: string;
  updatedAt: string;
}

/** A Scalr account: environments, workspaces and their daily runs (days without runs are absent). */
export interface SimScalrAccount {
  id: string;
  name: string;
  environments: { id: string; name: string }[];
  workspaces: { id: string; name: string; environmentId: string }[];
  /** One entry per workspace and day with runs, by date then workspace id. */
  usage: { date: string; workspaceId: string; runsCount: number; runsSeconds: number }[];
}

export interface SimData {
  now: Date;
  /** Scalr accounts, with their daily usage. */
  scalrAccounts: SimScalrAccount[];
  organizations: SimOrganization[];
  /** FinOps charges per organization, in start-date order (ties: resource id, then SKU). */
  charges: Map<string, SimCharge[]>;
  invoices: Map<string, SimInvoice[]>;
  discounts: Map<string, SimDiscount[]>;
  /** Consumption rows of one organization and billing period (`YYYY-MM`), generated on first use. */
  consumptions(organizationId: string, billingPeriod: string): SimConsumption[];
  /** `updated_at` of a billing period's consumption. */
  consumptionUpdatedAt(billingPeriod: string): string;
  /** Sum of discounts for a period, as Scaleway's float `total_discount_untaxed_value` (decimal text). */
  totalDiscountUntaxed(organizationId: string, billingPeriod: string): string;
  /** Tax lines of one organization and billing period (`YYYY-MM`). */
  taxes(organizationId: string, billingPeriod: string): SimTax[];
}

/** Invoices, discounts and a consumption scale per organization; the empty one exercises empty lists. */
const ORG_SHAPES = [
  { name: 'acme', invoices: 540, discounts: 34, consumptionRows: 230, dailyResources: 16, monthlyResources: 8 },
  { name: 'globex', invoices: 260, discounts: 8, consumptionRows: 120, dailyResources: 6, monthlyResources: 4 },
  { name: 'initech', invoices: 37, discounts: 3, consumptionRows: 40, dailyResources: 3, monthlyResources: 2 },
  { name: 'hooli', invoices: 0, discounts: 0, consumptionRows: 0, dailyResources: 0, monthlyResources: 0 },
  { name: 'umbrella', invoices: 120, discounts: 12, consumptionRows: 60, dailyResources: 5, monthlyResources: 3 },
];

/** Months of FinOps charges before the current one. */
const CHARGE_MONTHS = 4;

const CATALOG = [
  { category: 'Compute', product: 'PRO2-XXS', sku: '/compute/pro2_xxs/run_fr-par-2', unit: 'minute' },
  { category: 'Compute', product: 'DEV1-S', sku: '/compute/dev1_s/run_par1', unit: 'minute' },
  { category: 'Compute', product: 'GP1-XS', sku: '/compute/gp1_xs/run_ams1', unit: 'hour' },
  { category: 'Storage', product: 'Block SSD', sku: '/storage/b_ssd/volume_par1', unit: 'gigabyte_hour' },
  { category: 'Object Storage', product: 'Multi-AZ', sku: '/object_storage/multi_az/par', unit: 'gigabyte_month' },
  { category: 'Network', product: 'Flexible IP', sku: '/network/flexible_ip/ipv4', unit: 'ip_minute' },
  { category: 'Network', product: 'VPC Public Gateway S', sku: '/network/vpc_gw_s/par1', unit: 'hour' },
  { category: 'Managed Databases', product: 'DB-PRO2-XXS', sku: '/rdb/pro2_xxs/pg', unit: 'node_minute' },
  { category: 'Containers', product: 'Kapsule', sku: '/k8s/kapsule/control_plane', unit: 'plan' },
  { category: 'Serverless', product: 'Functions', sku: '/serverless/functions/requests', unit: 'request' },
  { category: 'Observability', product: 'Cockpit', sku: '/cockpit/metrics/samples', unit: 'sample' },
  { category: 'AI', product: 'Generative APIs', sku: '/genai/llama/tokens', unit: 'request' },
];

const REGIONS = ['fr-par', 'nl-ams', 'pl-waw'];
const ZONES = ['fr-par-1', 'fr-par-2', 'nl-ams-1', 'pl-waw-2'];

/**
 * Discount values chosen to break float arithmetic: 0.1 and 0.2 (whose float sum is 0.30000000000000004),
 * a value with more digits than a double holds, and an exponent form.
 */
const TRICKY_VALUES = ['0.1', '0.2', '212.5', '1000', '33.333333333333336', '12345678901234567.89', '1E-7', '16295.3', '2707.07', '0.3'];

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');
const endOfMonth = (y: number, m: number) => `${new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10)}T23:59:59.999999Z`;

/** Cents, or (one time in four) a sub-cent amount, to exercise all nine nano digits. */
function amount(r: Random, maxUnits: number): Decimal {
  const units = r.int(0, maxUnits);
  const nanos = r.chance(0.25) ? r.int(0, 999_999_999) : r.int(0, 99) * 10_000_000;
  return new Exact(`${units}.${String(nanos).padStart(9, '0')}`);
}

/** What the simulator's size switch sets (`SIM_CHARGES_PER_ORG`). */
export interface SimSize {
  /** About this many FinOps charges for the first organization, over three months, ~40 projects, two currencies. */
  chargesPerOrg?: number;
}

export function generate(seed = 42, now = new Date(), size: SimSize = {}): SimData {
  const root = new Random(seed);
  const organizations: SimOrganization[] = ORG_SHAPES.map((shape) => ({
    id: root.uuid(),
    name: shape.name,
    projects: Array.from({ length: root.int(3, 6) }, (_, i) => ({ id: root.uuid(), name: i === 0 ? 'default' : `project-${i}` })),
  }));
  const invoices = new Map<string, SimInvoice[]>();
  const discounts = new Map<string, SimDiscount[]>();
  const charges = new Map<string, SimCharge[]>();
  organizations.forEach((org, i) => {
    const shape = ORG_SHAPES[i]!;
    invoices.set(org.id, makeInvoices(new Random(`${seed}:inv:${org.id}`), org, shape.invoices, now));
    discounts.set(org.id, makeDiscounts(new Random(`${seed}:disc:${org.id}`), org, shape.discounts, now));
    charges.set(org.id, makeCharges(new Random(`${seed}:chg:${org.id}`), org, shape.dailyResources, shape.monthlyResources, now));
  });
  if (size.chargesPerOrg) {
    const org = organizations[0]!;
    charges.set(org.id, makeManyCharges(new Random(`${seed}:many:${org.id}`), org, size.chargesPerOrg, now));
  }

  const consumptionCache = new Map<string, SimConsumption[]>();
  const currentPeriod = now.toISOString().slice(0, 7);
  const consumptions = (organizationId: string, billingPeriod: string): SimConsumption[] => {
    const key = `${organizationId}:${billingPeriod}`;
    let rows = consumptionCache.get(key);
    if (!rows) {
      const index = organizations.findIndex((o) => o.id === organizationId);
      const org = organizations[index];
      rows = org && billingPeriod <= currentPeriod ? makeConsumptions(new Random(`${seed}:cons:${key}`), org, ORG_SHAPES[index]!.consumptionRows) : [];
      consumptionCache.set(key, rows);
    }
    return rows;
  };
  organizations.forEach((org, i) => {
    for (const [period, rows] of linkBills(org, invoices.get(org.id)!, charges.get(org.id)!, now, i === 0)) consumptionCache.set(`${org.id}:${period}`, rows);
    for (const inv of invoices.get(org.id)!) {
      if (inv.type !== 'periodic') continue;
      // A periodic invoice is its period's consumption, less its discount; VAT to the cent.
      const base = consumptions(org.id, inv.billingPeriod.slice(0, 7)).reduce((sum, c) => (c.currency === inv.currency ? sum.plus(c.value) : sum), new Exact(0));
      inv.untaxed = base.plus(inv.discount);
      inv.tax = inv.untaxed.times('0.2').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    }
  });
  const periodicOf = (organizationId: string, billingPeriod: string) =>
    invoices.get(organizationId)?.find((inv) => inv.type === 'periodic' && inv.billingPeriod.startsWith(billingPeriod));
  return {
    now,
    scalrAccounts: SCALR_SHAPES.map((shape) => makeScalrAccount(new Random(`${seed}:scalr:${shape.name}`), shape, now)),
    organizations,
    invoices,
    discounts,
    charges,
    consumptions,
    consumptionUpdatedAt: (billingPeriod) => {
      if (billingPeriod >= currentPeriod) return `${now.toISOString().slice(0, 10)}T04:12:09.120394Z`;
      const [y, m] = billingPeriod.split('-').map(Number) as [number, number];
      return `${new Date(Date.UTC(y, m, 2)).toISOString().slice(0, 10)}T06:00:00.623765Z`;
    },
    totalDiscountUntaxed: (organizationId, billingPeriod) =>
      consumptions(organizationId, billingPeriod).length === 0 ? '0' : TRICKY_VALUES[hash(organizationId + billingPeriod) % TRICKY_VALUES.length]!,
    taxes: (organizationId, billingPeriod) => {
      const inv = periodicOf(organizationId, billingPeriod);
      return inv ? [{ description: 'VAT 20%', currency: inv.currency, rate: '0.2', totalTaxValue: inv.tax.toFixed() }] : [];
    },
  };
}

const period = (iso: string) => iso.slice(0, 7);
const monthBefore = (now: Date, back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);

/**
 * Makes one organization's bills agree the way Scaleway's do (docs/reconciliation.md): a charge of a
 * closed month carries the id of that month's periodic invoice, the month's consumption is its
 * charges summed per project and SKU and rounded half up to the cent, and the invoice is that
 * consumption less its discount (set by the caller). With `cases`, the last four closed months each
 * get one of the reconciliation's cases: last month a late charge from the month before billed on its
 * invoice (OUT_OF_PERIOD), two months back whole-cent charges (MATCHED), three back an invoice without
 * `total_undiscount` (DISCOUNT), four back a consumption line no charge explains (MISMATCHED).
 * Returns the derived consumption per billing period.
 */
function linkBills(org: SimOrganization, invoices: SimInvoice[], charges: SimCharge[], now: Date, cases: boolean): Map<string, SimConsumption[]> {
  const periodic = new Map(invoices.filter((inv) => inv.type === 'periodic').map((inv) => [period(inv.billingPeriod), inv]));
  for (const c of charges) if (c.invoiceId !== '') c.invoiceId = periodic.get(period(c.startDate))?.id ?? '';
  const [p1, p2, p3, p4] = [1, 2, 3, 4].map((back) => monthBefore(now, back)) as [string, string, string, string];
  if (cases && periodic.has(p1) && periodic.has(p2)) {
    for (const c of charges) if (period(c.startDate) === p2) c.price = c.price.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const late = charges.findLast((c) => period(c.startDate) === p2 && c.invoiceId !== '');
    if (late) {
      late.invoiceId = periodic.get(p1)!.id;
      late.price = new Exact('0.40');
    }
    const undiscounted = periodic.get(p3);
    if (undiscounted) {
      undiscounted.noUndiscount = true;
      if (undiscounted.discount.isZero()) undiscounted.discount = new Exact('-12.50');
    }
  }
  const lines = new Map<string, Map<string, SimConsumption>>();
  for (const c of charges) {
    const p = period(c.startDate);
    if (c.invoiceId === '' || periodic.get(p)?.id !== c.invoiceId) continue;
    let byLine = lines.get(p);
    if (!byLine) lines.set(p, (byLine = new Map()));
    const key = `${c.projectId}|${c.sku}|${c.currency}`;
    const line = byLine.get(key);
    if (line) line.value = line.value.plus(c.price);
    else byLine.set(key, consumptionOf(org, c));
  }
  const out = new Map<string, SimConsumption[]>();
  for (const [p, byLine] of lines) {
    const rows = [...byLine.values()].map((line) => ({ ...line, value: line.value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP) }));
    if (cases && p === p4) {
      const project = org.projects[0]!;
      rows.push({ projectId: project.id, projectName: project.name, categoryName: 'Subscription', productName: 'Business support plan', resourceName: 'Business support plan', sku: '/support/business_plan', unit: 'month', billedQuantity: '1', consumerId: org.id, currency: 'EUR', value: new Exact('25.00') });
    }
    out.set(p, rows);
  }
  return out;
}

/** The consumption line a charge starts: its project and SKU, the catalog's names, the charge's price. */
function consumptionOf(org: SimOrganization, c: SimCharge): SimConsumption {
  const item = CATALOG.find((i) => i.sku === c.sku) ?? CATALOG[0]!;
  const zone = c.sku.split('_').at(-1)!.toUpperCase();
  return {
    projectId: c.projectId,
    projectName: c.projectName,
    categoryName: item.category,
    productName: item.product,
    resourceName: `${item.product} - ${zone}`,
    sku: c.sku,
    unit: item.unit,
    billedQuantity: String((c.resourceId.length * 37) % 5000),
    consumerId: org.id,
    currency: c.currency,
    value: c.price,
  };
}

function makeInvoices(r: Random, org: SimOrganization, count: number, now: Date): SimInvoice[] {
  const out: SimInvoice[] = [];
  let number = 1_000_000 + r.int(0, 900_000);
  // Periodic invoices month by month backwards from this month (a draft); purchases and credit notes in between.
  let monthsBack = 0;
  for (let i = 0; i < count; i++) {
    const kind = i % 4 === 0 || i < 2 ? 'periodic' : r.chance(0.2) ? 'credit_note' : 'purchase';
    const y = now.getUTCFullYear();
    const m = now.getUTCMonth() - (kind === 'periodic' ? monthsBack++ : r.int(1, Math.max(1, monthsBack)));
    const start = new Date(Date.UTC(y, m, kind === 'periodic' ? 1 : r.int(1, 28), kind === 'periodic' ? 0 : r.int(0, 23)));
    const issued = new Date(Date.UTC(y, m + 1, r.int(1, 3), r.int(8, 17), r.int(0, 59), r.int(0, 59), r.int(0, 999)));
    // This month's periodic invoice is not issued yet: number 0 and null dates, as upstream.
    const draft = i < 1;
    const untaxed = amount(r, kind === 'periodic' ? 40_000 : 3_000).times(kind === 'credit_note' ? -1 : 1);
    const tax = untaxed.times('0.2').toDecimalPlaces(9, Decimal.ROUND_HALF_EVEN);
    const discount = r.chance(0.3) ? amount(r, 50).negated() : new Exact(0);
    out.push({
      id: r.uuid(),
      organizationId: org.id,
      organizationName: org.name,
      type: kind,
      state: draft ? 'draft' : r.chance(0.8) ? 'paid' : 'issued',
      number: draft ? 0 : number++,
      startDate: iso(start),
      stopDate: endOfMonth(start.getUTCFullYear(), start.getUTCMonth()),
      billingPeriod: iso(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1))),
      issuedDate: draft ? null : issued.toISOString().replace('Z', `${r.int(100, 999)}Z`),
      dueDate: draft ? null : `${issued.toISOString().slice(0, 8)}15T23:59:59.999999Z`,
      // Some purchases are billed in another currency: totals must never add across currencies.
      currency: kind === 'purchase' && r.chance(0.1) ? 'USD' : 'EUR',
      untaxed,
      tax,
      discount,
    });
  }
  return out;
}

function makeConsumptions(r: Random, org: SimOrganization, count: number): SimConsumption[] {
  return Array.from({ length: count }, (_, i) => {
    const project = org.projects[i % org.projects.length]!;
    const item = CATALOG[r.int(0, CATALOG.length - 1)]!;
    const zone = r.pick(ZONES);
    return {
      projectId: project.id,
      projectName: project.name,
      categoryName: item.category,
      productName: item.product,
      resourceName: `${item.product} - ${zone.toUpperCase()}`,
      sku: `${item.sku}#${i}`,
      unit: item.unit,
      billedQuantity: String(r.int(0, 50_000)),
      consumerId: org.id,
      currency: 'EUR',
      // A refund row now and then: consumption can be negative. Of the scale of the months made of charges.
      value: r.chance(0.05) ? amount(r, 20).negated() : amount(r, 40),
    };
  });
}

function makeDiscounts(r: Random, org: SimOrganization, count: number, now: Date): SimDiscount[] {
  return Array.from({ length: count }, (_, i) => {
    const value = TRICKY_VALUES[(i + r.int(0, 3)) % TRICKY_VALUES.length]!;
    const used = new Exact(value).times(r.int(0, 100)).div(100).toDecimalPlaces(12);
    const created = new Date(now.getTime() - r.int(1, 1500) * 86_400_000 - r.int(0, 86_399) * 1000);
    const start = new Date(created.getTime() + r.int(0, 5) * 86_400_000);
    const mode = r.pick(['discount_mode_rate', 'discount_mode_value', 'discount_mode_splittable'] as const);
    return {
      id: r.uuid(),
      organizationId: org.id,
      description: `${mode === 'discount_mode_rate' ? 'Rate' : 'Credit'} ${i + 1} for ${org.name}`,
      mode,
      value,
      valueUsed: used.toFixed(),
      valueRemaining: new Exact(value).minus(used).toFixed(),
      creationDate: iso(created),
      startDate: iso(start),
      stopDate: r.chance(0.3) ? null : iso(new Date(start.getTime() + 365 * 86_400_000)),
      coupon: r.chance(0.5) ? `COUPON-${r.int(1000, 9999)}` : null,
      filters: Array.from({ length: r.int(0, 2) }, () => {
        const type = r.pick(['category_name', 'product_name', 'product_range', 'resource_name', 'region', 'zone'] as const);
        const value =
          type === 'category_name' ? r.pick(CATALOG).category : type === 'region' ? r.pick(REGIONS) : type === 'zone' ? r.pick(ZONES) : r.pick(CATALOG).product;
        return { type, value, exclude: r.chance(0.2) };
      }),
    };
  });
}

/**
 * Charges over the last months up to yesterday: daily resources (one charge a day) and monthly ones
 * (one charge a month, spanning it whole), prices to the nano, some without `resource_name`.
 */
function makeCharges(r: Random, org: SimOrganization, daily: number, monthly: number, now: Date): SimCharge[] {
  const resources = Array.from({ length: daily + monthly }, (_, i) => {
    const item = CATALOG[r.int(0, CATALOG.length - 1)]!;
    const project = org.projects[i % org.projects.length]!;
    return {
      id: i % 3 === 0 ? `fr-par-1/${r.uuid()}` : r.uuid(),
      // One resource in four comes from a product that does not send its name.
      name: i % 4 === 3 ? null : `${item.product.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${i + 1}`,
      project,
      sku: item.sku,
      monthly: i >= daily,
      base: r.int(1, monthly > 0 && i >= daily ? 900 : 20),
    };
  });
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = Date.UTC(y, m, now.getUTCDate());
  const out: SimCharge[] = [];
  const invoiceOf = new Map<number, string>();
  const price = (base: number) => new Exact(`${r.int(0, base)}.${String(r.int(0, 999_999_999)).padStart(9, '0')}`);
  for (let back = CHARGE_MONTHS; back >= 0; back--) {
    const monthStart = Date.UTC(y, m - back, 1);
    const monthEnd = Date.UTC(y, m - back + 1, 1);
    if (!invoiceOf.has(back)) invoiceOf.set(back, back === 0 ? '' : r.uuid());
    for (const res of resources) {
      const spans: [number, number][] = res.monthly
        ? back > 0
          ? [[monthStart, monthEnd]]
          : []
        : Array.from({ length: Math.round((Math.min(monthEnd, today) - monthStart) / 86_400_000) }, (_, d) => [monthStart + d * 86_400_000, monthStart + (d + 1) * 86_400_000]);
      for (const [start, end] of spans) {
        out.push({
          organizationId: org.id,
          organizationName: org.name,
          projectId: res.project.id,
          projectName: res.project.name,
          sku: res.sku,
          invoiceId: invoiceOf.get(back)!,
          resourceId: res.id,
          resourceName: res.name,
          currency: 'EUR',
          price: price(res.base),
          startDate: iso(new Date(start)),
          // Inclusive end, to the microsecond, as upstream.
          endDate: `${new Date(end - 1000).toISOString().slice(0, 19)}.999999Z`,
          updatedAt: `${new Date(Math.min(end + 4 * 3_600_000, now.getTime())).toISOString().slice(0, 19)}.120394Z`,
        });
      }
    }
  }
  return out.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
}

/** Scalr accounts: workspaces per environment, and how many days of usage back from yesterday. */
const SCALR_SHAPES = [
  { name: 'acme-iac', environments: 4, workspaces: 5, days: 200 },
  { name: 'globex-iac', environments: 2, workspaces: 3, days: 120 },
  { name: 'quiet-iac', environments: 1, workspaces: 1, days: 30 },
];

function scalrId(r: Random, prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}-${Array.from({ length: 15 }, () => alphabet[r.int(0, alphabet.length - 1)]).join('')}`;
}

function makeScalrAccount(r: Random, shape: (typeof SCALR_SHAPES)[number], now: Date): SimScalrAccount {
  const environments = Array.from({ length: shape.environments }, (_, i) => ({ id: scalrId(r, 'env'), name: ['production', 'staging', 'dev', 'sandbox'][i] ?? `env-${i}` }));
  const workspaces = environments.flatMap((env) =>
    Array.from({ length: shape.workspaces }, (_, i) => ({ id: scalrId(r, 'ws'), name: `${env.name}-${['network', 'compute', 'database', 'dns', 'iam'][i] ?? `stack-${i}`}`, environmentId: env.id })),
  );
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const usage: SimScalrAccount['usage'] = [];
  for (let back = shape.days; back >= 1; back--) {
    const date = new Date(today - back * 86_400_000).toISOString().slice(0, 10);
    // Weekends are quiet: many days have no run at all in a workspace, some in the whole account.
    const weekend = [0, 6].includes(new Date(today - back * 86_400_000).getUTCDay());
    for (const ws of [...workspaces].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (r.chance(weekend ? 0.85 : 0.35)) continue;
      const runsCount = r.int(1, 12);
      usage.push({ date, workspaceId: ws.id, runsCount, runsSeconds: runsCount * r.int(20, 900) });
    }
  }
  return { id: scalrId(r, 'acc'), name: shape.name, environments, workspaces, usage };
}

/**
 * The size switch: about `count` charges for one organization over the current month (up to today)
 * and the two before, across ~40 projects and count ÷ 50 resources (a fifth of them whole-month,
 * the others daily), one resource in seven billed in USD. Deterministic for a seed and a day; fast
 * (prices drawn as integers, a Decimal built once per charge).
 */
function makeManyCharges(r: Random, org: SimOrganization, count: number, now: Date): SimCharge[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const today = Date.UTC(y, m, now.getUTCDate());
  const first = Date.UTC(y, m - 2, 1);
  const days = Math.max(1, Math.round((today - first) / 86_400_000));
  const projects = [...org.projects, ...Array.from({ length: Math.max(0, 40 - org.projects.length) }, (_, i) => ({ id: r.uuid(), name: `team-${i + 1}` }))];
  const monthly = Math.max(1, Math.round(count / 250));
  const daily = Math.max(1, Math.round((count - 2 * monthly) / days));
  const out: SimCharge[] = [];
  for (let i = 0; i < daily + monthly; i++) {
    const item = CATALOG[r.int(0, CATALOG.length - 1)]!;
    const project = projects[r.int(0, projects.length - 1)]!;
    const res = { id: r.uuid(), name: i % 5 === 4 ? null : `res-${i + 1}`, currency: i % 7 === 6 ? 'USD' : 'EUR' };
    const spans: [number, number][] =
      i >= daily
        ? [0, 1].map((k) => [Date.UTC(y, m - 2 + k, 1), Date.UTC(y, m - 1 + k, 1)] as [number, number])
        : Array.from({ length: days }, (_, d) => [first + d * 86_400_000, first + (d + 1) * 86_400_000] as [number, number]);
    const invoice = (start: number) => (start >= Date.UTC(y, m, 1) ? '' : `${org.id.slice(0, 8)}-0000-4000-8000-${String(new Date(start).getUTCMonth() + 1).padStart(12, '0')}`);
    for (const [start, end] of spans) {
      out.push({
        organizationId: org.id,
        organizationName: org.name,
        projectId: project.id,
        projectName: project.name,
        sku: item.sku,
        invoiceId: invoice(start),
        resourceId: res.id,
        resourceName: res.name,
        currency: res.currency,
        price: new Exact(`${r.int(0, i >= daily ? 400 : 9)}.${String(r.int(0, 999_999_999)).padStart(9, '0')}`),
        startDate: iso(new Date(start)),
        endDate: `${new Date(end - 1000).toISOString().slice(0, 19)}.999999Z`,
        updatedAt: `${new Date(Math.min(end + 4 * 3_600_000, now.getTime())).toISOString().slice(0, 19)}.120394Z`,
      });
    }
  }
  return out.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
}
