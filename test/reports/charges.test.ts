import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/lib/money.js';
import { chargeReport, type ChargeReportQuery } from '../../src/reports/charges.js';
import { consumptionReport } from '../../src/reports/consumption.js';
import { groupId, moneyOf, ReportAllowance } from '../../src/reports/sums.js';
import { usageSums } from '../../src/reports/usage.js';
import { SharedWalks } from '../../src/reports/walks.js';
import type { Charge, ChargeQuery, Consumption, TokenPage } from '../../src/upstreams/scaleway/model.js';

/** The charge report over a fake upstream: what it asks for, how it walks, what it refuses. */
const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
const money = (text: string, currency = 'EUR') => ({ currency, amount: new Exact(text), text });
const charge = (start: string, end: string, price: string, more: Partial<Charge> = {}): Charge => ({ startDate: start, endDate: end, price: money(price), ...more });

function upstream(pages: (query: ChargeQuery, token: string | undefined) => TokenPage<Charge>) {
  const calls: { query: ChargeQuery; token: string | undefined }[] = [];
  return {
    calls,
    reading: (more: { pages?: number; emptyPages?: number; split?: number; idsPerCall?: number } = {}) => ({
      eachPage: async (query: ChargeQuery, token: string | undefined, onRow: (c: Charge) => void) => {
        calls.push({ query, token });
        const page = pages(query, token);
        for (const row of page.rows) onRow(row);
        return { nextToken: page.nextToken, rows: page.rows.length };
      },
      limits: { pages: more.pages ?? 50, emptyPages: more.emptyPages ?? 5 },
      split: more.split ?? 8,
      idsPerCall: more.idsPerCall ?? 50,
      walks: new SharedWalks<Charge>(),
    }),
  };
}

const report = (more: Partial<ChargeReportQuery> = {}): ChargeReportQuery => ({
  organizationId: 'org',
  from: us('2026-11-01T00:00:00Z'),
  to: us('2026-11-03T00:00:00Z'),
  granularity: 'DAY',
  groupBy: [],
  filter: {},
  ...more,
});

describe('chargeReport', () => {
  it('asks each day-aligned sub-window clamped, oldest first, with the filter and the organization', async () => {
    const up = upstream(() => ({ rows: [] }));
    await chargeReport(report({ filter: { skus: ['s'] } }), up.reading());
    expect(up.calls.map((c) => [c.query.startDateAfter, c.query.endDateBefore])).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
      ['2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
    ]);
    for (const { query } of up.calls) expect(query).toMatchObject({ organizationId: 'org', clampToTimeRange: true, orderBy: 'start_date_asc', skus: ['s'] });
  });

  it('follows tokens to the end, and reads a long resource filter in chunks', async () => {
    const up = upstream((query, token) => (token === undefined ? { rows: [charge('2026-11-01T00:00:00Z', '2026-11-01T00:59:59.999999Z', '1')], nextToken: 't' } : { rows: [] }));
    const sums = await chargeReport(report({ to: us('2026-11-02T00:00:00Z'), filter: { resourceIds: ['a', 'b', 'c'] } }), up.reading({ idsPerCall: 2 }));
    expect(up.calls.map((c) => JSON.stringify([c.query.resourceIds, c.token])).sort()).toEqual(['[["a","b"],"t"]', '[["a","b"],null]', '[["c"],"t"]', '[["c"],null]']);
    expect(sums.rowCount).toBe(2);
  });

  it('keys groups by each dimension, names where the rows give them', async () => {
    const rows = [charge('2026-11-01T00:00:00Z', '2026-11-01T23:59:59.999999Z', '2.5', { projectId: 'p', projectName: 'Pro', resourceId: 'r', resourceName: 'Res', sku: 's', invoiceId: 'i' }), charge('2026-11-02T00:00:00Z', '2026-11-02T23:59:59.999999Z', '1')];
    const up = upstream((q) => ({ rows: rows.filter((r) => r.startDate >= q.startDateAfter && r.startDate < q.endDateBefore) }));
    const sums = await chargeReport(report({ groupBy: ['PROJECT', 'RESOURCE'] }), up.reading());
    expect([...sums.groups.values()].map((g) => g.keys)).toEqual([
      [{ dimension: 'PROJECT', id: 'p', name: 'Pro' }, { dimension: 'RESOURCE', id: 'r', name: 'Res' }],
      [{ dimension: 'PROJECT', id: null, name: null }, { dimension: 'RESOURCE', id: null, name: null }],
    ]);
    const other = await chargeReport(report({ groupBy: ['SKU', 'INVOICE'] }), up.reading());
    expect([...other.groups.values()].map((g) => g.keys)).toEqual([
      [{ dimension: 'SKU', id: 's', name: null }, { dimension: 'INVOICE', id: 'i', name: null }],
      [{ dimension: 'SKU', id: null, name: null }, { dimension: 'INVOICE', id: null, name: null }],
    ]);
    expect(moneyOf(other.totals).map((m) => m.text)).toEqual(['3.5']);
  });

  it('spreads a charge over its sub-window only, whether or not the upstream cut its dates', async () => {
    // A two-day charge, sent whole to each sub-window with the slice's price (dates not rewritten).
    const up = upstream(() => ({ rows: [charge('2026-11-01T00:00:00Z', '2026-11-02T23:59:59.999999Z', '0.000000003')] }));
    const sums = await chargeReport(report({ granularity: 'DAY' }), up.reading());
    expect(sums.byBucket.map((b) => b.get('EUR'))).toEqual([3n, 3n]);
    // Read as one walk, the same charge is split over the two days.
    const one = await chargeReport(report({ granularity: 'DAY' }), up.reading({ split: 1 }));
    expect(one.byBucket.map((b) => b.get('EUR'))).toEqual([2n, 1n]);
  });

  it('refuses a charge outside the window it was read for, an endless walk and endless empty pages', async () => {
    const outside = upstream(() => ({ rows: [charge('2026-10-30T00:00:00Z', '2026-10-30T23:59:59.999999Z', '1')] }));
    await expect(chargeReport(report(), outside.reading())).rejects.toThrow(/outside the window/);
    // Ending the instant the window starts: outside too (one sub-window, so no other refuses it first).
    const touching = upstream(() => ({ rows: [charge('2026-10-31T00:00:00Z', '2026-10-31T23:59:59.999999Z', '1')] }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z') }), touching.reading())).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', upstream: 'scaleway' });
    const after = upstream(() => ({ rows: [charge('2026-11-02T00:00:00Z', '2026-11-02T23:59:59.999999Z', '1')] }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z') }), after.reading())).rejects.toMatchObject({ upstream: 'scaleway', message: expect.stringMatching(/outside the window/) });
    let n = 0;
    const endless = upstream(() => ({ rows: [charge('2026-11-01T00:00:00Z', '2026-11-01T00:00:00.999999Z', '1')], nextToken: `t${n++}` }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z') }), endless.reading({ pages: 3 }))).rejects.toMatchObject({ upstream: 'scaleway', message: expect.stringMatching(/more than 3 pages/) });
    expect(endless.calls).toHaveLength(3);
    const empty = upstream(() => ({ rows: [], nextToken: `t${n++}` }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z') }), empty.reading({ emptyPages: 2 }))).rejects.toMatchObject({ upstream: 'scaleway', message: expect.stringMatching(/more than 2 empty pages/) });
    expect(empty.calls).toHaveLength(3);
    // Empty pages between full ones start the count again.
    let k = 0;
    const mixed = upstream(() => (k++ < 6 ? { rows: k % 2 ? [] : [charge('2026-11-01T00:00:00Z', '2026-11-01T00:00:00.999999Z', '1')], nextToken: `m${k}` } : { rows: [] }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z') }), mixed.reading({ emptyPages: 1 }))).resolves.toMatchObject({ rowCount: 3 });
  });

  it('holds its groups within the request’s allowance', async () => {
    const up = upstream(() => ({ rows: ['a', 'b', 'c'].map((id) => charge('2026-11-01T00:00:00Z', '2026-11-01T00:00:00.999999Z', '1', { resourceId: id })) }));
    await expect(chargeReport(report({ to: us('2026-11-02T00:00:00Z'), groupBy: ['RESOURCE'] }), { ...up.reading(), allowance: new ReportAllowance({ groups: 2, cells: 99 }) })).rejects.toMatchObject({ extensions: { code: 'QUERY_TOO_COSTLY' } });
  });
});

describe('consumptionReport', () => {
  const row = (value: string, more: Partial<Consumption> = {}): Consumption => ({ value: money(value), ...more });

  it('sums each month into its bucket, keeps the filter’s rows, keys each dimension', async () => {
    const months: Record<string, Consumption[]> = {
      '2026-01': [row('1', { projectId: 'P1', projectName: 'one', categoryName: 'Compute', productName: 'X', sku: 's' }), row('2', { projectId: 'p2', categoryName: 'Storage' })],
      '2026-02': [row('4', { projectId: 'p1', categoryName: 'Compute' }), row('8')],
    };
    const sums = await consumptionReport({ periods: ['2026-01', '2026-02'], granularity: 'MONTH', groupBy: ['PROJECT', 'SKU'], filter: { projectIds: new Set(['p1']) } }, async (p) => months[p]!);
    expect(sums.byBucket.map((b) => b.get('EUR'))).toEqual([1_000_000_000n, 4_000_000_000n]);
    expect([...sums.groups.values()].map((g) => g.keys)).toEqual([
      [{ dimension: 'PROJECT', id: 'P1', name: 'one' }, { dimension: 'SKU', id: 's', name: null }],
      [{ dimension: 'PROJECT', id: 'p1', name: null }, { dimension: 'SKU', id: null, name: null }],
    ]);
    const byCategory = await consumptionReport({ periods: ['2026-01', '2026-02'], granularity: 'NONE', groupBy: ['CATEGORY', 'PRODUCT'], filter: { categories: new Set(['Compute']) } }, async (p) => months[p]!);
    expect([...byCategory.groups.values()].map((g) => [g.keys.map((k) => `${k.dimension}=${k.id}`), g.totals.get('EUR')])).toEqual([
      [['CATEGORY=Compute', 'PRODUCT=X'], 1_000_000_000n],
      [['CATEGORY=Compute', 'PRODUCT=null'], 4_000_000_000n],
    ]);
    // Rows without a project or category are never kept by such a filter.
    const none = await consumptionReport({ periods: ['2026-02'], granularity: 'MONTH', groupBy: [], filter: { projectIds: new Set(['']), categories: new Set(['']) } }, async (p) => months[p]!);
    expect(none.rowCount).toBe(0);
  });
});

describe('usage groups', () => {
  it('names a group from a later row when the first had none, and keeps the first name given', () => {
    const rows = [
      { date: '2026-11-01', breakdownId: 'ws-a', runsCount: 1, runsSeconds: 1 },
      { date: '2026-11-01', breakdownId: 'ws-a', breakdownName: 'first', runsCount: 1, runsSeconds: 1 },
      { date: '2026-11-01', breakdownId: 'ws-a', breakdownName: 'second', runsCount: 1, runsSeconds: 1 },
    ];
    const sums = usageSums(us('2026-11-01T00:00:00Z'), us('2026-11-02T00:00:00Z'), 'DAY', 'WORKSPACE', rows);
    expect(sums.groups.get(groupId([{ dimension: 'WORKSPACE', id: 'ws-a', name: null }]))!.keys[0]!.name).toBe('first');
    expect(() => usageSums(us('2026-11-01T00:00:00Z'), us('2026-11-02T00:00:00Z'), 'DAY', 'WORKSPACE', rows.map((r, i) => ({ ...r, breakdownId: `ws-${i}` })), new ReportAllowance({ groups: 2, cells: 9 }))).toThrow(/more than 2 groups/);
    expect(() => usageSums(us('2026-11-01T00:00:00Z'), us('2026-11-03T00:00:00Z'), 'DAY', undefined, [...rows, { ...rows[0]!, date: '2026-11-02' }], new ReportAllowance({ groups: 9, cells: 1 }))).toThrow(/more than 1 group × bucket cells/);
  });
});
