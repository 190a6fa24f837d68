import { describe, expect, it } from 'vitest';
import { Budget } from '../../src/lib/budget.js';
import { count, DEFAULT_PAGE, forwardCount, LazyEdge, MAX_PAGE, tokenConnection } from '../../src/pagination/connection.js';
import { decodeTokenCursor, tokenContext } from '../../src/pagination/cursor.js';
import { KEYS } from './fixtures.js';

/** Relay's side: arguments checked, edges and pageInfo made lazily. */
describe('count', () => {
  it('takes 0 to 500, and nothing when absent', () => {
    expect([count(0, 'first'), count(MAX_PAGE, 'first'), count(null, 'first'), count(undefined, 'first')]).toEqual([0, 500, undefined, undefined]);
    for (const bad of [-1, 501, 1.5, Number.NaN]) expect(() => count(bad, 'last')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'last' } }));
  });
});

describe('forwardCount', () => {
  it('defaults to a page of 100 and refuses paging backwards', () => {
    expect(forwardCount({})).toBe(DEFAULT_PAGE);
    expect(DEFAULT_PAGE).toBe(100);
    expect(forwardCount({ first: 7, after: 'x' })).toBe(7);
    expect(() => forwardCount({ last: 1 })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'last' } }));
    expect(() => forwardCount({ before: 'x' })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'before' } }));
    expect(() => forwardCount({ first: 501 })).toThrow(/between 0 and 500/);
    expect(() => forwardCount({ first: -1 })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'first' } }));
    expect(() => forwardCount({ last: 1 })).toThrow('This connection pages forward only (the upstream pages by token): use `first` and `after`');
  });
});

describe('LazyEdge', () => {
  it('makes its cursor only when asked, from its position', () => {
    let made = 0;
    const edge = new LazyEdge({ n: 1 }, 42, (p) => `c${p}#${++made}`);
    expect(edge.node).toEqual({ n: 1 });
    expect(made).toBe(0);
    expect(edge.cursor).toBe('c42#1');
  });
});

describe('tokenConnection', () => {
  const source = { name: 'A.charges', filter: { q: 1 }, keys: KEYS };
  const window = { rows: [{ node: 'a', after: { streams: [{ skip: 1 }] } }, { node: 'b', after: { streams: [{ token: 't', skip: 0 }] } }], hasNextPage: true };

  it('reads once, on first use, and shapes edges and pageInfo', async () => {
    let reads = 0;
    const connection = tokenConnection(source, async () => (reads++, window), false);
    expect(reads).toBe(0);
    const [edges, info] = await Promise.all([connection.edges, connection.pageInfo]);
    expect(reads).toBe(1);
    expect(edges.map((e) => e.node)).toEqual(['a', 'b']);
    const context = tokenContext(source.name, source.filter);
    expect(decodeTokenCursor(KEYS, context, 1, edges[1]!.cursor)).toEqual({ streams: [{ token: 't', skip: 0 }] });
    expect(info).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: edges[0]!.cursor, endCursor: edges[1]!.cursor });
  });

  it('ends at the last row of a longer page', async () => {
    const rows = ['a', 'b', 'c'].map((node, i) => ({ node, after: { streams: [{ skip: i + 1 }] } }));
    const connection = tokenConnection(source, async () => ({ rows, hasNextPage: false }), false);
    const [edges, info] = await Promise.all([connection.edges, connection.pageInfo]);
    expect(info.endCursor).toBe(edges[2]!.cursor);
    expect(info.startCursor).toBe(edges[0]!.cursor);
    expect(decodeTokenCursor(KEYS, tokenContext(source.name, source.filter), 1, info.endCursor!)).toEqual({ streams: [{ skip: 3 }] });
  });

  it('starts and ends at the one row of a page of one', async () => {
    const connection = tokenConnection(source, async () => ({ rows: [window.rows[0]!], hasNextPage: true }), false);
    const [edges, info] = await Promise.all([connection.edges, connection.pageInfo]);
    expect(info.endCursor).toBe(edges[0]!.cursor);
    expect(info.startCursor).toBe(edges[0]!.cursor);
  });

  it('says there were rows before a cursor, and has no cursors for an empty page', async () => {
    const connection = tokenConnection(source, async () => ({ rows: [], hasNextPage: false }), true);
    expect(await connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it('counts the rows it serves against the budget', async () => {
    const budget = new Budget(10, 1);
    await expect(tokenConnection({ ...source, budget }, async () => window, false).edges).rejects.toThrow(/more than 1 rows/);
  });
});
