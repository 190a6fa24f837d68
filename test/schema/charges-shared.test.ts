import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECRET, useStack } from '../helpers/stack.js';

/**
 * Charge connections served from one shared read, then resumed alone: every row exactly once,
 * whatever the page size, however sparse a connection, in whatever order the upstream puts ties
 * (here: an upstream that orders charges starting at the same instant by a hash of the filter).
 */
const stack = useStack({ finopsPageSize: 10, now: new Date('2026-11-15T12:00:00Z'), simulator: { tiesByFilter: true } });
const WINDOW = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-06T00:00:00Z' };
const FIELDS = 'edges { node { resourceId sku startDate endDate price { amount } } } pageInfo { hasNextPage endCursor }';
const key = (n: { resourceId: string; sku: string; startDate: string; endDate: string; price: { amount: string } }) =>
  `${n.resourceId}|${n.sku}|${n.startDate}|${n.endDate}|${n.price.amount}`;

/** What the upstream holds for a filter, read straight from the simulator (page_size 1000). */
async function upstream(filter: Record<string, unknown>): Promise<string[]> {
  const q = new URLSearchParams({
    organization_id: stack.orgs[0]!,
    start_date_after: new Date(String(filter.startDateAfter)).toISOString(),
    end_date_before: new Date(String(filter.endDateBefore)).toISOString(),
    page_size: '1000',
  });
  for (const id of (filter.resourceIds as string[] | undefined) ?? []) q.append('resource_ids', id);
  const res = await fetch(`${stack.sim.url}/billing/v2beta1/charges?${q}`, { headers: { 'x-auth-token': SECRET } });
  const body = (await res.json()) as { charges: { resource_id: string; sku: string; start_date: string; end_date: string; price: { units: number; nanos: number } }[] };
  return body.charges.map((c) =>
    key({ resourceId: c.resource_id, sku: c.sku, startDate: c.start_date, endDate: c.end_date, price: { amount: money(c.price.units, c.price.nanos) } }),
  );
}
const money = (units: number, nanos: number) => {
  const sign = units < 0 || nanos < 0 ? '-' : '';
  const fraction = String(Math.abs(nanos)).padStart(9, '0').replace(/0+$/, '');
  return `${sign}${Math.abs(units)}${fraction ? `.${fraction}` : ''}`;
};

/** Every row of one connection after a cursor, read alone, `first` at a time. */
async function rest(resourceIds: string[], after: string, first: number, window = WINDOW): Promise<string[]> {
  const rows: string[] = [];
  for (let cursor: string | null = after; cursor; ) {
    const r: any = await stack.query(`query($f: ChargeFilter!, $after: String, $first: Int) { organization { charges(first: $first, after: $after, filter: $f) { ${FIELDS} } } }`, {
      f: { ...window, resourceIds },
      after: cursor,
      first,
    });
    expect(r.errors).toBeUndefined();
    const c = r.data.organization.charges;
    rows.push(...c.edges.map((e: any) => key(e.node)));
    cursor = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
  }
  return rows;
}

const sorted = (xs: string[]) => [...xs].sort();

describe('charges read for several connections at once', () => {
  const resources = () => [...new Set(stack.sim.data.charges.get(stack.orgs[0]!)!.map((c) => c.resourceId))];

  it('resumes a connection past a skip longer than an upstream page, without repeating a row (pages of 10, first: 25)', async () => {
    // Ties in one order for every filter here: this is about counting, not order.
    stack.sim.switches.tiesByFilter = false;
    try {
      const window = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-10-01T00:00:00Z' };
      const charges = stack.sim.data.charges.get(stack.orgs[0]!)!;
      const [a, b] = resources().filter((id) => charges.filter((c) => c.resourceId === id).length > 100) as [string, string];
      const field = (alias: string, id: string) => `${alias}: charges(first: 25, filter: { startDateAfter: "${window.startDateAfter}", endDateBefore: "${window.endDateBefore}", resourceIds: ["${id}"] }) { ${FIELDS} }`;
      const r = await stack.query(`{ organization { ${field('a', a)} ${field('b', b)} } }`);
      expect(r.errors).toBeUndefined();
      for (const [alias, id] of [['a', a], ['b', b]] as const) {
        const c = r.data.organization[alias];
        expect(c.edges).toHaveLength(25);
        // The next 7: where a resume point counted from the first page lost its skip past page 1, 15 came again.
        const next: any = await stack.query(`query($f: ChargeFilter!, $after: String) { organization { charges(first: 7, after: $after, filter: $f) { ${FIELDS} } } }`, {
          f: { ...window, resourceIds: [id] },
          after: c.pageInfo.endCursor,
        });
        const want = await upstream({ ...window, resourceIds: [id] });
        expect(next.data.organization.charges.edges.map((e: any) => key(e.node)), alias).toEqual(want.slice(25, 32));
        const all = [...c.edges.map((e: any) => key(e.node)), ...(await rest([id], c.pageInfo.endCursor, 9, window))];
        expect(all, alias).toEqual(want);
      }
    } finally {
      stack.sim.switches.tiesByFilter = true;
    }
  });

  it('stops the shared read at what its densest connection needs; a sparse one reads on its own, meanwhile', async () => {
    const charges = stack.sim.data.charges.get(stack.orgs[0]!)!;
    const window = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-10-01T00:00:00Z' };
    const count = (id: string) => charges.filter((c) => c.resourceId === id && c.startDate >= window.startDateAfter && c.endDate < window.endDateBefore).length;
    // A daily resource (61 charges over two months: 6 pages of 10 or more) and a monthly one (2 charges).
    const dense = resources().find((id) => count(id) > 60)!;
    const sparse = resources().find((id) => count(id) === 2)!;
    expect(dense && sparse).toBeTruthy();
    const field = (alias: string, id: string) => `${alias}: charges(first: 3, filter: { startDateAfter: "${window.startDateAfter}", endDateBefore: "${window.endDateBefore}", resourceIds: ["${id}"] }) { ${FIELDS} }`;
    const r = await stack.query(`{ organization { ${field('d', dense)} ${field('s', sparse)} } }`);
    expect(r.errors).toBeUndefined();
    const calls = stack.sim.log.map((c) => c.query.getAll('resource_ids').length);
    expect(r.data.organization.d.edges).toHaveLength(3);
    expect(r.data.organization.d.pageInfo.hasNextPage).toBe(true);
    expect(r.data.organization.s.edges.map((e: any) => key(e.node))).toEqual(await upstream({ ...window, resourceIds: [sparse] }));
    expect(r.data.organization.s.pageInfo.hasNextPage).toBe(false);
    // One shared page (the dense connection's 3 rows and one more), then the sparse one alone: 2
    // calls, where reading the shared stream until the sparse one was served took every page.
    expect(calls.sort()).toEqual([1, 2]);
    const all = [...r.data.organization.d.edges.map((e: any) => key(e.node)), ...(await rest([dense], r.data.organization.d.pageInfo.endCursor, 25, window))];
    expect(sorted(all)).toEqual(sorted(await upstream({ ...window, resourceIds: [dense] })));
    expect(new Set(all).size).toBe(all.length);
  });

  it('resumes exactly when ties come in another order on the connection’s own filter', async () => {
    // Daily charges start at midnight: every day is a tie. The shared read's order of a tie and
    // the own filter's differ (the simulator orders ties by a hash of the filter).
    const ids = resources().slice(0, 12);
    const pairs = [ids.slice(0, 6), ids.slice(6, 12)];
    const field = (alias: string, list: string[]) =>
      `${alias}: charges(first: 17, filter: { startDateAfter: "${WINDOW.startDateAfter}", endDateBefore: "${WINDOW.endDateBefore}", resourceIds: ${JSON.stringify(list)} }) { ${FIELDS} }`;
    const r = await stack.query(`{ organization { ${field('a', pairs[0]!)} ${field('b', pairs[1]!)} } }`);
    expect(r.errors).toBeUndefined();
    const own = await upstream({ ...WINDOW, resourceIds: pairs[0] });
    const shared = r.data.organization.a.edges.map((e: any) => key(e.node));
    // The orders differ indeed (or the test proves nothing).
    expect(shared).not.toEqual(own.slice(0, shared.length));
    for (const [alias, list] of [['a', pairs[0]!], ['b', pairs[1]!]] as const) {
      const c = r.data.organization[alias];
      const all = [...c.edges.map((e: any) => key(e.node)), ...(c.pageInfo.hasNextPage ? await rest(list, c.pageInfo.endCursor, 9) : [])];
      expect(new Set(all).size, `${alias}: no row twice`).toBe(all.length);
      expect(sorted(all), alias).toEqual(sorted(await upstream({ ...WINDOW, resourceIds: list })));
      // Still in start order.
      const starts = all.map((k) => k.split('|')[2]!);
      expect(starts).toEqual([...starts].sort());
    }
  });

  it('keeps skipping rows of a tie served by the shared read on every later page (pages of one row)', async () => {
    // A case an outside review found: the shared read serves a tie's row that the connection's own
    // filter orders after two others of that tie; the page after them must not serve it again.
    const a = ['220d76c5-205c-47f0-a26d-9c55c65ad575', '353d9787-bed5-4204-a48a-29f59a17b0da', '6240d2b8-ffa7-4019-af0d-5b95f3ac298c'];
    const b = ['80f94dee-3582-4612-846a-a408bd1b707e'];
    expect(resources()).toEqual(expect.arrayContaining([...a, ...b]));
    const window = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-03T00:00:00Z' };
    const r: any = await stack.query(`query($a: ChargeFilter!, $b: ChargeFilter!) { organization { a: charges(first: 1, filter: $a) { ${FIELDS} } b: charges(first: 1, filter: $b) { ${FIELDS} } } }`, {
      a: { ...window, resourceIds: a },
      b: { ...window, resourceIds: b },
    });
    expect(r.errors).toBeUndefined();
    const c = r.data.organization.a;
    const all = [...c.edges.map((e: any) => key(e.node)), ...(await rest(a, c.pageInfo.endCursor, 1, window))];
    expect(new Set(all).size, 'no row twice').toBe(all.length);
    expect(sorted(all)).toEqual(sorted(await upstream({ ...window, resourceIds: a })));
  });

  it('reads long id lists alone: a shared read would cost as many streams, and fail the request’s call budget', async () => {
    // Three connections of 1,000 resources each: 20 streams of 50 ids each alone, 60 together either way.
    const lists = [0, 1, 2].map(() => Array.from({ length: 1000 }, () => randomUUID()));
    const window = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-03T00:00:00Z' };
    stack.sim.resetLog();
    const fields = lists.map((_, i) => `a${i}: charges(first: 1, filter: $f${i}) { edges { node { resourceId } } }`).join(' ');
    const r = await stack.query(`query(${lists.map((_, i) => `$f${i}: ChargeFilter!`).join(', ')}) { organization { ${fields} } }`, Object.fromEntries(lists.map((ids, i) => [`f${i}`, { ...window, resourceIds: ids }])));
    expect(r.errors).toBeUndefined();
    expect(stack.sim.calls('/billing/v2beta1/charges')).toHaveLength(60);
  });
});
