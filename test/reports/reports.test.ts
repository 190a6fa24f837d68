import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';
import * as brute from './brute.js';

/**
 * Cost and usage reports over the real stack (yoga in front of the real clients, the simulator over
 * a socket): for seeded random windows, granularities, groupings and filters, every report equals
 * the brute-force sum of the simulator's raw rows (brute.ts), exact to the nano; buckets and groups
 * sum exactly to the totals.
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW, finopsPageSize: 1000, simulator: { chargesPerOrg: 5000 } });

/** mulberry32: a seeded generator, so that a failure is replayed by its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const REPORT = `query R($from: DateTime!, $to: DateTime!, $g: CostGranularity, $by: [ChargeDimension!], $f: ChargeReportFilter) {
  organization { chargeReport(from: $from, to: $to, granularity: $g, groupBy: $by, filter: $f) {
    from to granularity rowCount totals { amount currency } buckets { start end totals { amount currency } }
    groups(first: 500) { totalCount edges { node { keys { dimension id name } totals { amount currency } series { start totals { amount currency } } } } }
  } } }`;

const DIMENSIONS = ['PROJECT', 'RESOURCE', 'SKU', 'INVOICE'] as const;
const field = { PROJECT: 'projectId', RESOURCE: 'resourceId', SKU: 'sku', INVOICE: 'invoiceId' } as const;

function checkSums(report: any) {
  // Buckets sum exactly to the totals, and so do groups.
  const sum = (lists: { amount: string; currency: string }[][]) => {
    const m = new Map<string, any>();
    for (const list of lists) for (const x of list) m.set(x.currency, (m.get(x.currency) ?? brute.asMap([{ amount: '0', currency: x.currency }]).get(x.currency)).plus(x.amount));
    return brute.mapText(m);
  };
  const totals = brute.mapText(brute.asMap(report.totals));
  expect(sum(report.buckets.map((b: any) => b.totals))).toBe(totals);
  // (when every group is on the page)
  if (report.groups.totalCount === report.groups.edges.length) expect(sum(report.groups.edges.map((e: any) => e.node.totals))).toBe(totals);
}

describe('chargeReport', () => {
  it('equals the brute-force sum of the raw charges, for random windows, granularities, groupings and filters', async () => {
    const org = stack.sim.data.organizations[0]!;
    const charges = stack.sim.data.charges.get(org.id)!;
    const projects = [...new Set(charges.map((c) => c.projectId))].sort();
    const skus = [...new Set(charges.map((c) => c.sku))].sort();
    const resources = [...new Set(charges.map((c) => c.resourceId))].sort();
    const first = Date.UTC(2026, 9, 1);
    for (let seed = 1; seed <= 14; seed++) {
      const r = random(seed);
      const from = first + r.int(0, 55) * 86_400_000 + (r.next() < 0.4 ? r.int(1, 1439) * 60_000 : 0);
      const to = Math.min(from + r.int(1, 40) * 86_400_000 + (r.next() < 0.3 ? r.int(-720, 720) * 60_000 : 0), Date.UTC(2026, 11, 3));
      const g = r.pick(['NONE', 'DAY', 'WEEK', 'MONTH']);
      const by = [...DIMENSIONS].sort(() => r.next() - 0.5).slice(0, r.int(0, 2));
      const kind = r.int(0, 3);
      const f =
        kind === 1 ? { projectIds: [r.pick(projects), r.pick(projects)] } : kind === 2 ? { skus: [r.pick(skus)] } : kind === 3 ? { resourceIds: resources.filter(() => r.next() < 0.1) } : undefined;
      const keep = (c: any) =>
        (!f?.projectIds || f.projectIds.includes(c.projectId)) && (!f?.skus || f.skus.includes(c.sku)) && (!f?.resourceIds || f.resourceIds.includes(c.resourceId));
      const res = await stack.query(REPORT, { from: new Date(from).toISOString(), to: new Date(to).toISOString(), g, by, f });
      expect(res.errors, `seed ${seed}`).toBeUndefined();
      const report = res.data.organization.chargeReport;
      const want = brute.chargeReport(charges, from, to, g, (c) => by.map((d) => String(c[field[d]] || null)).join('|'), keep);
      const context = `seed ${seed}: ${new Date(from).toISOString()} → ${new Date(to).toISOString()} ${g} by ${by.join(',')} ${JSON.stringify(f)?.slice(0, 80)}`;
      expect(report.rowCount, context).toBe(want.rowCount);
      expect(brute.mapText(brute.asMap(report.totals)), context).toBe(brute.mapText(want.totals));
      expect(report.buckets.map((b: any) => brute.mapText(brute.asMap(b.totals))), context).toEqual(want.buckets.map(brute.mapText));
      expect(report.buckets.map((b: any) => Date.parse(b.start))).toEqual(brute.buckets(from, to, g).map((b) => b.start));
      expect(report.groups.totalCount, context).toBe(want.groups.size);
      for (const { node } of report.groups.edges) {
        const key = node.keys.map((k: any) => String(k.id)).join('|');
        const w = want.groups.get(key);
        expect(w, `${context} group ${key}`).toBeDefined();
        expect(brute.mapText(brute.asMap(node.totals)), context).toBe(brute.mapText(w!.totals));
        expect(node.series.map((b: any) => brute.mapText(brute.asMap(b.totals))), context).toEqual(w!.series.map(brute.mapText));
      }
      checkSums(report);
    }
  }, 120_000);

  it('holds two currencies apart, and orders TOTAL_DESC by currency code then amount', async () => {
    const res = await stack.query(REPORT, { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', g: 'NONE', by: ['RESOURCE'] });
    const report = res.data.organization.chargeReport;
    expect(report.totals.map((m: any) => m.currency)).toEqual(['EUR', 'USD']);
    const eur = report.groups.edges.map((e: any) => Number(e.node.totals.find((m: any) => m.currency === 'EUR')?.amount ?? 0));
    // EUR first (by code): descending on EUR, the USD-only groups (EUR 0) after every EUR one.
    expect(eur).toEqual([...eur].sort((a, b) => b - a));
    expect(eur.at(-1)).toBe(0);
  });

  it('makes one walk per sub-window, shared by two reports of one request over the same window', async () => {
    stack.sim.resetLog();
    const vars = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };
    await stack.query(`query($from: DateTime!, $to: DateTime!) { organization { chargeReport(from: $from, to: $to) { rowCount } } }`, vars);
    const alone = stack.sim.log.length;
    // 30 days: 8 sub-windows, each one page of 1,000 at most.
    expect(alone).toBe(8);
    stack.sim.resetLog();
    const both = await stack.query(
      `query($from: DateTime!, $to: DateTime!) { organization { a: chargeReport(from: $from, to: $to, groupBy: [PROJECT]) { rowCount } b: chargeReport(from: $from, to: $to, granularity: DAY, groupBy: [SKU]) { rowCount totals { amount } } } }`,
      vars,
    );
    expect(both.errors).toBeUndefined();
    expect(stack.sim.log.length).toBe(alone);
    expect(both.data.organization.a.rowCount).toBe(both.data.organization.b.rowCount);
  });

  it('makes no upstream call for the window, granularity and keys alone', async () => {
    stack.sim.resetLog();
    const res = await stack.query(`{ organization { chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", granularity: WEEK) { from to granularity } } }`);
    expect(res.data.organization.chargeReport).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', granularity: 'WEEK' });
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('consumptionReport', () => {
  it('equals the brute-force sum of the consumption rows, month by month, grouped and filtered', async () => {
    const org = stack.sim.data.organizations[0]!;
    const categories = [...new Set(stack.sim.data.consumptions(org.id, '2026-11').map((c) => c.categoryName))].sort();
    const cases = [
      { fromPeriod: '2026-01', toPeriod: '2026-12', g: 'MONTH', by: ['CATEGORY'] },
      { fromPeriod: '2025-12', toPeriod: '2026-03', g: 'NONE', by: ['PROJECT', 'CATEGORY'] },
      { fromPeriod: '2026-10', toPeriod: '2026-11', g: 'MONTH', by: ['PRODUCT'], f: { categories: categories.slice(0, 2) } },
      { fromPeriod: '2026-06', toPeriod: '2026-06', g: 'MONTH', by: [], f: { projectIds: [org.projects[1]!.id.toUpperCase()] } },
    ];
    const field = { PROJECT: 'projectId', CATEGORY: 'categoryName', PRODUCT: 'productName', SKU: 'sku' } as const;
    for (const c of cases) {
      const res = await stack.query(
        `query($a: BillingPeriod!, $b: BillingPeriod!, $g: CostGranularity, $by: [ConsumptionDimension!], $f: ConsumptionReportFilter) { organization { consumptionReport(fromPeriod: $a, toPeriod: $b, granularity: $g, groupBy: $by, filter: $f) {
          rowCount totals { amount currency } buckets { start totals { amount currency } } groups(first: 500) { totalCount edges { node { keys { id } totals { amount currency } } } } } } }`,
        { a: c.fromPeriod, b: c.toPeriod, g: c.g, by: c.by, f: c.f },
      );
      expect(res.errors, JSON.stringify(c)).toBeUndefined();
      const report = res.data.organization.consumptionReport;
      const periods: string[] = [];
      for (let d = new Date(`${c.fromPeriod}-01T00:00:00Z`); d.toISOString().slice(0, 7) <= c.toPeriod; d.setUTCMonth(d.getUTCMonth() + 1)) periods.push(d.toISOString().slice(0, 7));
      const keep = (r: any) => (!c.f?.projectIds || r.projectId === org.projects[1]!.id) && (!c.f?.categories || c.f.categories.includes(r.categoryName));
      const want = brute.consumptionReport((p) => stack.sim.data.consumptions(org.id, p), periods, c.g, (r: any) => c.by.map((d) => String(r[field[d as keyof typeof field]])).join('|'), keep);
      expect(report.rowCount).toBe(want.rowCount);
      expect(brute.mapText(brute.asMap(report.totals))).toBe(brute.mapText(want.totals));
      expect(report.buckets.map((b: any) => brute.mapText(brute.asMap(b.totals)))).toEqual(want.buckets.map(brute.mapText));
      expect(report.groups.totalCount).toBe(want.groups.size);
      for (const { node } of report.groups.edges) expect(brute.mapText(brute.asMap(node.totals))).toBe(brute.mapText(want.groups.get(node.keys.map((k: any) => String(k.id)).join('|'))!.totals));
      checkSums(report);
    }
  }, 60_000);
});

describe('usageReport', () => {
  it('equals the brute-force sums of Scalr’s daily rows, by bucket and by environment or workspace', async () => {
    const account = stack.sim.data.scalrAccounts[0]!;
    const cases = [
      { from: '2026-06-01', to: '2026-12-01', g: 'MONTH', by: ['ENVIRONMENT'] },
      { from: '2026-11-02', to: '2026-11-30', g: 'WEEK', by: ['WORKSPACE'] },
      { from: '2026-10-15', to: '2026-11-10', g: 'DAY', by: [] },
    ] as const;
    for (const c of cases) {
      const res = await stack.query(
        `query($id: ID, $from: DateTime!, $to: DateTime!, $g: CostGranularity, $by: [ScalrUsageDimension!]) { scalrAccount(id: $id) { usageReport(from: $from, to: $to, granularity: $g, groupBy: $by) {
          totalRunsCount totalRunsSeconds buckets { start runsCount runsSeconds } groups(first: 500, orderBy: KEY_ASC) { totalCount edges { node { keys { id name } runsCount runsSeconds series { runsCount runsSeconds } } } } } } }`,
        { id: account.id, from: `${c.from}T00:00:00Z`, to: `${c.to}T00:00:00Z`, g: c.g, by: c.by },
      );
      expect(res.errors, JSON.stringify(c)).toBeUndefined();
      const report = res.data.scalrAccount.usageReport;
      const want = brute.usageReport(account, Date.parse(`${c.from}T00:00:00Z`), Date.parse(`${c.to}T00:00:00Z`), c.g, c.by[0]);
      expect([report.totalRunsCount, report.totalRunsSeconds]).toEqual([want.total.runsCount, want.total.runsSeconds]);
      expect(report.buckets.map((b: any) => [b.runsCount, b.runsSeconds])).toEqual(want.perBucket.map((b) => [b.runsCount, b.runsSeconds]));
      expect(report.groups.totalCount).toBe(want.groups.size);
      const ids = report.groups.edges.map((e: any) => e.node.keys[0]?.id ?? '');
      expect(ids).toEqual([...ids].sort());
      for (const { node } of report.groups.edges) {
        const w = want.groups.get(node.keys[0]?.id ?? '')!;
        expect([node.runsCount, node.runsSeconds]).toEqual([w.runsCount, w.runsSeconds]);
        expect(node.series).toEqual(w.series);
      }
    }
  });
});
