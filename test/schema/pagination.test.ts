import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, SECRET, startStack } from '../helpers/stack.js';

/**
 * Relay windows against the simulator: rows must be exactly the upstream list's slice, and the
 * upstream calls exactly the pages that cover it (page_size 100).
 */
let stack: Stack;
let org: string; // 260 invoices
let truth: string[]; // invoice ids in upstream order, read straight from the simulator
let cursors: string[];

const QUERY = `query($org: UUID!, $first: Int, $after: String, $last: Int, $before: String) {
  organization(id: $org) {
    invoices(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { invoiceId } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

async function upstreamIds(organizationId: string, path = 'invoices', order = 'start_date_desc'): Promise<string[]> {
  // Without page_size the upstream answers the whole list in one response (observed live).
  const res = await fetch(`${stack.sim.url}/billing/v2beta1/${path}?organization_id=${organizationId}&order_by=${order}`, {
    headers: { 'x-auth-token': SECRET },
  });
  const body = (await res.json()) as Record<string, { id: string }[]>;
  return body[path]!.map((r) => r.id);
}

beforeAll(async () => {
  stack = await startStack();
  org = stack.orgs[1]!;
  truth = await upstreamIds(org);
  expect(truth).toHaveLength(260);
  const all = await stack.query(QUERY, { org, first: 500 });
  cursors = all.data.organization.invoices.edges.map((e: { cursor: string }) => e.cursor);
  expect(all.data.organization.invoices.edges.map((e: any) => e.node.invoiceId)).toEqual(truth);
});
afterAll(() => stack.close());
beforeEach(() => stack.sim.resetLog());

interface Case {
  name: string;
  first?: number;
  last?: number;
  /** Offsets whose cursors are passed. */
  after?: number;
  before?: number;
  /** Expected window [from, to). */
  window: [number, number];
  calls: number;
}

const N = 260;
const cases: Case[] = [
  { name: 'first page', first: 10, window: [0, 10], calls: 1 },
  { name: 'exactly one upstream page', first: 100, window: [0, 100], calls: 1 },
  { name: 'one row into the second page', first: 101, window: [0, 101], calls: 2 },
  { name: 'three pages', first: 250, window: [0, 250], calls: 3 },
  { name: 'more than the list', first: 500, window: [0, N], calls: 3 },
  { name: 'last row of a page', first: 1, after: 98, window: [99, 100], calls: 1 },
  { name: 'first row of a page', first: 1, after: 99, window: [100, 101], calls: 1 },
  { name: 'straddling two pages', first: 10, after: 95, window: [96, 106], calls: 2 },
  { name: 'after offset 37, 250 rows', first: 250, after: 37, window: [38, N], calls: 3 },
  { name: 'page-aligned middle page', first: 100, after: 99, window: [100, 200], calls: 1 },
  { name: 'past the end clamps', first: 200, after: 99, window: [100, N], calls: 2 },
  { name: 'near the end', first: 10, after: 258, window: [259, N], calls: 1 },
  { name: 'after the last row', first: 10, after: 259, window: [N, N], calls: 1 },
  { name: 'first: 0', first: 0, window: [0, 0], calls: 1 },
  { name: 'last rows', last: 10, window: [250, N], calls: 2 },
  { name: 'last 100', last: 100, window: [160, N], calls: 3 },
  { name: 'last before, one page', last: 5, before: 100, window: [95, 100], calls: 1 },
  { name: 'last before, straddling', last: 10, before: 105, window: [95, 105], calls: 2 },
  { name: 'last more than there is before', last: 300, before: 250, window: [0, 250], calls: 3 },
  { name: 'last: 0 before', last: 0, before: 50, window: [50, 50], calls: 1 },
  { name: 'between after and before', after: 10, before: 20, window: [11, 20], calls: 1 },
  { name: 'after beyond before', after: 150, before: 120, window: [151, 151], calls: 1 },
  { name: 'first within after/before', first: 3, after: 10, before: 20, window: [11, 14], calls: 1 },
  { name: 'last within after/before', last: 3, after: 10, before: 20, window: [17, 20], calls: 1 },
];

describe('offset pagination', () => {
  it.each(cases)('$name → rows $window with $calls upstream call(s)', async (c) => {
    const result = await stack.query(QUERY, {
      org,
      first: c.first,
      last: c.last,
      after: c.after === undefined ? undefined : cursors[c.after],
      before: c.before === undefined ? undefined : cursors[c.before],
    });
    expect(result.errors).toBeUndefined();
    const conn = result.data.organization.invoices;
    const [from, to] = c.window;
    expect(conn.edges.map((e: any) => e.node.invoiceId)).toEqual(truth.slice(from, to));
    expect(conn.edges.map((e: any) => e.cursor)).toEqual(cursors.slice(from, to));
    expect(conn.totalCount).toBe(N);
    expect(conn.pageInfo).toEqual({
      hasPreviousPage: from > 0,
      hasNextPage: to < N,
      startCursor: to > from ? cursors[from] : null,
      endCursor: to > from ? cursors[to - 1] : null,
    });
    const calls = stack.sim.calls('/billing/v2beta1/invoices');
    expect(calls).toHaveLength(c.calls);
    for (const call of calls) expect(call.query.get('page_size')).toBe('100');
  });

  it('makes no upstream call when only the edges of an empty window are selected', async () => {
    const result = await stack.query(
      `query($org: UUID!) { organization(id: $org) { invoices(first: 0) { edges { cursor } } consumptions(first: 0) { edges { cursor } } } }`,
      { org },
    );
    expect(result.data.organization.invoices.edges).toEqual([]);
    expect(result.data.organization.consumptions.edges).toEqual([]);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('answers totalCount alone with one call', async () => {
    const result = await stack.query(`query($org: UUID!) { organization(id: $org) { invoices { totalCount } } }`, { org });
    expect(result.data.organization.invoices.totalCount).toBe(N);
    expect(stack.sim.log).toHaveLength(1);
  });

  it.each([
    ['an empty list', 3, 0],
    ['a list shorter than a page', 2, 37],
  ])('serves %s from one call', async (_name, index, size) => {
    const id = stack.orgs[index]!;
    const expected = await upstreamIds(id);
    stack.sim.resetLog();
    for (const args of [{ first: 500 }, { last: 5 }]) {
      stack.sim.resetLog();
      const result = await stack.query(QUERY, { org: id, ...args });
      const ids = result.data.organization.invoices.edges.map((e: any) => e.node.invoiceId);
      expect(ids).toEqual('first' in args ? expected : expected.slice(-5));
      expect(result.data.organization.invoices.totalCount).toBe(size);
      expect(stack.sim.log).toHaveLength(1);
    }
  });

  async function walk(size: number, direction: 'forward' | 'backward'): Promise<{ ids: string[]; requests: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let requests = 0;
    for (;;) {
      const vars: Record<string, unknown> =
        direction === 'forward' ? { org, first: size, after: cursor } : { org, last: size, before: cursor };
      const result = await stack.query(QUERY, vars);
      requests++;
      expect(result.errors).toBeUndefined();
      const conn = result.data.organization.invoices;
      const page = conn.edges.map((e: any) => e.node.invoiceId);
      if (direction === 'forward') {
        ids.push(...page);
        if (!conn.pageInfo.hasNextPage) break;
        cursor = conn.pageInfo.endCursor;
      } else {
        ids.unshift(...page);
        if (!conn.pageInfo.hasPreviousPage) break;
        cursor = conn.pageInfo.startCursor;
      }
    }
    return { ids, requests };
  }

  it.each([1, 7, 100, 250])('walks forward in pages of %i: every row once, in order', async (size) => {
    const { ids, requests } = await walk(size, 'forward');
    expect(ids).toEqual(truth);
    expect(requests).toBe(Math.ceil(N / size));
    if (size === 100) expect(stack.sim.log).toHaveLength(3);
    if (size === 250) expect(stack.sim.log).toHaveLength(4);
    // Small pages cost one call each: never more than the pages they touch.
    if (size === 1) expect(stack.sim.log).toHaveLength(N);
  });

  it.each([1, 7, 100, 250])('walks backward in pages of %i: every row once, in order', async (size) => {
    const { ids, requests } = await walk(size, 'backward');
    expect(ids).toEqual(truth);
    expect(requests).toBe(Math.ceil(N / size));
    // The first backward page learns the total from page 1; later ones know where they are.
    if (size === 100) expect(stack.sim.log).toHaveLength(3 + 2 + 1);
  });

  it('walks consumptions and discounts the same way', async () => {
    const acme = stack.orgs[0]!;
    const discounts = await upstreamIds(acme, 'discounts', 'creation_date_desc');
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const r: any = await stack.query(
        `query($org: UUID!, $after: String) { organization(id: $org) { discounts(first: 7, after: $after) { edges { node { discountId } } pageInfo { hasNextPage endCursor } } } }`,
        { org: acme, after },
      );
      seen.push(...r.data.organization.discounts.edges.map((e: any) => e.node.discountId));
      after = r.data.organization.discounts.pageInfo.hasNextPage ? r.data.organization.discounts.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(discounts);

    const period = new Date().toISOString().slice(0, 7);
    const rows: string[] = [];
    after = null;
    do {
      const r: any = await stack.query(
        `query($org: UUID!, $after: String) { organization(id: $org) { consumptions(first: 60, after: $after) { edges { node { sku } } pageInfo { hasNextPage endCursor } } } }`,
        { org: acme, after },
      );
      rows.push(...r.data.organization.consumptions.edges.map((e: any) => e.node.sku));
      after = r.data.organization.consumptions.pageInfo.hasNextPage ? r.data.organization.consumptions.pageInfo.endCursor : null;
    } while (after);
    expect(rows).toEqual(stack.sim.data.consumptions(acme, period).map((c) => c.sku));
  });
});
