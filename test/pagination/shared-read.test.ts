import { describe, expect, it } from 'vitest';
import { MAX_SHARED_TIES, readShared } from '../../src/pagination/shared-read.js';
import { readTokenWindow } from '../../src/pagination/token.js';
import { ordered, type Row, tokenStreams } from './fixtures.js';

/**
 * One read serving several connections: each gets its own rows and a resume point valid for its
 * own streams; the read stops at what its densest connection needs.
 */
const ids = (rows: { node: Row }[]) => rows.map((r) => r.node.id);
/** Connection `k` owns rows whose number is `k` modulo `m`. */
const owner = (k: number, m: number) => (row: Row) => Number(row.id.slice(1)) % m === k;

describe('readShared', () => {
  it('splits one read per connection, each with its next-page flag', async () => {
    const { source, calls } = tokenStreams(ordered(12), { pageSize: 4 });
    const [a, b] = await readShared(source, [
      { count: 2, owns: owner(0, 2) },
      { count: 2, owns: owner(1, 2) },
    ]);
    expect(ids(a!.rows)).toEqual(['r0', 'r2']);
    expect(ids(b!.rows)).toEqual(['r1', 'r3']);
    expect([a!.hasNextPage, b!.hasNextPage]).toEqual([true, true]);
    // One page of 4 rows served both their 2 rows and the row after: no second call.
    expect(calls).toHaveLength(2);
  });

  it('stops once its densest connection is served, and leaves a sparse one to read alone', async () => {
    // 30 rows, pages of 3: connection a owns every row but one; b only r29, at the very end.
    const { source, calls } = tokenStreams(ordered(30), { pageSize: 3 });
    const [a, b] = await readShared(source, [
      { count: 2, owns: (r) => r.id !== 'r29' },
      { count: 2, owns: (r) => r.id === 'r29' },
    ]);
    expect(ids(a!.rows)).toEqual(['r0', 'r1']);
    expect(a!.hasNextPage).toBe(true);
    expect(b).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('takes what the fetched pages hold for the others, and serves them when that is enough', async () => {
    const { source } = tokenStreams(ordered(9), { pageSize: 9 });
    const [a, b, c] = await readShared(source, [
      { count: 1, owns: owner(0, 3) },
      { count: 2, owns: owner(1, 3) },
      { count: 5, owns: owner(2, 3) },
    ]);
    expect(ids(a!.rows)).toEqual(['r0']);
    expect(ids(b!.rows)).toEqual(['r1', 'r4']);
    // The list ended within the fetched page: c is served whole, with no next page.
    expect(ids(c!.rows)).toEqual(['r2', 'r5', 'r8']);
    expect([a!.hasNextPage, b!.hasNextPage, c!.hasNextPage]).toEqual([true, true, false]);
  });

  it('serves every connection when the list ends before any is full', async () => {
    const { source } = tokenStreams(ordered(4), { pageSize: 2 });
    const windows = await readShared(source, [
      { count: 5, owns: owner(0, 2) },
      { count: 5, owns: owner(1, 2) },
    ]);
    expect(windows.map((w) => ids(w!.rows))).toEqual([['r0', 'r2'], ['r1', 'r3']]);
    expect(windows.map((w) => w!.hasNextPage)).toEqual([false, false]);
  });

  it('hands out resume points that skip exactly the rows served, whatever the own stream’s order of ties', async () => {
    // Ties of three (at 0,0,0,1,1,1,...): the shared read serves a 4 rows.
    const rows = ordered(12, (i) => Math.floor(i / 3));
    const { source } = tokenStreams(rows, { pageSize: 12 });
    const [a] = await readShared(source, [
      { count: 4, owns: () => true },
      { count: 1, owns: () => false },
    ]);
    expect(ids(a!.rows)).toEqual(['r0', 'r1', 'r2', 'r3']);
    const last = a!.rows.at(-1)!.after;
    expect(last).toEqual({ after: { order: 1n, ties: ['r3'] } });
    expect(a!.rows[1]!.after).toEqual({ after: { order: 0n, ties: ['r0', 'r1'] } });
    // The connection's own stream orders each tie backwards: resuming still skips exactly r0..r3.
    const reversed = [...rows].sort((x, y) => x.at - y.at || (x.id < y.id ? 1 : -1));
    const own = tokenStreams(reversed, { pageSize: 2 });
    const rest = await readTokenWindow(own.source, last, 20);
    expect(ids(rest.rows).sort()).toEqual(['r10', 'r11', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
  });

  it('keeps skipping the served ties across every later page, until the read is past their place', async () => {
    const rows = ordered(12, (i) => Math.floor(i / 3));
    const { source } = tokenStreams(rows, { pageSize: 12 });
    const [a] = await readShared(source, [
      { count: 4, owns: () => true },
      { count: 1, owns: () => false },
    ]);
    // The own stream orders each tie backwards (r5, r4, r3): r3, served above, comes after two unserved
    // ties; pages of one row end between them, and the cursors they hand out must still skip r3.
    const reversed = [...rows].sort((x, y) => x.at - y.at || (x.id < y.id ? 1 : -1));
    const own = tokenStreams(reversed, { pageSize: 2 });
    const served: string[] = [];
    const cursors: unknown[] = [];
    let start = a!.rows.at(-1)!.after;
    for (let guard = 0; guard < 20; guard++) {
      const w = await readTokenWindow(own.source, start, 1);
      served.push(...ids(w.rows));
      if (!w.hasNextPage) break;
      start = w.rows.at(-1)!.after;
      cursors.push(start);
    }
    expect(served).toEqual(['r5', 'r4', 'r8', 'r7', 'r6', 'r9', 'r11', 'r10']);
    // Pages [r2 r1] [r0 r5] [r4 r3] [r8 r7] …: until r3 is met (skipped), the cursors carry it.
    expect(cursors.slice(0, 2)).toStrictEqual([
      { streams: [{ token: 's0p2', skip: 0 }], served: { order: 1n, ties: ['r3'] } },
      { streams: [{ token: 's0p3', skip: 0 }] },
    ]);
  });

  it('leaves every connection to read alone when reading them together would pass MAX_TOKEN_PAGES', async () => {
    // Alone, each needs 4 pages of one row (3 rows and one to know more follow); interleaved, the
    // shared read needs 7. Past the limit it serves none, and each reads alone within it.
    const { source } = tokenStreams(ordered(12), { pageSize: 1, limits: { pages: 5, emptyPages: 5 } });
    const windows = await readShared(source, [
      { count: 3, owns: owner(0, 2) },
      { count: 3, owns: owner(1, 2) },
    ]);
    expect(windows).toEqual([undefined, undefined]);
  });

  it('passes on any other failure of the shared read', async () => {
    const { source, fault } = tokenStreams(ordered(12), { pageSize: 2 });
    fault(() => {
      throw new Error('upstream down');
    });
    await expect(readShared(source, [{ count: 3, owns: owner(0, 2) }, { count: 3, owns: owner(1, 2) }])).rejects.toThrow('upstream down');
  });

  it('leaves a connection to read alone when its rows of one tie pass MAX_SHARED_TIES (its cursors would carry them all)', async () => {
    expect(MAX_SHARED_TIES).toBe(32);
    // Every row at one place in the order: connection 0 would be served 40 tied rows, connection 1 only 32.
    const { source } = tokenStreams(ordered(80, () => 0), { pageSize: 100 });
    const windows = await readShared(source, [
      { count: 40, owns: owner(0, 2) },
      { count: 32, owns: owner(1, 2) },
    ]);
    expect(windows[0]).toBeUndefined();
    expect(windows[1]!.rows).toHaveLength(32);
    expect(windows[1]!.rows.at(-1)!.after).toMatchObject({ after: { order: 0n } });
  });
});
