import { describe, expect, it } from 'vitest';
import { Budget, BudgetExceededError } from '../../src/lib/budget.js';
import { offsetCursor, offsetSigner } from '../../src/pagination/cursor.js';
import { filteredSource, offsetConnection } from '../../src/pagination/offset.js';
import type { Store } from '../../src/fleet/store.js';
import { TotalHints } from '../../src/pagination/totals.js';
import { UpstreamBadResponseError } from '../../src/upstreams/errors.js';
import { KEYS, pageList } from './fixtures.js';

/**
 * Relay windows over a page-number list, as a table: every window's rows are exactly the list's
 * slice, read from exactly the pages that cover it (26 rows in pages of 10).
 */
const N = 26;
const cursorOf = (source: ReturnType<typeof pageList>['source'], offset: number) => offsetCursor(offsetSigner(KEYS, source.name, source.filter), offset);

interface Case {
  name: string;
  first?: number;
  last?: number;
  after?: number;
  before?: number;
  /** Rows served [from, to). */
  window: [number, number];
  /** Pages read, in order of first asking. */
  pages: number[];
}

const cases: Case[] = [
  { name: 'the default page', window: [0, N], pages: [1, 2, 3] },
  { name: 'first rows', first: 4, window: [0, 4], pages: [1] },
  { name: 'exactly one page', first: 10, window: [0, 10], pages: [1] },
  { name: 'one row into the next page', first: 11, window: [0, 11], pages: [1, 2] },
  { name: 'more than there is', first: 100, window: [0, N], pages: [1, 2, 3] },
  { name: 'the last row of a page', first: 1, after: 8, window: [9, 10], pages: [1] },
  { name: 'the first row of a page', first: 1, after: 9, window: [10, 11], pages: [2] },
  { name: 'straddling two pages', first: 4, after: 7, window: [8, 12], pages: [1, 2] },
  { name: 'a middle page exactly', first: 10, after: 9, window: [10, 20], pages: [2] },
  { name: 'past the end', first: 10, after: 22, window: [23, N], pages: [3] },
  { name: 'after the last row', first: 3, after: 25, window: [N, N], pages: [3] },
  { name: 'first: 0', first: 0, window: [0, 0], pages: [1] },
  { name: 'last: 0', last: 0, window: [N, N], pages: [1] },
  { name: 'between two cursors', after: 1, before: 6, window: [2, 6], pages: [1] },
  { name: 'between two cursors, first', first: 10, after: 8, before: 15, window: [9, 15], pages: [1, 2] },
  { name: 'the last rows', last: 3, window: [23, N], pages: [1, 3] },
  { name: 'the last 12', last: 12, window: [14, N], pages: [1, 2, 3] },
  { name: 'last before, one page', last: 3, before: 10, window: [7, 10], pages: [1] },
  { name: 'last before, straddling', last: 4, before: 12, window: [8, 12], pages: [1, 2] },
  { name: 'last before, on a later page', last: 3, before: 25, window: [22, 25], pages: [3] },
  { name: 'last, more than there is before', last: 30, before: 5, window: [0, 5], pages: [1] },
  { name: 'last: 0 before', last: 0, before: 5, window: [5, 5], pages: [1] },
  { name: 'between after and before', after: 3, before: 8, window: [4, 8], pages: [1] },
  { name: 'after beyond before', after: 15, before: 12, window: [16, 16], pages: [2] },
  { name: 'first within after and before', first: 2, after: 3, before: 8, window: [4, 6], pages: [1] },
  { name: 'last within after and before', last: 2, after: 3, before: 8, window: [6, 8], pages: [1] },
];

describe('offsetConnection', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const list = pageList(N);
    const args = {
      first: c.first,
      last: c.last,
      after: c.after === undefined ? undefined : cursorOf(list.source, c.after),
      before: c.before === undefined ? undefined : cursorOf(list.source, c.before),
    };
    const connection = offsetConnection(list.source, args);
    const [edges, pageInfo, total] = await Promise.all([connection.edges, connection.pageInfo, connection.totalCount]);
    const [from, to] = c.window;
    expect(edges.map((e) => e.node.id)).toEqual(list.rows.slice(from, to).map((r) => r.id));
    expect(total).toBe(N);
    expect(pageInfo).toEqual({
      hasPreviousPage: from > 0,
      hasNextPage: to < N,
      startCursor: to > from ? cursorOf(list.source, from) : null,
      endCursor: to > from ? cursorOf(list.source, to - 1) : null,
    });
    // Every edge's cursor is its own offset.
    edges.forEach((e, i) => expect(e.cursor).toBe(cursorOf(list.source, from + i)));
    expect(list.calls).toEqual(c.pages);
  });

  it('makes no call for an empty window whose rows only are selected', async () => {
    const list = pageList(N);
    expect(await offsetConnection(list.source, { first: 0 }).edges).toEqual([]);
    // `after` beyond `before`: an empty window too.
    expect(await offsetConnection(list.source, { after: cursorOf(list.source, 15), before: cursorOf(list.source, 12) }).edges).toEqual([]);
    expect(list.calls).toEqual([]);
  });

  it('says which argument is wrong, in words', () => {
    const list = pageList(N);
    expect(() => offsetConnection(list.source, { first: 1, last: 1 })).toThrow('Pass `first` or `last`, not both');
  });

  it('names the upstream in every error about its answers', async () => {
    const list = pageList(N);
    list.fault((page, normal) => (page === 2 ? { ...normal, totalCount: N + 1 } : normal));
    await expect(offsetConnection(list.source, { first: 15 }).edges).rejects.toMatchObject({ upstream: 'scaleway' });
    const short = pageList(N);
    short.fault((page, normal) => (page === 2 ? { ...normal, rows: normal.rows.slice(0, 9) } : normal));
    await expect(offsetConnection(short.source, { first: 15 }).edges).rejects.toMatchObject({ upstream: 'scaleway' });
    const twice = pageList(N);
    twice.fault((page, normal) => (page === 2 ? { ...normal, rows: [twice.rows[9]!, ...normal.rows.slice(1)] } : normal));
    await expect(offsetConnection(twice.source, { first: 15 }).edges).rejects.toMatchObject({ upstream: 'scaleway' });
  });

  it('reads every row for totals, all pages at once after the first', async () => {
    const list = pageList(N);
    const rows = await offsetConnection(list.source, { first: 1 }).all();
    expect(rows.map((r) => r.id)).toEqual(list.rows.map((r) => r.id));
    expect(list.calls).toEqual([1, 2, 3]);
    // An empty list: one call.
    const empty = pageList(0);
    expect(await offsetConnection(empty.source, {}).all()).toEqual([]);
    expect(empty.calls).toEqual([1]);
  });

  it('serves the first page as the anchor (for list-level fields)', async () => {
    const list = pageList(N);
    expect((await offsetConnection(list.source, { first: 2, after: cursorOf(list.source, 14) }).anchor()).rows[0]!.id).toBe('r10');
  });

  it.each([
    ['first < 0', { first: -1 }, 'first'],
    ['first > 500', { first: 501 }, 'first'],
    ['last not whole', { last: 1.5 }, 'last'],
    ['first with last', { first: 1, last: 1 }, 'last'],
    ['a cursor of garbage', { after: 'garbage' }, 'after'],
    ['an empty cursor', { before: '' }, 'before'],
  ])('refuses %s before any call', (_name, args, argument) => {
    const list = pageList(N);
    expect(() => offsetConnection(list.source, args)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument }) }));
    expect(list.calls).toEqual([]);
  });

  it('refuses a cursor of another filter or connection', () => {
    const list = pageList(N);
    const other = offsetCursor(offsetSigner(KEYS, list.source.name, { f: 2 }), 3);
    const otherName = offsetCursor(offsetSigner(KEYS, 'Other.list', list.source.filter), 3);
    for (const after of [other, otherName]) expect(() => offsetConnection(list.source, { after })).toThrow(/not a cursor of this connection/);
  });

  it('fails when pages disagree on the total (the list changed while read)', async () => {
    const list = pageList(N);
    list.fault((page, normal) => (page === 2 ? { ...normal, totalCount: N + 1 } : normal));
    await expect(offsetConnection(list.source, { first: 15 }).edges).rejects.toThrow(UpstreamBadResponseError);
    await expect(offsetConnection(list.source, { first: 15 }).edges).rejects.toThrow(/changed while it was being read/);
  });

  it('fails when a page has the wrong number of rows', async () => {
    const list = pageList(N);
    list.fault((page, normal) => (page === 2 ? { ...normal, rows: normal.rows.slice(0, 9) } : normal));
    await expect(offsetConnection(list.source, { first: 15 }).edges).rejects.toThrow(/answered page 2 with 9 rows where 10 were expected/);
    // The last page holds what is left, no more.
    const last = pageList(N);
    last.fault((page, normal) => (page === 3 ? { ...normal, rows: [...normal.rows, normal.rows[0]!] } : normal));
    await expect(offsetConnection(last.source, { first: 30 }).all()).rejects.toThrow(/page 3 with 7 rows where 6/);
  });

  it('fails when a row comes twice (the order moved between two pages), and not without identities', async () => {
    const list = pageList(N);
    list.fault((page, normal) => (page === 2 ? { ...normal, rows: [list.rows[9]!, ...normal.rows.slice(1)] } : normal));
    await expect(offsetConnection(list.source, { first: 15 }).edges).rejects.toThrow(/reordered the list while it was being read/);
    await expect(offsetConnection(list.source, {}).all()).rejects.toThrow(UpstreamBadResponseError);
    // A row twice within one page read is caught too.
    const inPage = pageList(N);
    inPage.fault((page, normal) => (page === 1 ? { ...normal, rows: [normal.rows[0]!, normal.rows[0]!, ...normal.rows.slice(2)] } : normal));
    await expect(offsetConnection(inPage.source, { first: 5 }).edges).rejects.toThrow(/a row came twice/);
    const anonymous = pageList(N, { identity: false });
    anonymous.fault((page, normal) => (page === 2 ? { ...normal, rows: [anonymous.rows[9]!, ...normal.rows.slice(1)] } : normal));
    expect(await offsetConnection(anonymous.source, { first: 15 }).edges).toHaveLength(15);
  });

  it('counts the rows it serves against the request’s budget', async () => {
    const list = pageList(N);
    const budget = new Budget(100, 20);
    await offsetConnection({ ...list.source, budget }, { first: 12 }).edges;
    expect(budget.rows).toBe(12);
    await expect(offsetConnection({ ...list.source, budget }, { first: 9 }).edges).rejects.toThrow(BudgetExceededError);
  });
});

describe('total hints', () => {
  it('plans a window’s pages all at once once a total is known, and stays exact when it moved', async () => {
    const hints = new TotalHints();
    const cold = pageList(N, { hints });
    expect((await offsetConnection(cold.source, { first: 25 }).edges).map((e) => e.node.id)).toHaveLength(25);
    expect(cold.calls).toEqual([1, 2, 3]);
    const warm = pageList(N, { hints });
    const release = warm.hold();
    const edges = offsetConnection(warm.source, { first: 15, after: cursorOf(warm.source, 4) }).edges;
    // Pages 1 and 2 asked together, before either answered (without the hint, page 2 waits for page 1).
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(warm.calls).toEqual([1, 2]);
    release();
    await edges;
    expect(warm.calls).toEqual([1, 2]);
    const last = pageList(N, { hints });
    await offsetConnection(last.source, { last: 3 }).edges;
    expect(last.calls).toEqual([3]);
    // The list grew by 10 since: the hint planned too few pages; the read is still exact.
    const grown = pageList(N + 10, { hints });
    const grownRows = await offsetConnection(grown.source, { first: 100 }).edges;
    expect(grownRows).toHaveLength(N + 10);
    expect(grown.calls).toEqual([1, 2, 3, 4]);
    // An empty window with a hint asks for the page of its position only.
    const empty = pageList(N + 10, { hints });
    expect(await offsetConnection(empty.source, { first: 0, after: cursorOf(empty.source, 33) }).totalCount).toBe(N + 10);
    expect(empty.calls).toEqual([4]);
    const all = pageList(N + 10, { hints });
    const releaseAll = all.hold();
    const rows = offsetConnection(all.source, {}).all();
    // Every page at once, before the first answered.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(all.calls).toEqual([1, 2, 3, 4]);
    releaseAll();
    expect(await rows).toHaveLength(N + 10);
    // Past the end of the list with a hint: the page of its last row, not the one after.
    const past = pageList(40, { hints: new TotalHints() });
    await offsetConnection(past.source, { first: 5 }).totalCount;
    const beyond = pageList(40, { hints: past.source.hints });
    expect(await offsetConnection(beyond.source, { first: 0, after: cursorOf(beyond.source, 45) }).totalCount).toBe(40);
    expect(beyond.calls).toEqual([4]);
  });

  it('asks for every page of a whole-list read at once when the total is hinted, past the default window too', async () => {
    const hints = new TotalHints();
    await offsetConnection(pageList(250, { hints }).source, { first: 1 }).totalCount;
    const all = pageList(250, { hints });
    const release = all.hold();
    const rows = offsetConnection(all.source, {}).all();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(all.calls).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    release();
    expect((await rows).map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    expect(all.calls).toHaveLength(25);
  });

  it('keeps hints of different tenants apart', async () => {
    const hints = new TotalHints();
    const mine = pageList(N, { hints });
    await offsetConnection({ ...mine.source, tenant: 'a' }, { first: 25 }).edges;
    const theirs = pageList(N, { hints });
    await offsetConnection({ ...theirs.source, tenant: 'b' }, { last: 3 }).edges;
    // No hint for tenant b: the first page alone first, to learn the total.
    expect(theirs.calls).toEqual([1, 3]);
  });

  it('keeps totals in the gateway’s store, for their time, and plans nothing when the store fails', async () => {
    const calls: unknown[][] = [];
    const store: Store = {
      shared: true,
      get: async (key) => (calls.push(['get', key]), key === 'total\na' ? '7' : undefined),
      set: async (...args) => void calls.push(['set', ...args]),
      lock: async () => true,
      unlock: async () => {},
      close: async () => {},
    };
    const hints = new TotalHints(store, 120);
    expect(await hints.get('a')).toBe(7);
    expect(await hints.get('b')).toBeUndefined();
    hints.set('c', 3);
    expect(calls).toEqual([['get', 'total\na'], ['get', 'total\nb'], ['set', 'total\nc', '3', 120]]);
    const failing = new TotalHints({ ...store, get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) });
    expect(await failing.get('a')).toBeUndefined();
    expect(() => failing.set('a', 1)).not.toThrow();
    // A real in-process store, with the default lifetime.
    const memory = new TotalHints();
    memory.set('x', 5);
    expect(await memory.get('x')).toBe(5);
  });
});

describe('filteredSource', () => {
  it('pages the rows it keeps from every page of the unfiltered list, read once', async () => {
    const list = pageList(N);
    const source = filteredSource(list.source, { kept: 'odd' }, (r) => Number(r.id.slice(1)) % 2 === 1, (rows, totalCount, first) => ({ rows, totalCount: totalCount + 0 * first.totalCount }));
    const connection = offsetConnection(source, { first: 5, after: offsetCursor(offsetSigner(KEYS, source.name, source.filter), 3) });
    expect((await connection.edges).map((e) => e.node.id)).toEqual(['r9', 'r11', 'r13', 'r15', 'r17']);
    expect(await connection.totalCount).toBe(13);
    expect(list.calls.sort()).toEqual([1, 2, 3]);
    // Its second page, from the same rows read once.
    const second = await offsetConnection(source, { first: 12 }).edges;
    expect(second.map((e) => e.node.id)).toEqual(['r1', 'r3', 'r5', 'r7', 'r9', 'r11', 'r13', 'r15', 'r17', 'r19', 'r21', 'r23']);
    // Its cursors are its own (its filter), not the unfiltered list's.
    expect(() => offsetConnection(source, { after: cursorOf(list.source, 3) })).toThrow(/not a cursor/);
  });
});
