import { badInput } from '../errors.js';
import type { Budget } from '../lib/budget.js';
import type { Keyring, Signer } from '../lib/keys.js';
import type { Page } from '../lib/page.js';
import { UpstreamBadResponseError, type UpstreamName } from '../upstreams/errors.js';
import { type ConnectionArgs, count, DEFAULT_PAGE, type Edge, LazyEdge, type PageInfo } from './connection.js';
import { decodeOffsetCursor, offsetCursor, offsetSigner } from './cursor.js';
import type { TotalHints } from './totals.js';

/**
 * Page-number upstreams (Scaleway Billing lists, Scalr): Relay windows over absolute offsets. A
 * window is read from the fewest upstream pages at the largest page size, concurrently, and sliced
 * exactly; a list that changes while it is read fails rather than skip or repeat rows.
 */

/** One upstream page: its rows and the upstream's count of the whole list. */
export type UpstreamPage<T> = Page<T>;

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
  /** Totals seen earlier, to fetch a window's pages all at once. */
  hints?: TotalHints;
  /** Whose list it is (a hash of the credential that reads it): hints are never shared across credentials. */
  tenant?: string;
  /** A row's identity in the list: a read that meets one twice fails (the order moved between pages). */
  identity?(row: T): string;
  /** Signs and checks this connection's cursors. */
  keys: Keyring;
  /** Counts the rows served against the request's budget. */
  budget?: Budget;
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
  // Built on first use: a query that selects no cursor and passes none signs nothing.
  let signer: Signer | undefined;
  const sign = () => (signer ??= offsetSigner(source.keys, source.name, source.filter));
  // An empty string is not a cursor either: only null or absent means "from the start".
  const after = args.after != null ? decodeOffsetCursor(sign(), args.after, 'after') : undefined;
  const before = args.before != null ? decodeOffsetCursor(sign(), args.before, 'before') : undefined;
  if (first === undefined && last === undefined) first = DEFAULT_PAGE;

  // The window [start, end) as far as it is known without the total; end undefined = "to the end".
  let start = after === undefined ? 0 : after + 1;
  let end = before;
  if (end !== undefined && end < start) end = start;
  if (first !== undefined) end = Math.min(end ?? Infinity, start + first);
  else if (end !== undefined) start = Math.max(start, end - last!);
  const fromEnd = last !== undefined && end === undefined;

  const size = source.pageSize;
  const hintKey = JSON.stringify([source.tenant, source.name, source.filter]);
  let hint: Promise<number | undefined> | undefined;
  /** The list's total as last seen (by this credential), or undefined; looked up once. */
  const hinted = () => (hint ??= source.hints ? source.hints.get(hintKey) : Promise.resolve(undefined));
  const fetched = new Map<number, Promise<P>>();
  const fetchPage = (page: number) => {
    let promise = fetched.get(page);
    if (!promise) {
      fetched.set(page, (promise = source.fetchPage(page)));
      promise.then(
        (p) => source.hints?.set(hintKey, p.totalCount),
        () => {},
      );
    }
    return promise;
  };
  const pageOf = (offset: number) => Math.floor(offset / size) + 1;
  /** The window [from, to) for a total. */
  const windowFor = (totalCount: number) => {
    const to = Math.min(end ?? totalCount, totalCount);
    return { from: Math.min(fromEnd ? Math.max(start, to - last!) : start, to), to };
  };
  /** With a hint, every page of the hinted window is asked for now, concurrently (the reads below reuse them). */
  const prefetch = (from: number, to: number) => {
    for (let p = pageOf(from); p <= pageOf(to - 1); p++) void fetchPage(p).catch(() => {});
  };
  const firstPage = async () => {
    const known = await hinted();
    if (known !== undefined) {
      const w = windowFor(known);
      if (w.to > w.from) {
        prefetch(w.from, w.to);
        return fetchPage(pageOf(w.from));
      }
      return fetchPage(pageOf(Math.min(start, Math.max(0, known - 1))));
    }
    return fetchPage(fromEnd ? 1 : pageOf(start));
  };
  const total = async () => (await firstPage()).totalCount;

  const read = async (from: number, to: number, totalCount: number): Promise<T[]> => {
    if (to <= from) return [];
    const pages: Promise<UpstreamPage<T>>[] = [];
    for (let p = pageOf(from); p <= pageOf(to - 1); p++) pages.push(fetchPage(p));
    const rows: T[] = [];
    const seen = source.identity && new Set<string>();
    for (const [i, page] of (await Promise.all(pages)).entries()) {
      const p = pageOf(from) + i;
      const expected = Math.min(size, totalCount - (p - 1) * size);
      if (page.totalCount !== totalCount) {
        // Rows appeared or vanished between two page reads: any slice would be silently wrong.
        throw new UpstreamBadResponseError(`${source.upstream} list changed while it was being read; retry the query`, {
          upstream: source.upstream,
        });
      }
      if (page.rows.length !== expected) {
        throw new UpstreamBadResponseError(
          `${source.upstream} answered page ${p} with ${page.rows.length} rows where ${expected} were expected (does it honour the page size of ${size}?)`,
          { upstream: source.upstream },
        );
      }
      if (seen) {
        for (const row of page.rows) {
          const id = source.identity!(row);
          if (seen.has(id)) {
            // The same total, but the order moved between two page reads (rows recomputed, say):
            // a row seen twice means another was not seen at all.
            throw new UpstreamBadResponseError(`${source.upstream} reordered the list while it was being read (a row came twice); retry the query`, {
              upstream: source.upstream,
            });
          }
          seen.add(id);
        }
      }
      rows.push(...page.rows);
    }
    const offset = (pageOf(from) - 1) * size;
    return rows.slice(from - offset, to - offset);
  };

  let window: Promise<{ from: number; to: number; rows: T[]; totalCount: number }> | undefined;
  const resolve = () =>
    (window ??= (async () => {
      const totalCount = await total();
      const { from, to } = windowFor(totalCount);
      return { from, to, rows: await read(from, to, totalCount), totalCount };
    })());

  const cursor = (offset: number) => offsetCursor(sign(), offset);
  return {
    get edges() {
      if (end === start && !fromEnd) return Promise.resolve([]);
      return resolve().then(({ from, rows }) => {
        source.budget?.take(rows.length);
        return rows.map((node, i) => new LazyEdge(node, from + i, cursor));
      });
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
      const known = await hinted();
      if (known) prefetch(0, known);
      const totalCount = await total();
      return read(0, totalCount, totalCount);
    },
  };
}

/**
 * A list filtered in the gateway, where the upstream's own filter cannot be trusted with a scope
 * (a consumption `project_id` would serve another organization's project): every page of the
 * unfiltered list is read (concurrently, through the same loader), the rows kept are paged here.
 * `shape` makes a page of the filtered list from its rows and the first unfiltered page.
 */
export function filteredSource<T, P extends UpstreamPage<T>>(
  source: OffsetSource<T, P>,
  filter: unknown,
  keep: (row: T) => boolean,
  shape: (rows: T[], totalCount: number, first: P) => P,
): OffsetSource<T, P> {
  let kept: Promise<{ rows: T[]; first: P }> | undefined;
  const read = () =>
    (kept ??= (async () => {
      const whole = offsetConnection(source, {});
      const [rows, first] = await Promise.all([whole.all(), whole.anchor()]);
      return { rows: rows.filter(keep), first };
    })());
  return {
    ...source,
    filter,
    // Its pages are slices in memory: nothing to plan.
    hints: undefined,
    fetchPage: async (page) => {
      const { rows, first } = await read();
      const start = (page - 1) * source.pageSize;
      return shape(rows.slice(start, start + source.pageSize), rows.length, first);
    },
  };
}
