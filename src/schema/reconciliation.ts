import DataLoader from 'dataloader';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { badInput } from '../errors.js';
import { offsetConnection } from '../pagination/offset.js';
import { MAX_PERIOD_INVOICES, reconcile, periodStatus, type InvoiceReconciliation, type ReconciliationStatus, untaxedOf } from '../reconcile/explain.js';
import { tallyCharges, type TallyRequest } from '../reconcile/read.js';
import type { ChargeTally } from '../reconcile/tally.js';
import { chargeReport } from '../reports/charges.js';
import { periodStart } from '../reports/consumption.js';
import { addTo, NanoMoney, moneyOf, type Sums, toNanos } from '../reports/sums.js';
import { US_PER_MS } from '../reports/window.js';
import { UpstreamBadResponseError } from '../upstreams/errors.js';
import type { Consumption } from '../upstreams/scaleway/model.js';
import { type InvoiceShape, InvoiceRef } from './invoice.js';
import { MoneyRef } from './money.js';
import { OrganizationRef } from './organization.js';
import { chargeReadingOf, groupConnection, sharedSums } from './report.js';

/** Months either side of an invoice's billing period in which its charges are looked for (late charges). */
const MARGIN_MONTHS = 3;

const StatusEnum = builder.enumType('ReconciliationStatus', {
  description: 'How an invoice (or a billing period) agrees with its FinOps charges (docs/reconciliation.md).',
  values: {
    MATCHED: { description: 'The invoice equals its charges exactly.' },
    WITHIN_TOLERANCE: { description: 'What known causes (discount, late charges, …) leave unexplained, rounding included, is within the FOCUS 1.4 tolerance.' },
    MISMATCHED: { description: 'Beyond the tolerance, or charges in another currency than the invoice.' },
    OPEN: { description: 'The billing period has not ended, or the invoice is still a draft: it and its charges still change.' },
    NO_CHARGES: { description: 'No FinOps charge names this invoice (purchases, credit notes, months before FinOps data).' },
  },
});

const KindEnum = builder.enumType('ReconciliationItemKind', {
  description: 'A cause of the gap between an invoice and its charges.',
  values: {
    ROUNDING: { description: 'Invoice lines rounded to the subunit: per project and SKU, half away from zero (an assumption), minus the exact charges.' },
    DISCOUNT: { description: 'The invoice’s discount, when the invoice sends no `total_undiscount` and its untaxed total (after discount) is compared.' },
    UNINVOICED_CHARGES: { description: 'An open invoice’s period: charges on no invoice yet (they will be on it).' },
    OUT_OF_PERIOD: { description: 'Minus the charges on this invoice that started outside its billing period (assumed not in its total).' },
    CREDIT_NOTE: { description: 'What a credit note credits beyond its charges.' },
    UNEXPLAINED: { description: 'The rest.' },
  },
});

const ItemRef = builder.objectRef<{ kind: string; money: NanoMoney }>('ReconciliationItem').implement({
  description: 'One cause of the gap and its amount; the items of a reconciliation sum exactly to its `delta`.',
  fields: (t) => ({
    kind: t.field({ type: KindEnum, description: 'The cause.', resolve: (i) => i.kind as never }),
    amount: t.field({ type: MoneyRef, description: 'Its share of the delta, exact.', resolve: (i) => i.money }),
  }),
});

interface SkuRow {
  sku: string;
  currency: string;
  charges: bigint;
  chargeCount: number;
  /** Undefined: the invoice is not periodic (consumption belongs to the periodic invoice). */
  consumption?: bigint;
}

const SkuRef = builder.objectRef<SkuRow>('ReconciliationSku').implement({
  description: 'One SKU of an invoice: its FinOps charges against the consumption of the billing period, in one currency.',
  fields: (t) => ({
    sku: t.exposeString('sku', { description: 'The SKU (empty when the upstream sends none).' }),
    currency: t.exposeString('currency', { description: 'ISO 4217 currency of both sides.' }),
    chargesTotal: t.field({ type: MoneyRef, description: 'FinOps charges on this invoice with this SKU.', resolve: (r) => new NanoMoney(r.currency, r.charges) }),
    chargeCount: t.exposeInt('chargeCount', { description: 'How many.' }),
    consumptionTotal: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'Consumption of the billing period with this SKU; null unless the invoice is periodic (and, on Billing API v2alpha1, of the current month).',
      resolve: (r) => (r.consumption === undefined ? null : new NanoMoney(r.currency, r.consumption)),
    }),
    delta: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'consumption − charges; null unless the invoice is periodic.',
      resolve: (r) => (r.consumption === undefined ? null : new NanoMoney(r.currency, r.consumption - r.charges)),
    }),
  }),
});

/** The billing period of an invoice, µs, half-open: its month. */
function periodOf(invoice: InvoiceShape): { start: bigint; end: bigint; period: string } {
  const text = invoice.billingPeriod ?? invoice.startDate;
  if (!text) throw new UpstreamBadResponseError(`scaleway sent invoice ${invoice.id} without a billing period or start date`, { upstream: 'scaleway' });
  const period = text.slice(0, 7);
  return { start: periodStart(period), end: periodStart(period, true), period };
}

const nowUs = (ctx: Context) => BigInt(ctx.settings.now().getTime()) * US_PER_MS;

/** Still changing: its billing period has not ended, or Scaleway has not issued it yet (a draft). */
const isOpen = (ctx: Context, invoice: InvoiceShape) => periodOf(invoice).end > nowUs(ctx) || invoice.state === 'draft';

/** Per request (every operation of a batch): the charges of invoices, read together. */
const tallyLoaders = new WeakMap<object, DataLoader<TallyRequest & { organizationId: string }, ChargeTally, string>>();

function tallyOf(ctx: Context, invoice: InvoiceShape): Promise<ChargeTally> {
  let loader = tallyLoaders.get(ctx.budget);
  if (!loader) {
    loader = new DataLoader(
      async (keys) => {
        const byOrg = new Map<string, TallyRequest[]>();
        for (const k of keys) byOrg.set(k.organizationId, [...(byOrg.get(k.organizationId) ?? []), k]);
        const reading = { ...chargeReadingOf(ctx), marginMonths: MARGIN_MONTHS };
        // One organization's failed read fails its own invoices only.
        const tallies = new Map(
          await Promise.all([...byOrg].map(async ([org, list]) => [org, await tallyCharges(org, list, reading).catch((error: unknown) => error as Error)] as const)),
        );
        return keys.map((k) => {
          const tally = tallies.get(k.organizationId)!;
          return tally instanceof Error ? tally : tally.get(k.invoiceId)!;
        });
      },
      { cacheKeyFn: (k) => `${k.organizationId}/${k.invoiceId}`, maxBatchSize: 500 },
    );
    tallyLoaders.set(ctx.budget, loader);
  }
  const { start, end } = periodOf(invoice);
  return loader.load({ organizationId: invoice.organizationId, invoiceId: invoice.id, periodStart: start, periodEnd: end });
}

/** A month of charges summed per invoice id (one walk, shared by the request). */
function periodCharges(ctx: Context, organizationId: string, start: bigint, end: bigint) {
  const identity = { reconciliation: 'period', organizationId, start: String(start), end: String(end) };
  return sharedSums(ctx, identity, () =>
    // One clamped walk of the month (no sub-windows): each charge inside it whole, to the nano.
    chargeReport({ organizationId, from: start, to: end, granularity: 'NONE', groupBy: ['INVOICE'], filter: {} }, { ...chargeReadingOf(ctx), split: 1 }),
  )();
}

/** Charges of the period on no invoice, per currency. */
async function uninvoicedOf(ctx: Context, organizationId: string, start: bigint, end: bigint): Promise<{ uninvoiced: Sums; totals: Sums; count: number }> {
  const sums = await periodCharges(ctx, organizationId, start, end);
  const uninvoiced: Sums = new Map();
  for (const group of sums.groups.values()) {
    if (group.keys[0]?.id) continue;
    for (const [currency, nanos] of group.totals) addTo(uninvoiced, currency, nanos);
  }
  return { uninvoiced, totals: sums.totals, count: sums.rowCount };
}

function consumptionOf(ctx: Context, organizationId: string, billingPeriod: string): Promise<Consumption[]> {
  return offsetConnection(ctx.sources.consumptions({ organizationId, billingPeriod, orderBy: 'updated_at_desc' }), {}).all();
}

interface InvoiceReconciliationShape {
  invoice: InvoiceShape;
  tally: () => Promise<ChargeTally>;
  result: () => Promise<InvoiceReconciliation>;
}

function invoiceReconciliation(ctx: Context, invoice: InvoiceShape): InvoiceReconciliationShape {
  let tally: Promise<ChargeTally> | undefined;
  let result: Promise<InvoiceReconciliation> | undefined;
  const shape: InvoiceReconciliationShape = {
    invoice,
    tally: () => (tally ??= tallyOf(ctx, invoice)),
    result: () =>
      (result ??= (async () => {
        const { start, end } = periodOf(invoice);
        const open = isOpen(ctx, invoice);
        // One after the other: a failed read of the invoice's charges starts no walk of its month.
        const charges = await shape.tally();
        // The month's charges not invoiced yet are its periodic invoice's to come, not a purchase's.
        const period = open && invoice.type === 'periodic' ? await uninvoicedOf(ctx, invoice.organizationId, start, end) : undefined;
        return reconcile(invoice, charges, open, period?.uninvoiced);
      })()),
  };
  return shape;
}

const InvoiceReconciliationRef = builder.objectRef<InvoiceReconciliationShape>('InvoiceReconciliation').implement({
  description:
    'An invoice against the FinOps charges that name it (all pages, read for every invoice of the request at once), with the gap explained (docs/reconciliation.md).',
  fields: (t) => ({
    status: t.field({ type: StatusEnum, description: 'How they agree.', resolve: async (r) => (await r.result()).status }),
    invoiceTotalUntaxed: t.field({
      type: MoneyRef,
      description: 'The invoice’s total before tax, discounts applied.',
      resolve: (r) => untaxedOf(r.invoice),
    }),
    invoiceTotalDiscount: t.field({ type: MoneyRef, nullable: true, description: 'Its discounts, negative (null when not sent).', resolve: (r) => r.invoice.totalDiscount ?? null }),
    invoiceTotalTax: t.field({ type: MoneyRef, nullable: true, description: 'Its tax (null when not sent).', resolve: (r) => r.invoice.totalTax ?? null }),
    chargesTotal: t.field({ type: [MoneyRef], description: 'FinOps charges whose `invoice_id` is this invoice, per currency.', resolve: async (r) => moneyOf((await r.tally()).totals) }),
    chargeCount: t.int({ description: 'How many charges.', resolve: async (r) => (await r.tally()).count }),
    delta: t.field({
      type: MoneyRef,
      nullable: true,
      description: 'The invoice’s untaxed total before discount (`total_undiscount`; the untaxed total when it is not sent) − the charges, in the invoice’s currency; null when charges are in another currency.',
      resolve: async (r) => {
        const result = await r.result();
        return result.deltaNanos === undefined ? null : new NanoMoney(result.currency, result.deltaNanos);
      },
    }),
    tolerance: t.field({
      type: MoneyRef,
      description: 'FOCUS 1.4: max(100 × subunit, 0.5 × √charges × subunit), rounded up to the nano.',
      resolve: async (r) => {
        const result = await r.result();
        return new NanoMoney(result.currency, result.toleranceNanos);
      },
    }),
    explanations: t.field({
      type: [ItemRef],
      description: 'The causes of `delta`, zero ones left out; they sum exactly to it (empty when `delta` is null or zero).',
      resolve: async (r) => {
        const result = await r.result();
        return result.explanations.map((e) => ({ kind: e.kind, money: new NanoMoney(result.currency, e.nanos) }));
      },
    }),
    bySku: t.connection(
      {
        type: SkuRef,
        description: 'Per SKU and currency: the invoice’s charges against the consumption of its billing period (periodic invoices), by SKU.',
        resolve: (r, args, ctx) =>
          groupConnection(
            ctx,
            'InvoiceReconciliation.bySku',
            { reconciliation: r.invoice.organizationId, invoice: r.invoice.id },
            'KEY_ASC',
            async () => {
              // Billing API v2alpha1 serves this month's consumption only: other months have none to compare.
              const periodic = r.invoice.type === 'periodic' && (ctx.billing.version !== 'v2alpha1' || periodOf(r.invoice).end > nowUs(ctx));
              const [tally, consumption] = await Promise.all([r.tally(), periodic ? consumptionOf(ctx, r.invoice.organizationId, periodOf(r.invoice).period) : []]);
              const rows = new Map<string, SkuRow>();
              for (const s of tally.bySku.values()) rows.set(`${s.sku}\u0000${s.currency}`, { sku: s.sku, currency: s.currency, charges: s.nanos, chargeCount: s.count, consumption: periodic ? 0n : undefined });
              for (const c of consumption) {
                const key = `${c.sku ?? ''}\u0000${c.value.currency}`;
                const row = rows.get(key) ?? { sku: c.sku ?? '', currency: c.value.currency, charges: 0n, chargeCount: 0, consumption: 0n };
                row.consumption! += toNanos(c.value);
                rows.set(key, row);
              }
              return [...rows.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
            },
            args,
          ),
      },
      {
        name: 'ReconciliationSkuConnection',
        description: 'A page of an invoice’s SKUs.',
        fields: (t) => ({ totalCount: t.int({ description: 'Number of SKU and currency pairs.', resolve: (c) => c.totalCount }) }),
      },
      { name: 'ReconciliationSkuEdge', description: 'A SKU and its cursor.' },
    ),
  }),
});

builder.objectField(InvoiceRef, 'reconciliation', (t) =>
  t.field({
    type: InvoiceReconciliationRef,
    // Nullable (the issue sketched it non-null): a failed read of charges then fails this field alone, not the invoice list around it.
    nullable: true,
    description:
      'This invoice against its FinOps charges. The charges of every invoice of the request are read together (one walk per organization and FINOPS_RESOURCE_IDS_PER_CALL invoices). Null, with a coded error, when they cannot be read.',
    resolve: (invoice, _args, ctx) => invoiceReconciliation(ctx, invoice),
  }),
);

interface PeriodShape {
  organizationId: string;
  billingPeriod: string;
  start: bigint;
  end: bigint;
  invoices: () => Promise<InvoiceShape[]>;
  charges: () => Promise<{ uninvoiced: Sums; totals: Sums; count: number }>;
}

const PeriodReconciliationRef = builder.objectRef<PeriodShape>('PeriodReconciliation').implement({
  description: 'A billing period: its invoices, its consumption and its FinOps charges side by side, per currency (docs/reconciliation.md).',
  fields: (t) => ({
    billingPeriod: t.string({ description: 'The month, `YYYY-MM`.', resolve: (p) => p.billingPeriod }),
    invoices: t.field({ type: [InvoiceRef], description: 'Every invoice of the period (all kinds).', resolve: (p) => p.invoices() }),
    invoicedUntaxed: t.field({
      type: [MoneyRef],
      description: 'Σ of the invoices’ untaxed totals (discounts applied), per currency.',
      resolve: async (p) => {
        const sums: Sums = new Map();
        for (const i of await p.invoices()) {
          // Never a total that silently leaves an invoice out.
          const untaxed = untaxedOf(i);
          addTo(sums, untaxed.currency, toNanos(untaxed));
        }
        return moneyOf(sums);
      },
    }),
    consumptionTotal: t.field({
      type: [MoneyRef],
      description: 'Σ of the period’s consumption, per currency.',
      resolve: async (p, _args, ctx) => {
        const sums: Sums = new Map();
        for (const c of await consumptionOf(ctx, p.organizationId, p.billingPeriod)) addTo(sums, c.value.currency, toNanos(c.value));
        return moneyOf(sums);
      },
    }),
    chargesTotal: t.field({ type: [MoneyRef], description: 'Σ of the FinOps charges of the period (clamped to it), per currency.', resolve: async (p) => moneyOf((await p.charges()).totals) }),
    uninvoicedCharges: t.field({ type: [MoneyRef], description: 'The part of `chargesTotal` on no invoice yet.', resolve: async (p) => moneyOf((await p.charges()).uninvoiced) }),
    status: t.field({
      type: StatusEnum,
      description: 'OPEN while the period runs; NO_CHARGES without charges; else the worst of its invoices’ statuses and of its uninvoiced charges against the tolerance.',
      resolve: async (p, _args, ctx) => {
        const open = p.end > nowUs(ctx);
        if (open) return 'OPEN';
        const [invoices, charges] = await Promise.all([p.invoices(), p.charges()]);
        const statuses: ReconciliationStatus[] = await Promise.all(invoices.map(async (i) => (await invoiceReconciliation(ctx, i).result()).status));
        return periodStatus(false, charges.count, statuses, charges.uninvoiced);
      },
    }),
  }),
});

builder.objectField(OrganizationRef, 'reconciliation', (t) =>
  t.field({
    type: PeriodReconciliationRef,
    nullable: true,
    description:
      'A billing period reconciled: invoices, consumption and FinOps charges. Reads the month’s charges whole (counted against the request’s upstream calls). Null, with a coded error, when an upstream read fails.',
    args: { billingPeriod: t.arg({ type: 'BillingPeriod', required: true, description: 'The month, `YYYY-MM`; not after the current one.' }) },
    resolve: (org, args, ctx) => {
      const start = periodStart(args.billingPeriod);
      const end = periodStart(args.billingPeriod, true);
      if (start > nowUs(ctx)) throw badInput('`billingPeriod` is in the future', 'billingPeriod');
      if (ctx.billing.version === 'v2alpha1' && end <= nowUs(ctx)) {
        throw badInput('Billing API v2alpha1 serves the consumption of the current month only: reconcile past months on v2beta1', 'billingPeriod');
      }
      let invoices: Promise<InvoiceShape[]> | undefined;
      return {
        organizationId: org.id,
        billingPeriod: args.billingPeriod,
        start,
        end,
        invoices: () =>
          (invoices ??= (async () => {
            const list = await offsetConnection(
              ctx.sources.invoices({
                organizationId: org.id,
                startedAfter: new Date(Number(start / US_PER_MS)).toISOString(),
                startedBefore: new Date(Number(end / US_PER_MS)).toISOString(),
                orderBy: 'start_date_asc',
              }),
              { first: MAX_PERIOD_INVOICES + 1 },
            ).edges.then((edges) => edges.map((e) => e.node));
            if (list.length > MAX_PERIOD_INVOICES) {
              throw badInput(`${args.billingPeriod} has more than ${MAX_PERIOD_INVOICES} invoices: reconcile them through \`invoices(startedAfter:, startedBefore:)\`, a page at a time`, 'billingPeriod');
            }
            return list;
          })()),
        charges: () => uninvoicedOf(ctx, org.id, start, end),
      };
    },
  }),
);
