import { describe, expect, it } from 'vitest';
import type { Resume, StreamPosition } from '../../src/pagination/cursor.js';
import { MergedReader, readTokenWindow, type TokenSource } from '../../src/pagination/token.js';
import { UpstreamBadResponseError } from '../../src/upstreams/errors.js';
import { ordered, type Row, tokenStreams } from './fixtures.js';

/** Token streams read as one list: merged in order, resumed exactly, every walk bounded. */
const ids = (rows: { node: { id: string } }[]) => rows.map((r) => r.node.id);
const all = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

/** Every row of a source, `count` at a time, each window resumed from the last row's resume point. */
async function walk(source: TokenSource<Row>, count: number) {
  const out: string[] = [];
  let start: Resume | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const w = await readTokenWindow(source, start, count);
    out.push(...ids(w.rows));
    if (!w.hasNextPage) return out;
    start = w.rows.at(-1)!.after;
  }
  throw new Error('no end');
}

describe('readTokenWindow', () => {
  it.each([1, 2, 3, 4, 7, 20])('walks one stream in windows of %i: every row once, in order', async (count) => {
    const { source } = tokenStreams(ordered(10), { pageSize: 3 });
    expect(await walk(source, count)).toEqual(all(10));
  });

  it.each([1, 2, 5, 13])('merges three streams in order in windows of %i, ties to the lower stream', async (count) => {
    const rows = ordered(24, (i) => Math.floor(i / 2));
    const { source } = tokenStreams(rows, { streams: 3, pageSize: 2, streamOf: (r) => Number(r.id.slice(1)) % 3 });
    const got = await walk(source, count);
    expect([...got].sort()).toEqual([...all(24)].sort());
    const at = (id: string) => rows.find((r) => r.id === id)!.at;
    expect(got.map(at)).toEqual(got.map(at).sort((a, b) => a - b));
    // A tie: the lower stream first (r0 in stream 0 before r1 in stream 1).
    expect(got.indexOf('r0')).toBeLessThan(got.indexOf('r1'));
  });

  it('reads one page more only to know whether rows follow, and resumes on the page of the next row', async () => {
    const { source, calls } = tokenStreams(ordered(9), { pageSize: 3 });
    const w = await readTokenWindow(source, undefined, 3);
    expect(ids(w.rows)).toEqual(['r0', 'r1', 'r2']);
    expect(w.hasNextPage).toBe(true);
    expect(calls).toEqual([[0, undefined], [0, 's0p1']]);
    // The resume point names the next page, not the first again.
    expect(w.rows.at(-1)!.after).toEqual({ streams: [{ token: 's0p1', skip: 0 }] });
    // No token on the first page: none in its resume point at all (not an undefined one).
    expect(w.rows[0]!.after).toStrictEqual({ streams: [{ skip: 1 }] });
    calls.length = 0;
    const next = await readTokenWindow(source, w.rows.at(-1)!.after, 3);
    expect(ids(next.rows)).toEqual(['r3', 'r4', 'r5']);
    expect(calls).toEqual([[0, 's0p1'], [0, 's0p2']]);
    const end = await readTokenWindow(source, next.rows.at(-1)!.after, 10);
    expect(ids(end.rows)).toEqual(['r6', 'r7', 'r8']);
    expect(end.hasNextPage).toBe(false);
  });

  it('answers an empty stream with no rows and no next page', async () => {
    const { source } = tokenStreams([]);
    expect(await readTokenWindow(source, undefined, 5)).toEqual({ rows: [], hasNextPage: false });
    expect(await readTokenWindow(source, undefined, 0)).toEqual({ rows: [], hasNextPage: false });
  });

  it('knows there is more with a window of 0 rows', async () => {
    const { source } = tokenStreams(ordered(2));
    expect(await readTokenWindow(source, undefined, 0)).toEqual({ rows: [], hasNextPage: true });
  });

  it('carries a skip longer than a page into the next pages', async () => {
    const { source } = tokenStreams(ordered(10), { pageSize: 3 });
    const start = { streams: [{ skip: 7 }] as StreamPosition[] };
    expect(ids((await readTokenWindow(source, start, 5)).rows)).toEqual(['r7', 'r8', 'r9']);
    // From a page's token too.
    expect(ids((await readTokenWindow(source, { streams: [{ token: 's0p1', skip: 4 }] }, 2)).rows)).toEqual(['r7', 'r8']);
  });

  it('resumes after a point of the order, skipping exactly the tied rows already served', async () => {
    // r0..r8 at 0,0,0,1,1,1,2,2,2: resume after r4 having served r3 and r5 of the tie at 1 (another order).
    const rows = ordered(9, (i) => Math.floor(i / 3));
    const { source } = tokenStreams(rows, { pageSize: 2 });
    const w = await readTokenWindow(source, { after: { order: 1n, ties: ['r3', 'r5'] } }, 10);
    expect(ids(w.rows)).toEqual(['r4', 'r6', 'r7', 'r8']);
    // The same identity twice in the tie: two rows skipped, no more.
    const twice = tokenStreams([...ordered(3, () => 0), { id: 'r0', at: 0 }], { pageSize: 10 });
    expect(ids((await readTokenWindow(twice.source, { after: { order: 0n, ties: ['r0', 'r0'] } }, 10)).rows)).toEqual(['r1', 'r2']);
    // One identity once in the tie, two rows holding it: one skipped, the other served.
    const once = tokenStreams([...ordered(3, () => 0), { id: 'r0', at: 0 }], { pageSize: 10 });
    expect(ids((await readTokenWindow(once.source, { after: { order: 0n, ties: ['r0'] } }, 10)).rows)).toEqual(['r1', 'r2', 'r0']);
    // Past the end of the order: nothing left.
    expect(await readTokenWindow(source, { after: { order: 9n, ties: [] } }, 10)).toEqual({ rows: [], hasNextPage: false });
  });

  it('follows tokens across empty pages, but not past MAX_EMPTY_TOKEN_PAGES in a row', async () => {
    const { source, fault, calls } = tokenStreams(ordered(6), { pageSize: 2, limits: { pages: 100, emptyPages: 2 } });
    // Pages 1 and 2 of the stream come back empty (their tokens still lead on).
    fault((_s, token, normal) => (token === 's0p1' || token === 's0p2' ? { rows: [], nextToken: token === 's0p1' ? 's0p2' : 's0p3' } : token === 's0p3' ? { rows: [{ id: 'r2', at: 2 }], nextToken: undefined } : normal()));
    const w = await readTokenWindow(source, undefined, 10);
    expect(ids(w.rows)).toEqual(['r0', 'r1', 'r2']);
    expect(calls).toHaveLength(4);
    const endless = tokenStreams(ordered(2), { pageSize: 2, limits: { pages: 100, emptyPages: 3 } });
    let n = 0;
    endless.fault((_s, token, normal) => (token === undefined ? normal() : { rows: [], nextToken: `t${n++}` }));
    endless.fault((_s, token, normal) => (token === undefined ? { ...normal(), nextToken: 't' } : normal()));
    await expect(readTokenWindow(endless.source, undefined, 5)).rejects.toThrow(/more than 3 empty pages in a row/);
    expect(endless.calls).toHaveLength(5);
  });

  it('stops at MAX_TOKEN_PAGES pages for one read, whatever they hold', async () => {
    const { source, calls } = tokenStreams(ordered(20), { pageSize: 1, limits: { pages: 4, emptyPages: 5 } });
    await expect(readTokenWindow(source, undefined, 10)).rejects.toThrow(UpstreamBadResponseError);
    await expect(readTokenWindow(source, undefined, 10)).rejects.toThrow(/more than 4 pages for one read/);
    await expect(readTokenWindow(source, undefined, 10)).rejects.toMatchObject({ upstream: 'scaleway', code: 'UPSTREAM_BAD_RESPONSE' });
    expect(calls).toHaveLength(12);
    // Four pages are enough for three rows and the one after.
    expect(ids((await readTokenWindow(source, undefined, 3)).rows)).toEqual(['r0', 'r1', 'r2']);
  });

  it('refuses a repeated token instead of looping', async () => {
    const { source, fault } = tokenStreams(ordered(6), { pageSize: 2 });
    fault((_s, token, normal) => (token === 's0p1' ? { ...normal(), nextToken: 's0p1' } : normal()));
    await expect(readTokenWindow(source, undefined, 10)).rejects.toThrow(/repeated a page token/);
    await expect(readTokenWindow(source, undefined, 10)).rejects.toMatchObject({ upstream: 'scaleway', code: 'UPSTREAM_BAD_RESPONSE' });
    const back = tokenStreams(ordered(6), { pageSize: 2 });
    back.fault((_s, token, normal) => (token === 's0p2' ? { ...normal(), nextToken: 's0p1' } : normal()));
    await expect(readTokenWindow(back.source, undefined, 10)).rejects.toThrow(/repeated a page token/);
  });

  it('blames a stale token from a cursor on the cursor, and from its own walk on the upstream', async () => {
    const { source, fault } = tokenStreams(ordered(9), { pageSize: 3 });
    fault((_s, token, normal) => {
      if (token === 's0p1') throw new Error('stale');
      return normal();
    });
    await expect(readTokenWindow(source, { streams: [{ token: 's0p1', skip: 0 }] }, 2)).rejects.toThrow(/`after` has expired/);
    await expect(readTokenWindow(source, undefined, 5)).rejects.toThrow(/^stale$/);
    await expect(readTokenWindow(source, { streams: [{ token: 's0p1', skip: 0 }] }, 2)).rejects.toMatchObject({
      message: '`after` has expired: the upstream no longer knows its page; start again from the first page',
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
    // A first page has no token: an error the upstream calls "stale" there is the upstream's, cursor or not.
    const first = tokenStreams(ordered(9), { pageSize: 3 });
    first.fault((_s, token, normal) => {
      if (token === undefined) throw new Error('stale');
      return normal();
    });
    await expect(readTokenWindow(first.source, undefined, 2)).rejects.toThrow(/^stale$/);
    await expect(readTokenWindow(first.source, { streams: [{ skip: 1 }] }, 2)).rejects.toThrow(/^stale$/);
  });

  it('refuses a page that hands back the token of the cursor it was read with', async () => {
    const { source, fault, calls } = tokenStreams(ordered(9), { pageSize: 3 });
    fault((_s, token, normal) => (token === 's0p1' ? { ...normal(), nextToken: 's0p1' } : normal()));
    await expect(readTokenWindow(source, { streams: [{ token: 's0p1', skip: 0 }] }, 10)).rejects.toThrow(/repeated a page token/);
    // Seen at once: the page is not asked for a second time.
    expect(calls).toEqual([[0, 's0p1']]);
  });

  it('forgets served ties the list no longer holds once past their place: later cursors do not carry them', async () => {
    const { source } = tokenStreams(ordered(6, (i) => Math.floor(i / 2)), { pageSize: 2 });
    const w = await readTokenWindow(source, { after: { order: 1n, ties: ['gone'] } }, 10);
    expect(ids(w.rows)).toEqual(['r2', 'r3', 'r4', 'r5']);
    // While the read is at order 1 the tie might still come (a tie's rows come in any order): carried;
    // once a row past it was taken, not.
    expect(w.rows.map((r) => 'served' in r.after)).toEqual([true, true, false, false]);
  });

  it('serves a row after the resume point even when its identity equals a tie served before it', async () => {
    const { source } = tokenStreams(ordered(6, (i) => Math.floor(i / 2)), { pageSize: 2 });
    const same = { ...source, identity: () => 'same' };
    // Three ties served at order 1 where the list now holds two: the third must not hide a row at order 2.
    const w = await readTokenWindow(same, { after: { order: 1n, ties: ['same', 'same', 'same'] } }, 10);
    expect(ids(w.rows)).toEqual(['r4', 'r5']);
  });
});

describe('MergedReader', () => {
  it('hands out what its fetched pages hold without fetching another', async () => {
    const { source, calls } = tokenStreams(ordered(6), { streams: 2, pageSize: 2, streamOf: (r) => Number(r.id.slice(1)) % 2 });
    const reader = new MergedReader(source, undefined);
    expect((await reader.next())!.node.id).toBe('r0');
    expect(calls).toHaveLength(2);
    expect(reader.nextBuffered()!.node.id).toBe('r1');
    expect(reader.nextBuffered()!.node.id).toBe('r2');
    // Stream 1's page is spent and has a next token: no more without a fetch.
    expect(reader.nextBuffered()).toBeUndefined();
    expect(calls).toHaveLength(2);
    expect(reader.finished).toBe(false);
    expect((await reader.next())!.node.id).toBe('r3');
  });

  it('is not finished while one stream is done and another is not', async () => {
    const { source } = tokenStreams(ordered(6), { streams: 2, pageSize: 2, streamOf: (r) => (r.id === 'r0' ? 0 : 1) });
    const reader = new MergedReader(source, undefined);
    expect((await reader.next())!.node.id).toBe('r0');
    expect(reader.nextBuffered()!.node.id).toBe('r1');
    expect(reader.nextBuffered()!.node.id).toBe('r2');
    expect(reader.nextBuffered()).toBeUndefined();
    expect(reader.finished).toBe(false);
  });

  it('says when every stream is done, buffered pages included', async () => {
    const { source } = tokenStreams(ordered(2), { pageSize: 5 });
    const reader = new MergedReader(source, undefined);
    await reader.next();
    expect(reader.nextBuffered()!.node.id).toBe('r1');
    expect(reader.nextBuffered()).toBeUndefined();
    expect(reader.finished).toBe(true);
    expect(await reader.next()).toBeUndefined();
  });
});
