import { Keyring } from '../../src/lib/keys.js';
import type { TokenPage } from '../../src/lib/page.js';
import type { OffsetSource } from '../../src/pagination/offset.js';
import type { TotalHints } from '../../src/pagination/totals.js';
import type { TokenSource } from '../../src/pagination/token.js';

/** In-memory upstreams for the pagination modules' own tests: what they hold, and the pages asked for. */

export const KEYS = new Keyring(['pagination-test-key-0123456789abcdef']);

export interface Row {
  id: string;
  /** Place in the order (token lists). */
  at: number;
}

/** A page-number list of `n` rows `r0`…, in pages of `pageSize`; `calls` records each page asked for. */
export function pageList(n: number, { pageSize = 10, hints, identity = true }: { pageSize?: number; hints?: TotalHints; identity?: boolean } = {}) {
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({ id: `r${i}`, at: i }));
  const calls: number[] = [];
  /** Change the answer of a page before it is served (faults). */
  let answer = (page: number) => ({ rows: rows.slice((page - 1) * pageSize, page * pageSize), totalCount: rows.length });
  let held: Promise<void> | undefined;
  const source: OffsetSource<Row> = {
    name: 'Test.list',
    filter: { f: 1 },
    upstream: 'scaleway',
    pageSize,
    fetchPage: async (page) => {
      calls.push(page);
      if (held) await held;
      return answer(page);
    },
    hints,
    keys: KEYS,
    ...(identity ? { identity: (r: Row) => r.id } : {}),
  };
  return {
    rows,
    calls,
    source,
    /** Holds every answer until the function returned is called: what was asked before any answer shows. */
    hold(): () => void {
      let release!: () => void;
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    fault(f: (page: number, normal: ReturnType<typeof answer>) => ReturnType<typeof answer>) {
      const normal = answer;
      answer = (page) => f(page, normal(page));
    },
  };
}

/**
 * Token streams over rows (`rows[i]` go to stream `streamOf(row)`), each paged by `pageSize` with
 * tokens `s<stream>p<page>`. `calls` records [stream, token] of every page asked for.
 */
export function tokenStreams(
  rows: Row[],
  { streams = 1, pageSize = 3, streamOf = () => 0, limits = { pages: 1000, emptyPages: 5 } }: { streams?: number; pageSize?: number; streamOf?: (row: Row) => number; limits?: { pages: number; emptyPages: number } } = {},
) {
  const calls: [number, string | undefined][] = [];
  const lists = Array.from({ length: streams }, (_, s) => rows.filter((r) => streamOf(r) === s));
  let answer = (stream: number, token: string | undefined): TokenPage<Row> => {
    const page = token === undefined ? 0 : Number(/^s\d+p(\d+)$/.exec(token)![1]);
    const list = lists[stream]!;
    const slice = list.slice(page * pageSize, (page + 1) * pageSize);
    return { rows: slice, ...((page + 1) * pageSize < list.length ? { nextToken: `s${stream}p${page + 1}` } : {}) };
  };
  const source: TokenSource<Row> = {
    name: 'Test.tokens',
    filter: { f: 2 },
    upstream: 'scaleway',
    streams,
    fetchPage: async (stream, token) => {
      calls.push([stream, token]);
      return answer(stream, token);
    },
    order: (r) => BigInt(r.at),
    identity: (r) => r.id,
    isStaleToken: (e) => e instanceof Error && e.message === 'stale',
    limits,
    keys: KEYS,
  };
  return {
    source,
    calls,
    lists,
    fault(f: (stream: number, token: string | undefined, normal: () => TokenPage<Row>) => TokenPage<Row>) {
      const normal = answer;
      answer = (stream, token) => f(stream, token, () => normal(stream, token));
    },
  };
}

/** Rows `r0`… whose order is `at`, several rows sharing one `at` when `ties` says so. */
export function ordered(n: number, tie = (i: number) => i): Row[] {
  return Array.from({ length: n }, (_, i) => ({ id: `r${i}`, at: tie(i) }));
}
