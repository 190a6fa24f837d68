import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { SimCharge } from '../../src/simulator/data.js';
import { SECRET, useStack } from '../helpers/stack.js';

/**
 * FinOps charges: token pagination, clamping, filters and batching, against the simulator (page_size 100).
 * The windows below are fixed dates, so the simulator's clock is too: its charges span the four months
 * before "now", and a real clock would move them out from under the windows.
 */
// Ties (charges starting at the same instant) come in an order that depends on the filter, as from
// a SQL upstream without a tie-breaker: the gateway must not assume one order of ties.
const stack = useStack({ finopsPageSize: 100, now: new Date('2026-11-15T12:00:00Z'), simulator: { tiesByFilter: true } });
const P = 100;

const QUERY = `query($org: UUID, $first: Int, $after: String, $filter: ChargeFilter!) {
  organization(id: $org) {
    charges(first: $first, after: $after, filter: $filter) {
      edges { cursor node { resourceId resourceName projectId sku invoiceId startDate endDate updatedAt price { amount currency } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

/** Microseconds of an RFC 3339 UTC timestamp, written here independently of the code under test. */
function us(text: string): bigint {
  const [whole, fraction = ''] = text.replace('Z', '').split('.');
  return BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0'));
}
function text(micros: bigint): string {
  const f = micros % 1_000_000n;
  return new Date(Number(micros / 1000n)).toISOString().slice(0, 19) + (f ? `.${String(f).padStart(6, '0')}` : '') + 'Z';
}

/** What the upstream must return, by the documented rule (README "Clamping"). */
function expected(charges: SimCharge[], after: string, before: string, clamp: boolean) {
  const a = us(after);
  const b = us(before);
  return charges.flatMap((c) => {
    const s = us(c.startDate);
    const e = us(c.endDate);
    const row = (startDate: string, endDate: string, price: Decimal) => ({ resourceId: c.resourceId, startDate, endDate, price: price.toFixed() });
    if (!clamp) return s >= a && e < b ? [row(c.startDate, c.endDate, c.price)] : [];
    const from = s > a ? s : a;
    const to = e < b - 1n ? e : b - 1n;
    if (from > to) return [];
    const price = c.price.times(new Decimal(String(to - from + 1n)).div(String(e - s + 1n))).toDecimalPlaces(9, Decimal.ROUND_HALF_EVEN);
    return [row(text(from), text(to), from === s && to === e ? c.price : price)];
  });
}

const pick = (edges: any[]) => edges.map((e) => ({ resourceId: e.node.resourceId, startDate: e.node.startDate, endDate: e.node.endDate, price: e.node.price.amount }));
type Picked = ReturnType<typeof pick>[number];
/** Rows in one canonical order: equal sets of rows compare equal, whatever the order of ties. */
const canonical = (rows: Picked[]) => [...rows].sort((a, b) => (a.startDate + a.resourceId + a.endDate < b.startDate + b.resourceId + b.endDate ? -1 : 1));

/** The list the upstream holds for a filter, in its own order, read straight from the simulator. */
async function truth(organizationId: string, filter: Record<string, any>): Promise<Picked[]> {
  const rows: Picked[] = [];
  let token: string | undefined;
  do {
    const q = new URLSearchParams({
      organization_id: organizationId,
      start_date_after: new Date(filter.startDateAfter).toISOString(),
      end_date_before: new Date(filter.endDateBefore).toISOString(),
      clamp_to_time_range: String(filter.clampToTimeRange ?? false),
      order_by: filter.orderBy === 'START_DATE_DESC' ? 'start_date_desc' : 'start_date_asc',
      page_size: '1000',
      ...(token ? { page_token: token } : {}),
    });
    for (const id of filter.resourceIds ?? []) q.append('resource_ids', id);
    const body = (await (await fetch(`${stack.sim.url}/billing/v2beta1/charges?${q}`, { headers: { 'x-auth-token': SECRET } })).json()) as any;
    for (const c of body.charges) {
      const { units, nanos } = c.price;
      const fraction = String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '');
      const price = `${units < 0 || nanos < 0 ? '-' : ''}${Math.abs(units)}${fraction ? `.${fraction}` : ''}`;
      rows.push({ resourceId: c.resource_id, startDate: c.start_date, endDate: c.end_date, price });
    }
    token = body.next_page_token || undefined;
  } while (token);
  return rows;
}
const WINDOW = { startDateAfter: '2026-07-01T00:00:00Z', endDateBefore: '2026-10-01T00:00:00Z' };

describe('Organization.charges', () => {
  const acme = () => stack.orgs[0]!;
  const all = () => stack.sim.data.charges.get(acme())!;

  async function walk(first: number, filter: Record<string, unknown>) {
    const rows: any[] = [];
    const callsPerRequest: number[] = [];
    let after: string | null = null;
    for (;;) {
      const before = stack.sim.log.length;
      const r: any = await stack.query(QUERY, { org: acme(), first, after, filter });
      expect(r.errors).toBeUndefined();
      const conn = r.data.organization.charges;
      callsPerRequest.push(stack.sim.log.length - before);
      if (after !== null) {
        // Resuming reads from the stored token: never the first page again (unless the walk is still on it).
        const first = stack.sim.log[before]!;
        if (rows.length >= P) expect(first.query.get('page_token')).toBeTruthy();
      }
      rows.push(...conn.edges);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    return { rows, callsPerRequest };
  }

  it.each([1, 7, 100, 250])('walks 1,000+ charges in pages of %i: every charge once, in order, with the fewest calls', async (first) => {
    const want = expected(all(), WINDOW.startDateAfter, WINDOW.endDateBefore, false);
    expect(want.length).toBeGreaterThan(1000);
    const upstreamList = await truth(acme(), WINDOW);
    stack.sim.resetLog();
    const { rows, callsPerRequest } = await walk(first, WINDOW);
    // The upstream's list exactly, in its order; and the rows the documented rule gives.
    expect(pick(rows)).toEqual(upstreamList);
    expect(canonical(pick(rows))).toEqual(canonical(want));
    const N = want.length;
    const pageOf = (i: number) => Math.floor(i / P);
    // Each request reads from the page of its first row to the page of the row after its last (to know hasNextPage).
    const minimum = callsPerRequest.map((_, k) => pageOf(Math.min(k * first + first, N - 1)) - pageOf(k * first) + 1);
    expect(callsPerRequest).toEqual(minimum);
    for (const call of stack.sim.log) {
      expect(call.query.get('page_size')).toBe('100');
      expect(call.query.get('organization_id')).toBe(acme());
    }
  });

  it('follows tokens serially within one request and sends exactly the documented parameters', async () => {
    const r = await stack.query(QUERY, { org: acme(), first: 250, filter: { ...WINDOW, clampToTimeRange: true, orderBy: 'START_DATE_DESC' } });
    expect(r.data.organization.charges.edges).toHaveLength(250);
    const calls = stack.sim.log;
    expect(calls).toHaveLength(3);
    expect(calls[0]!.query.has('page_token')).toBe(false);
    expect(Object.fromEntries(calls[0]!.query)).toEqual({
      organization_id: acme(),
      start_date_after: '2026-07-01T00:00:00.000Z',
      end_date_before: '2026-10-01T00:00:00.000Z',
      clamp_to_time_range: 'true',
      order_by: 'start_date_desc',
      page_size: '100',
    });
    expect(calls[1]!.query.get('page_token')).toBeTruthy();
    expect(calls[2]!.query.get('page_token')).not.toBe(calls[1]!.query.get('page_token'));
    const filter = { ...WINDOW, clampToTimeRange: true, orderBy: 'START_DATE_DESC' };
    const upstreamList = await truth(acme(), filter);
    expect(pick(r.data.organization.charges.edges)).toEqual(upstreamList.slice(0, 250));
    expect(canonical(upstreamList)).toEqual(canonical(expected(all(), WINDOW.startDateAfter, WINDOW.endDateBefore, true)));
  });

  it.each([
    ['clamped', true],
    ['whole charges only', false],
  ])('computes %s charges of a mid-month window exactly', async (_name, clamp) => {
    const filter = { startDateAfter: '2026-08-10T12:00:00Z', endDateBefore: '2026-09-05T06:30:00.500Z', clampToTimeRange: clamp };
    const want = expected(all(), filter.startDateAfter, filter.endDateBefore, clamp);
    const { rows } = await walk(500, filter);
    expect(pick(rows)).toEqual(await truth(acme(), filter));
    expect(canonical(pick(rows))).toEqual(canonical(want));
    const monthly = pick(rows).filter((r) => r.startDate.startsWith('2026-08-10T12') || r.startDate.startsWith('2026-09-01T00:00:00Z'));
    if (clamp) {
      // Whole-month charges come back as slices: August's from the window start, September's to its end.
      expect(pick(rows).some((r) => r.startDate === '2026-08-10T12:00:00Z' && r.endDate === '2026-08-31T23:59:59.999999Z')).toBe(true);
      expect(pick(rows).some((r) => r.startDate === '2026-09-01T00:00:00Z' && r.endDate === '2026-09-05T06:30:00.499999Z')).toBe(true);
      expect(monthly.length).toBeGreaterThan(0);
    } else {
      // A charge starting before the window is absent.
      expect(pick(rows).every((r) => us(r.startDate) >= us(filter.startDateAfter))).toBe(true);
      expect(pick(rows).some((r) => r.startDate.startsWith('2026-08-01'))).toBe(false);
    }
  });

  it('serves every charge field, prices exact and names absent where the product sends none', async () => {
    const r = await stack.query(QUERY, { org: acme(), first: 100, filter: { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-02T00:00:00Z' } });
    const edges = r.data.organization.charges.edges;
    const byKey = new Map(all().map((c) => [`${c.resourceId}@${c.startDate}`, c]));
    expect(edges.length).toBeGreaterThan(0);
    for (const { node } of edges) {
      const c = byKey.get(`${node.resourceId}@${node.startDate}`)!;
      expect(node).toEqual({
        resourceId: c.resourceId,
        resourceName: c.resourceName,
        projectId: c.projectId,
        sku: c.sku,
        invoiceId: c.invoiceId || null,
        startDate: c.startDate,
        endDate: c.endDate,
        updatedAt: c.updatedAt,
        price: { amount: c.price.toFixed(), currency: 'EUR' },
      });
    }
    expect(edges.some((e: any) => e.node.resourceName === null)).toBe(true);
  });

  it.each([
    ['last', { last: 5 }],
    ['before', { before: 'x' }],
  ])('refuses backward paging (%s) without a call', async (_name, extra) => {
    const r = await stack.query(
      `query($last: Int, $before: String) { organization { charges(last: $last, before: $before, filter: { startDateAfter: "2026-08-01T00:00:00Z", endDateBefore: "2026-09-01T00:00:00Z" }) { edges { cursor } } } }`,
      extra,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/forward only/);
    expect(stack.sim.log).toHaveLength(0);
  });

  it.each([
    ['a window that ends before it starts', { startDateAfter: '2026-09-01T00:00:00Z', endDateBefore: '2026-08-01T00:00:00Z' }],
    ['an empty window', { startDateAfter: '2026-09-01T00:00:00Z', endDateBefore: '2026-09-01T00:00:00Z' }],
    ['resourceIds: []', { ...WINDOW, resourceIds: [] }],
    ['skus: []', { ...WINDOW, skus: [] }],
    ['too many resource ids', { ...WINDOW, resourceIds: Array.from({ length: 1001 }, (_, i) => `r-${i}`) }],
  ])('refuses %s without a call', async (_name, filter) => {
    const r = await stack.query(QUERY, { org: acme(), filter });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a tampered cursor and a cursor of another filter, without a call', async () => {
    const r = await stack.query(QUERY, { org: acme(), first: 150, filter: WINDOW });
    const cursor: string = r.data.organization.charges.pageInfo.endCursor;
    stack.sim.resetLog();
    // One bit of the sealed resume point flipped.
    const sealed = Buffer.from(cursor.slice(3), 'base64url');
    sealed[20]! ^= 1;
    const tampered = `t2.${sealed.toString('base64url')}`;
    for (const [after, filter] of [
      [tampered, WINDOW],
      [cursor, { ...WINDOW, clampToTimeRange: true }],
      [cursor, { ...WINDOW, skus: ['/compute/dev1_s/run_par1'] }],
      ['garbage', WINDOW],
    ] as const) {
      const bad = await stack.query(QUERY, { org: acme(), after, filter });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
    expect(stack.sim.log).toHaveLength(0);
  });

  it('turns an expired upstream token in a cursor into a clear error', async () => {
    const r = await stack.query(QUERY, { org: acme(), first: 150, filter: WINDOW });
    stack.sim.pageTokens.expireAll();
    const next = await stack.query(QUERY, { org: acme(), first: 10, after: r.data.organization.charges.pageInfo.endCursor, filter: WINDOW });
    expect(next.data.organization).toBeNull();
    expect(next.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(next.errors?.[0]?.message).toMatch(/expired/);
  });

  it('fails the connection when a page fails mid-walk: no shortened list', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/charges', skip: 1, status: 503, body: '', times: 1 });
    const r = await stack.query(QUERY, { org: acme(), first: 250, filter: WINDOW });
    expect(r.data.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sim.log).toHaveLength(2);
  });

  it('splits more resource ids than one call takes into several calls, merged in order', async () => {
    const real = [...new Set(all().map((c) => c.resourceId))];
    const ids = [...real, ...Array.from({ length: 60 - real.length }, (_, i) => `unknown-${i}`)];
    const filter = { startDateAfter: '2026-08-03T00:00:00Z', endDateBefore: '2026-08-05T00:00:00Z', resourceIds: ids };
    const want = expected(all().filter((c) => ids.includes(c.resourceId)), filter.startDateAfter, filter.endDateBefore, false);
    const r = await stack.query(QUERY, { org: acme(), first: 500, filter });
    const merged = pick(r.data.organization.charges.edges);
    // Two streams merged by start: every row once, in start order (ties in whatever order each stream has them).
    expect(canonical(merged)).toEqual(canonical(want));
    expect(merged.map((m) => us(m.startDate))).toEqual(merged.map((m) => us(m.startDate)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const calls = stack.sim.log;
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.query.getAll('resource_ids').length).sort()).toEqual([10, 50]);
    // Walking the same filter in small pages across both streams yields the same rows once each.
    stack.sim.resetLog();
    const { rows } = await walk(7, filter);
    expect(canonical(pick(rows))).toEqual(canonical(want));
    expect(pick(rows)).toHaveLength(want.length);
  });

  it('serves 20 resources asked through 20 aliases from one upstream call, split per resource', async () => {
    const resources = [...new Set(all().map((c) => c.resourceId))].slice(0, 20);
    const window = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-04T00:00:00Z' };
    const fields = resources.map(
      (id, i) =>
        `r${i}: charges(first: 2, filter: { startDateAfter: "${window.startDateAfter}", endDateBefore: "${window.endDateBefore}", resourceIds: ["${id}"] }) { edges { node { resourceId startDate endDate price { amount } } } pageInfo { hasNextPage endCursor } }`,
    );
    const r = await stack.query(`query($org: UUID) { organization(id: $org) { ${fields.join('\n')} } }`, { org: acme() });
    expect(r.errors).toBeUndefined();
    expect(stack.sim.log).toHaveLength(1);
    expect(stack.sim.log[0]!.query.getAll('resource_ids')).toHaveLength(20);
    for (const [i, id] of resources.entries()) {
      const want = expected(all().filter((c) => c.resourceId === id), window.startDateAfter, window.endDateBefore, false);
      const conn = r.data.organization[`r${i}`];
      expect(pick(conn.edges)).toEqual(want.slice(0, 2).map((w) => ({ ...w })));
      expect(conn.pageInfo.hasNextPage).toBe(want.length > 2);
    }
    // A batched connection's cursor resumes alone, from its own filter.
    const daily = resources.findIndex((_, i) => r.data.organization[`r${i}`].pageInfo.hasNextPage);
    expect(daily).toBeGreaterThanOrEqual(0);
    stack.sim.resetLog();
    const next = await stack.query(QUERY, {
      org: acme(),
      first: 5,
      after: r.data.organization[`r${daily}`].pageInfo.endCursor,
      filter: { ...window, resourceIds: [resources[daily]] },
    });
    const want = expected(all().filter((c) => c.resourceId === resources[daily]), window.startDateAfter, window.endDateBefore, false);
    expect(pick(next.data.organization.charges.edges)).toEqual(want.slice(2, 7));
    expect(stack.sim.log).toHaveLength(1);
  });

  it('de-duplicates identical charge connections and makes no call for an unselected one', async () => {
    const field = (alias: string, first: number) =>
      `${alias}: charges(first: ${first}, filter: { startDateAfter: "2026-08-01T00:00:00Z", endDateBefore: "2026-09-01T00:00:00Z" }) { edges { node { resourceId } } }`;
    const r = await stack.query(`{ organization { ${field('a', 10)} ${field('b', 30)} } }`);
    expect(r.data.organization.b.edges.slice(0, 10)).toEqual(r.data.organization.a.edges);
    expect(stack.sim.log).toHaveLength(1);
  });
});
