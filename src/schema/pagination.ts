import { createHash } from 'node:crypto';
import { badInput } from '../errors.js';
import { UpstreamBadResponseError, type UpstreamName } from '../upstreams/errors.js';

/**
 * The only place that turns Relay arguments into upstream pages. Page-number upstreams: a cursor
 * is an absolute offset into the list, signed with the connection's name and filter arguments so
 * that a cursor from another query or a tampered one is refused before any upstream call.
 */

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** What connection fields resolve from; every part is lazy, so unselected parts cost no call. */
export interface OffsetConnection<T, P extends UpstreamPage<T> = UpstreamPage<T>> {
  readonly edges: Promise<Edge<T>[]>;
  readonly pageInfo: Promise<PageInfo>;
  readonly totalCount: Promise<number>;
  /** Every row of the list (all pages, concurrently): for aggregates over the whole list. */
  all(): Promise<T[]>;
  /** The first upstream page this connection reads, for list-level fields the upstream sends on every page. */
  anchor(): Promise<P>;
}

/** One upstream page: its rows and the upstream's count of the whole list. */
export interface UpstreamPage<T> {
  rows: T[];
  totalCount: number;
}

export interface OffsetSource<T, P extends UpstreamPage<T> = UpstreamPage<T>> {
  /** Names the connection in cursors, e.g. `Organization.invoices`. */
  name: string;
  /** Every argument that selects or orders rows (not the paging ones): part of each cursor's signature. */
  filter: unknown;
  upstream: UpstreamName;
  /** Upstream page size: the largest it allows, so that calls are fewest. */
  pageSize: number;
  /** Fetches 1-based page `page`; expected to be de-duplicated per request (DataLoader). */
  fetchPage(page: number): Promise<P>;
}

function signature(name: string, filter: unknown, offset: number): string {
  return createHash('sha256').update(`${name}\n${JSON.stringify(filter)}\n${offset}`).digest('base64url').slice(0, 16);
}

export function offsetCursor(name: string, filter: unknown, offset: number): string {
  return Buffer.from(`o1:${offset}:${signature(name, filter, offset)}`).toString('base64url');
}

/** The offset a cursor stands for; BAD_USER_INPUT when it was not made by this connection with these arguments. */
export function decodeOffsetCursor(name: string, filter: unknown, cursor: string, argument: string): number {
  const m = /^o1:(\d{1,9}):([\w-]{16})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const offset = m ? Number(m[1]) : -1;
  if (!m || m[2] !== signature(name, filter, offset)) {
    throw badInput(`\`${argument}\` is not a cursor of this connection with these arguments (tampered, or from another query)`, argument);
  }
  return offset;
}

function count(value: number | null | undefined, argument: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) {
    throw badInput(`\`${argument}\` must be between 0 and ${MAX_PAGE}`, argument);
  }
  return value;
}

/**
 * Validates Relay arguments at once (throwing BAD_USER_INPUT before any call) and returns the
 * lazy connection. A window reads its first page alone (its `total_count` bounds the rest), then
 * every other page it needs concurrently; `last` without `before` starts from page 1.
 */
export function offsetConnection<T, P extends UpstreamPage<T>>(source: OffsetSource<T, P>, args: ConnectionArgs): OffsetConnection<T, P> {
  let first = count(args.first, 'first');
  const last = count(args.last, 'last');
  if (first !== undefined && last !== undefined) throw badInput('Pass `first` or `last`, not both', 'last');
  const after = args.after ? decodeOffsetCursor(source.name, source.filter, args.after, 'after') : undefined;
  const before = args.before ? decodeOffsetCursor(source.name, source.filter, args.before, 'before') : undefined;
  if (first === undefined && last === undefined) first = DEFAULT_PAGE;

  // The window [start, end) as far as it is known without the total; end undefined = "to the end".
  let start = after === undefined ? 0 : after + 1;
  let end = before;
  if (end !== undefined && end < start) end = start;
  if (first !== undefined) end = Math.min(end ?? Infinity, start + first);
  else if (end !== undefined) start = Math.max(start, end - last!);
  const fromEnd = last !== undefined && end === undefined;

  const size = source.pageSize;
  const fetched = new Map<number, Promise<P>>();
  const fetchPage = (page: number) => {
    let promise = fetched.get(page);
    if (!promise) fetched.set(page, (promise = source.fetchPage(page)));
    return promise;
  };
  const pageOf = (offset: number) => Math.floor(offset / size) + 1;
  const firstPage = () => fetchPage(fromEnd ? 1 : pageOf(start));
  const total = async () => (await firstPage()).totalCount;

  const read = async (from: number, to: number, totalCount: number): Promise<T[]> => {
    if (to <= from) return [];
    const pages: Promise<UpstreamPage<T>>[] = [];
    for (let p = pageOf(from); p <= pageOf(to - 1); p++) pages.push(fetchPage(p));
    const rows: T[] = [];
    for (const [i, page] of (await Promise.all(pages)).entries()) {
      const p = pageOf(from) + i;
      const expected = Math.min(size, totalCount - (p - 1) * size);
      if (page.totalCount !== totalCount || page.rows.length !== expected) {
        // Rows appeared or vanished between two page reads: any slice would be silently wrong.
        throw new UpstreamBadResponseError(`${source.upstream} list changed while it was being read; retry the query`, {
          upstream: source.upstream,
        });
      }
      rows.push(...page.rows);
    }
    const offset = (pageOf(from) - 1) * size;
    return rows.slice(from - offset, to - offset);
  };

  let window: Promise<{ from: number; to: number; rows: T[]; totalCount: number }> | undefined;
  const resolve = () =>
    (window ??= (async () => {
      if (end === start && !fromEnd) {
        // An empty window needs no rows, only the total for pageInfo.
        const totalCount = await total();
        const at = Math.min(start, totalCount);
        return { from: at, to: at, rows: [], totalCount };
      }
      const totalCount = await total();
      const to = Math.min(end ?? totalCount, totalCount);
      const from = Math.min(fromEnd ? Math.max(start, to - last!) : start, to);
      return { from, to, rows: await read(from, to, totalCount), totalCount };
    })());

  const cursor = (offset: number) => offsetCursor(source.name, source.filter, offset);
  return {
    get edges() {
      if (end === start && !fromEnd) return Promise.resolve([]);
      return resolve().then(({ from, rows }) => rows.map((node, i) => ({ cursor: cursor(from + i), node })));
    },
    get pageInfo() {
      return resolve().then(({ from, to, totalCount }) => ({
        hasPreviousPage: from > 0,
        hasNextPage: to < totalCount,
        startCursor: to > from ? cursor(from) : null,
        endCursor: to > from ? cursor(to - 1) : null,
      }));
    },
    get totalCount() {
      return total();
    },
    anchor: firstPage,
    async all() {
      const totalCount = await total();
      return read(0, totalCount, totalCount);
    },
  };
}
