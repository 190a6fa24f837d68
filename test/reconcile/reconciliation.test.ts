import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/lib/money.js';
import type { SimCharge, SimInvoice } from '../../src/simulator/data.js';
import { useStack } from '../helpers/stack.js';

/**
 * Invoice and period reconciliation over the real stack. Every expected figure is computed here from
 * the simulator's raw bills (its invoices, charges and consumption), never from the gateway's code:
 * the arithmetic of docs/reconciliation.md written out a second time.
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW, finopsPageSize: 100 });
const CHARGES = '/billing/v2beta1/charges';

const RECONCILE = `query R($after: DateTime, $first: Int) { organization { invoices(first: $first, startedAfter: $after, orderBy: START_DATE_DESC) { edges { node {
  invoiceId invoiceType billingPeriod
  reconciliation { status invoiceTotalUntaxed { amount currency } invoiceTotalDiscount { amount } invoiceTotalTax { amount }
    chargesTotal { amount currency } chargeCount delta { amount currency } tolerance { amount currency } explanations { kind amount { amount currency } } }
} } } } }`;

const org = () => stack.sim.data.organizations[0]!;
const chargesOn = (inv: SimInvoice) => stack.sim.data.charges.get(org().id)!.filter((c) => c.invoiceId === inv.id);
const month = (iso: string) => iso.slice(0, 7);
const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new Exact(0));

/** What the docs say, written out again: base − charges, and the rounding of the invoice's lines. */
function expected(inv: SimInvoice) {
  const charges = chargesOn(inv);
  const base = inv.noUndiscount ? inv.untaxed : inv.untaxed.minus(inv.discount);
  const delta = base.minus(sum(charges.map((c) => c.price)));
  const lines = new Map<string, Decimal>();
  for (const c of charges.filter((c: SimCharge) => month(c.startDate) === month(inv.billingPeriod))) {
    const key = `${c.projectId}|${c.sku}`;
    lines.set(key, (lines.get(key) ?? new Exact(0)).plus(c.price));
  }
  const rounding = sum([...lines.values()].map((v) => v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).minus(v)));
  const tolerance = Decimal.max(new Exact('1'), new Exact(charges.length).sqrt().times('0.005'));
  return { charges, base, delta, rounding, tolerance };
}

const text = (d: Decimal) => new Exact(d.toFixed(9)).toFixed();

describe('invoice reconciliation', () => {
  it('reconciles each case the simulator has, every figure equal to the raw bills, explanations summing to the delta', async () => {
    const r = await stack.query(RECONCILE, { after: '2026-08-01T00:00:00Z', first: 100 });
    expect(r.errors).toBeUndefined();
    const nodes = r.data.organization.invoices.edges.map((e: any) => e.node);
    const byId = new Map(stack.sim.data.invoices.get(org().id)!.map((i) => [i.id, i]));
    const statuses = new Map<string, string>();
    for (const node of nodes) {
      const inv = byId.get(node.invoiceId)!;
      const rec = node.reconciliation;
      const want = expected(inv);
      expect(rec.chargeCount).toBe(want.charges.length);
      expect(rec.invoiceTotalUntaxed).toEqual({ amount: inv.untaxed.toFixed(), currency: inv.currency });
      expect(rec.delta).toEqual({ amount: want.delta.toFixed(), currency: inv.currency });
      expect(rec.tolerance.amount).toBe(new Exact(want.tolerance.toFixed(9, Decimal.ROUND_CEIL)).toFixed());
      // The items sum exactly to the delta, each in the invoice's currency.
      const items = rec.explanations as { kind: string; amount: { amount: string; currency: string } }[];
      expect(text(sum(items.map((i) => new Exact(i.amount.amount))))).toBe(items.length ? want.delta.toFixed() : '0');
      for (const i of items) expect(i.amount.currency).toBe(inv.currency);
      if (want.charges.length) expect(items.find((i) => i.kind === 'ROUNDING')?.amount.amount ?? '0').toBe(text(want.rounding));
      statuses.set(inv.type === 'periodic' ? month(inv.billingPeriod) : `${inv.type}:${inv.id}`, rec.status);
      if (inv.type === 'credit_note') expect(items.map((i) => i.kind)).toEqual(['CREDIT_NOTE']);
      if (inv.type !== 'periodic') expect(rec.status).toBe('NO_CHARGES');
    }
    // This month: open. Last month: a late charge of the month before, explained. Two back: exact.
    // Three back: no total_undiscount, its discount explained. Four back: a line no charge explains.
    expect([...statuses].filter(([k]) => !k.includes(':'))).toEqual([
      ['2026-12', 'OPEN'],
      ['2026-11', 'WITHIN_TOLERANCE'],
      ['2026-10', 'MATCHED'],
      ['2026-09', 'WITHIN_TOLERANCE'],
      ['2026-08', 'MISMATCHED'],
    ]);
    const kinds = (period: string) => nodes.find((n: any) => n.invoiceType === 'PERIODIC' && n.billingPeriod.startsWith(period)).reconciliation.explanations;
    expect(kinds('2026-11')).toContainEqual({ kind: 'OUT_OF_PERIOD', amount: { amount: '-0.4', currency: 'EUR' } });
    expect(kinds('2026-10')).toEqual([]);
    const september = [...byId.values()].find((i) => i.type === 'periodic' && month(i.billingPeriod) === '2026-09')!;
    expect(kinds('2026-09')).toContainEqual({ kind: 'DISCOUNT', amount: { amount: september.discount.toFixed(), currency: 'EUR' } });
    expect(kinds('2026-08')).toContainEqual({ kind: 'UNEXPLAINED', amount: { amount: '25', currency: 'EUR' } });
    const current = kinds('2026-12');
    const uninvoiced = sum(stack.sim.data.charges.get(org().id)!.filter((c) => month(c.startDate) === '2026-12').map((c) => c.price));
    expect(current[0]).toEqual({ kind: 'UNINVOICED_CHARGES', amount: { amount: uninvoiced.toFixed(), currency: 'EUR' } });
    // One walk of charges per 50 invoices (FINOPS_RESOURCE_IDS_PER_CALL, the ids-per-call limit), whatever their number.
    const walks = stack.sim.calls(CHARGES).filter((c) => c.query.has('invoice_ids') && !c.query.has('page_token'));
    expect(walks).toHaveLength(Math.ceil(nodes.length / 50));
    expect(new Set(walks.flatMap((w) => w.query.getAll('invoice_ids')))).toEqual(new Set(nodes.map((n: any) => n.invoiceId)));
  });

  it('reads the charges of a page of 20 invoices in one walk filtered by all their ids, not 20', async () => {
    stack.sim.resetLog();
    const r = await stack.query(`{ organization { invoices(first: 20) { edges { node { invoiceId reconciliation { status chargeCount } } } } } }`);
    expect(r.errors).toBeUndefined();
    const ids = r.data.organization.invoices.edges.map((e: any) => e.node.invoiceId);
    expect(ids).toHaveLength(20);
    const calls = stack.sim.calls(CHARGES);
    const firstPages = calls.filter((c) => !c.query.has('page_token'));
    expect(firstPages.filter((c) => c.query.has('invoice_ids'))).toHaveLength(1);
    expect(new Set(firstPages.find((c) => c.query.has('invoice_ids'))!.query.getAll('invoice_ids'))).toEqual(new Set(ids));
    // Every page of that walk asks for the same ids, unclamped.
    for (const c of calls.filter((c) => c.query.has('invoice_ids'))) {
      expect(c.query.getAll('invoice_ids')).toHaveLength(20);
      expect(c.query.get('clamp_to_time_range')).toBe('false');
    }
  });
});

describe('invoice reconciliation, ids split by the per-call limit', () => {
  const small = useStack({ now: NOW, finopsPageSize: 1000, finopsMaxIdsPerCall: 7 });
  it('reads 20 invoices as three walks of at most 7 ids each, their union the page', async () => {
    const r = await small.query(`{ organization { invoices(first: 20) { edges { node { invoiceId reconciliation { chargeCount } } } } } }`);
    expect(r.errors).toBeUndefined();
    const ids = r.data.organization.invoices.edges.map((e: any) => e.node.invoiceId);
    const walks = small.sim.calls(CHARGES).filter((c) => c.query.has('invoice_ids') && !c.query.has('page_token'));
    expect(walks.map((w) => w.query.getAll('invoice_ids').length)).toEqual([7, 7, 6]);
    expect(new Set(walks.flatMap((w) => w.query.getAll('invoice_ids')))).toEqual(new Set(ids));
  });
});

const PERIOD = `query P($p: BillingPeriod!) { organization { reconciliation(billingPeriod: $p) {
  billingPeriod status invoices { invoiceId } invoicedUntaxed { amount currency } consumptionTotal { amount currency } chargesTotal { amount currency } uninvoicedCharges { amount currency } } } }`;

/** Σ per currency as the graph lists it: by currency code, exact text. */
function totals(rows: { currency: string; value: Decimal }[]) {
  const sums = new Map<string, Decimal>();
  for (const r of rows) sums.set(r.currency, (sums.get(r.currency) ?? new Exact(0)).plus(r.value));
  return [...sums.keys()].sort().map((currency) => ({ amount: sums.get(currency)!.toFixed(), currency }));
}

describe('period reconciliation', () => {
  it.each([
    ['2026-12', 'OPEN'],
    ['2026-11', 'WITHIN_TOLERANCE'],
    ['2026-10', 'MATCHED'],
    ['2026-09', 'WITHIN_TOLERANCE'],
    ['2026-08', 'MISMATCHED'],
    ['2025-08', 'NO_CHARGES'],
  ])('%s is %s, its figures those of the raw bills', async (period, status) => {
    const r = await stack.query(PERIOD, { p: period });
    expect(r.errors).toBeUndefined();
    const rec = r.data.organization.reconciliation;
    const data = stack.sim.data;
    const invoices = data.invoices.get(org().id)!.filter((i) => month(i.startDate) === period);
    const charges = data.charges.get(org().id)!.filter((c) => month(c.startDate) === period);
    expect(rec.status).toBe(status);
    expect(rec.billingPeriod).toBe(period);
    expect(new Set(rec.invoices.map((i: any) => i.invoiceId))).toEqual(new Set(invoices.map((i) => i.id)));
    expect(rec.invoicedUntaxed).toEqual(totals(invoices.map((i) => ({ currency: i.currency, value: i.untaxed }))));
    expect(rec.consumptionTotal).toEqual(totals(data.consumptions(org().id, period).map((c) => ({ currency: c.currency, value: c.value }))));
    expect(rec.chargesTotal).toEqual(totals(charges.map((c) => ({ currency: c.currency, value: c.price }))));
    expect(rec.uninvoicedCharges).toEqual(totals(charges.filter((c) => c.invoiceId === '').map((c) => ({ currency: c.currency, value: c.price }))));
  });

  it('refuses a future period, an ill-formed one, and costs a report, with no upstream call', async () => {
    const future = await stack.query(PERIOD, { p: '2027-01' });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'billingPeriod' });
    const bad = await stack.query(PERIOD, { p: '2026-13' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Seven periods: 3,500 of a limit of 3,000.
    const many = await stack.query(`{ organization { ${[1, 2, 3, 4, 5, 6, 7].map((m) => `p${m}: reconciliation(billingPeriod: "2026-0${m}") { status }`).join(' ')} } }`);
    expect(many.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    // Reconciling 300 invoices at once costs 300 rows plus 300 × 10.
    const wide = await stack.query(`{ organization { invoices(first: 300) { edges { node { reconciliation { status } } } } } }`);
    expect(wide.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(stack.sim.calls()).toHaveLength(0);
  });

  it('answers an upstream failure of the charges on the reconciliation fields alone, typed', async () => {
    stack.sim.inject({ path: CHARGES, status: 503, body: '' });
    const r = await stack.query(`{ organization { invoices(first: 3) { edges { node { invoiceId reconciliation { status } } } } } }`);
    expect(r.data.organization.invoices.edges).toHaveLength(3);
    expect(r.data.organization.invoices.edges.every((e: any) => e.node.invoiceId && e.node.reconciliation === null)).toBe(true);
    expect(r.errors?.length).toBe(3);
    expect(new Set(r.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
  });
});

describe('reconciliation of several organizations', () => {
  it('reads each organization’s invoices in a walk of its own; one failing fails its own invoices only', async () => {
    const [a, b] = stack.sim.data.organizations.map((o) => o.id);
    stack.sim.inject({ path: CHARGES, query: { organization_id: b! }, status: 503, body: '' });
    const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId invoices(first: 5) { edges { node { reconciliation { chargeCount } } } } } }`, { ids: [a, b] });
    const [first, second] = r.data.organizations;
    expect(first.invoices.edges.every((e: any) => typeof e.node.reconciliation.chargeCount === 'number')).toBe(true);
    expect(second.invoices.edges.every((e: any) => e.node.reconciliation === null)).toBe(true);
    expect(r.errors).toHaveLength(5);
    expect(r.errors!.every((e) => e.extensions?.code === 'UPSTREAM_UNAVAILABLE' && e.path?.[1] === 1)).toBe(true);
    const walks = stack.sim.calls(CHARGES).filter((c) => !c.query.has('page_token'));
    expect(walks.map((w) => w.query.get('organization_id')).sort()).toEqual([a, b].sort());
  });
});

describe('reconciliation of an invoice by node id and bySku', () => {
  it('pages an invoice’s SKUs: charges against the period’s consumption, exact per SKU', async () => {
    const inv = stack.sim.data.invoices.get(org().id)!.find((i) => i.type === 'periodic' && month(i.billingPeriod) === '2026-08')!;
    const id = Buffer.from(`Invoice:${org().id}/${inv.id}`).toString('base64');
    const rows: any[] = [];
    let after: string | null = null;
    do {
      const r: any = await stack.query(
        `query($id: ID!, $after: String) { node(id: $id) { ... on Invoice { reconciliation { bySku(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { sku currency chargesTotal { amount } chargeCount consumptionTotal { amount } delta { amount } } } } } } } }`,
        { id, after },
      );
      expect(r.errors).toBeUndefined();
      const page = r.data.node.reconciliation.bySku;
      rows.push(...page.edges.map((e: any) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const charges = chargesOn(inv);
    const consumption = stack.sim.data.consumptions(org().id, '2026-08');
    const skus = [...new Set([...charges.map((c) => c.sku), ...consumption.map((c) => c.sku)])].sort();
    expect(rows.map((r) => r.sku)).toEqual(skus);
    for (const row of rows) {
      const c = sum(charges.filter((x) => x.sku === row.sku).map((x) => x.price));
      const k = sum(consumption.filter((x) => x.sku === row.sku).map((x) => x.value));
      expect(row).toEqual({ sku: row.sku, currency: 'EUR', chargesTotal: { amount: c.toFixed() }, chargeCount: charges.filter((x) => x.sku === row.sku).length, consumptionTotal: { amount: k.toFixed() }, delta: { amount: k.minus(c).toFixed() } });
    }
    // The support line no charge explains: the whole of the mismatch.
    expect(rows.find((r) => r.sku === '/support/business_plan')).toMatchObject({ chargeCount: 0, delta: { amount: '25' } });
  });
});

describe('docs/reconciliation.md', () => {
  it('shows the figures the demo answers on the day it was written for', async () => {
    const r = await stack.query(RECONCILE, { after: '2026-08-01T00:00:00Z', first: 100 });
    const periodic = r.data.organization.invoices.edges.map((e: any) => e.node).filter((n: any) => n.invoiceType === 'PERIODIC');
    const row = (period: string) => {
      const rec = periodic.find((n: any) => n.billingPeriod.startsWith(period)).reconciliation;
      return [rec.delta.amount, rec.explanations.map((e: any) => `${e.kind} ${e.amount.amount}`).join(', '), rec.status, rec.tolerance.amount];
    };
    // The table of docs/reconciliation.md, row by row.
    expect(row('2026-11')).toEqual(['-0.408396708', 'OUT_OF_PERIOD -0.4, ROUNDING -0.008396708', 'WITHIN_TOLERANCE', '1']);
    expect(row('2026-10')).toEqual(['0', '', 'MATCHED', '1']);
    expect(row('2026-09')).toEqual(['-22.327038101', 'DISCOUNT -22.34, ROUNDING 0.012961899', 'WITHIN_TOLERANCE', '1']);
    expect(row('2026-08')).toEqual(['24.988015334', 'ROUNDING -0.011984666, UNEXPLAINED 25', 'MISMATCHED', '1']);
  });
});

describe('reconciliation, found by review', () => {
  const own = useStack({ now: NOW, finopsPageSize: 1000 });
  const acme = () => own.sim.data.organizations[0]!;
  const periodic = (period: string) => own.sim.data.invoices.get(acme().id)!.find((i) => i.type === 'periodic' && month(i.billingPeriod) === period)!;
  const nodeId = (inv: SimInvoice) => Buffer.from(`Invoice:${acme().id}/${inv.id}`).toString('base64');

  it('is OPEN for a draft of a closed month, and leaves this month’s uninvoiced charges to its periodic invoice', async () => {
    // First in this stack, before any read of the invoices (their wire form is built once): October's invoice still a draft,
    // one purchase moved to this month.
    periodic('2026-10').state = 'draft';
    const purchase = own.sim.data.invoices.get(acme().id)!.find((i) => i.type === 'purchase')!;
    Object.assign(purchase, { startDate: '2026-12-01T09:00:00Z', billingPeriod: '2026-12-01T00:00:00Z', stopDate: '2026-12-31T23:59:59.999999Z' });
    const r = await own.query(`{ organization { invoices(first: 100, startedAfter: "2026-10-01T00:00:00Z") { edges { node { invoiceId reconciliation { status explanations { kind } } } } } }
      reconciliation(billingPeriod: "2026-10") { status } } }`.replace('} } } } } }\n      reconciliation', '} } } } }\n      reconciliation'));
    expect(r.errors).toBeUndefined();
    const by = new Map(r.data.organization.invoices.edges.map((e: any) => [e.node.invoiceId, e.node.reconciliation]));
    expect((by.get(periodic('2026-10').id) as any).status).toBe('OPEN');
    expect(r.data.organization.reconciliation.status).toBe('OPEN');
    expect((by.get(purchase.id) as any).status).toBe('OPEN');
    expect((by.get(purchase.id) as any).explanations.map((e: any) => e.kind)).not.toContain('UNINVOICED_CHARGES');
    expect((by.get(periodic('2026-12').id) as any).explanations.map((e: any) => e.kind)).toContain('UNINVOICED_CHARGES');
  });

  it('says the same of an invoice read alone or among others, however late a charge naming it', async () => {
    // A charge of June billed on November's invoice: five months late, beyond the margin looked in.
    const june = own.sim.data.charges.get(acme().id)!.find((c) => month(c.startDate) === '2026-06');
    const late = june ?? own.sim.data.charges.get(acme().id)!.find((c) => month(c.startDate) === '2026-08')!;
    const was = late.invoiceId;
    late.invoiceId = periodic('2026-11').id;
    try {
      const alone = await own.query(`query($id: ID!) { node(id: $id) { ... on Invoice { reconciliation { chargeCount chargesTotal { amount } } } } }`, { id: nodeId(periodic('2026-11')) });
      const among = await own.query(`{ organization { invoices(first: 100, startedAfter: "2026-01-01T00:00:00Z", invoiceType: PERIODIC) { edges { node { invoiceId reconciliation { chargeCount chargesTotal { amount } } } } } } }`);
      const there = among.data.organization.invoices.edges.find((e: any) => e.node.invoiceId === periodic('2026-11').id).node.reconciliation;
      expect(there).toEqual(alone.data.node.reconciliation);
    } finally {
      late.invoiceId = was;
    }
  });

  it('refuses a nested `first` out of range before the invoices above it are read', async () => {
    const r = await own.query(`{ organization { invoices(first: 2) { edges { node { reconciliation { bySku(first: 600) { totalCount } } } } } } }`);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(own.sim.calls()).toHaveLength(0);
  });

  it('costs a period’s invoices for as many as it may list (100), selections under them included', async () => {
    const r = await own.query(`{ organization { reconciliation(billingPeriod: "2026-11") { invoices { reconciliation { status bySku(first: 500) { edges { node { sku } } } } } } } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
    expect(own.sim.calls()).toHaveLength(0);
  });
});

describe('reconciliation on Billing API v2alpha1', () => {
  const alpha = useStack({ now: NOW, finopsPageSize: 1000, version: 'v2alpha1' });
  it('reconciles past invoices without their consumption, and refuses a past period before any call', async () => {
    const r = await alpha.query(`{ organization { invoices(first: 8, invoiceType: PERIODIC) { edges { node { reconciliation { status bySku(first: 3) { edges { node { sku consumptionTotal { amount } delta { amount } } } } } } } } } }`);
    expect(r.errors).toBeUndefined();
    const past = r.data.organization.invoices.edges.map((e: any) => e.node.reconciliation).filter((x: any) => x.status !== 'OPEN');
    expect(past.length).toBeGreaterThan(0);
    for (const rec of past) for (const e of rec.bySku.edges) expect(e.node.consumptionTotal).toBeNull();
    alpha.sim.resetLog();
    const p = await alpha.query(`{ organization { reconciliation(billingPeriod: "2026-10") { status } } }`);
    expect(p.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'billingPeriod' });
    expect(alpha.sim.calls()).toHaveLength(0);
  });
});
