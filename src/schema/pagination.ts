import { badInput } from '../errors.js';
import type { Budget } from '../lib/budget.js';
import type { Keyring, Signer } from '../lib/keys.js';
import type { Page, TokenPage } from '../lib/page.js';
import { UpstreamBadResponseError, type UpstreamName } from '../upstreams/errors.js';

/**
 * The only place that turns Relay arguments into upstream pages. Page-number upstreams: a cursor
 * is an absolute offset into the list, with an HMAC (the gateway's signing keys) over the
 * connection's name, its filter arguments and the offset, so that a cursor from another query, a
 * tampered or a forged one is refused before any upstream call.
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
export type UpstreamPage<T> = Page<T>;

/**
 * Totals of lists seen recently in this process. With one, a window fires every page it needs at
 * once instead of reading its first page alone to learn the total. A hint only plans calls: the
 * rows and the total served always come from the pages read, and a stale hint costs at most a
 * wasted or a late call.
 */
export class TotalHints {
  private readonly totals = new Map<string, { total: number; at: number }>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly max = 10_000,
  ) {}

  get(key: string): number | undefined {
    const hint = this.totals.get(key);
    if (!hint || Date.now() - hint.at > this.ttlMs) return undefined;
    return hint.total;
  }

  set(key: string, total: number): void {
    this.totals.delete(key);
    // A Map keeps insertion order: the first key is the least recently set.
    if (this.totals.size >= this.max) this.totals.delete(this.totals.keys().next().value!);
    this.totals.set(key, { total, at: Date.now() });
  }
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
  /** Signs and checks this connection's cursors. */
  keys: Keyring;
  /** Counts the rows served against the request's budget. */
  budget?: Budget;
}

/** The signer of one offset connection's cursors: keyed by its name and filter arguments. */
export function offsetSigner(keys: Keyring, name: string, filter: unknown): Signer {
  return keys.signer(`offset\n${name}\n${JSON.stringify(filter)}`);
}

export function offsetCursor(signer: Signer, offset: number): string {
  return Buffer.from(`o2:${offset}:${signer.sign(String(offset))}`).toString('base64url');
}

const refused = (argument: string) =>
  badInput(`\`${argument}\` is not a cursor of this connection with these arguments (tampered, forged, or from another query)`, argument);

/** The offset a cursor stands for; BAD_USER_INPUT when it was not made by this connection with these arguments. */
export function decodeOffsetCursor(signer: Signer, cursor: string, argument: string): number {
  const m = /^o2:(0|[1-9]\d{0,8}):([\w-]{22})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!m || !signer.verify(m[1]!, m[2]!)) throw refused(argument);
  return Number(m[1]);
}

function count(value: number | null | undefined, argument: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) {
    throw badInput(`\`${argument}\` must be between 0 and ${MAX_PAGE}`, argument);
  }
  return value;
}

/**
 * An edge whose cursor is signed only when selected: a query of 500 edges rarely asks for 500
 * cursors. A class, so that the getter lives once on its prototype, not on every edge.
 */
class OffsetEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly offset: number,
    private readonly cursorAt: (offset: number) => string,
  ) {}

  get cursor(): string {
    return this.cursorAt(this.offset);
  }
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
  const hintKey = `${source.name}\n${JSON.stringify(source.filter)}`;
  const hinted = source.hints?.get(hintKey);
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
  const firstPage = () => {
    if (hinted !== undefined) {
      const w = windowFor(hinted);
      if (w.to > w.from) {
        prefetch(w.from, w.to);
        return fetchPage(pageOf(w.from));
      }
      return fetchPage(pageOf(Math.min(start, Math.max(0, hinted - 1))));
    }
    return fetchPage(fromEnd ? 1 : pageOf(start));
  };
  const total = async () => (await firstPage()).totalCount;

  const read = async (from: number, to: number, totalCount: number): Promise<T[]> => {
    if (to <= from) return [];
    const pages: Promise<UpstreamPage<T>>[] = [];
    for (let p = pageOf(from); p <= pageOf(to - 1); p++) pages.push(fetchPage(p));
    const rows: T[] = [];
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
      const { from, to } = windowFor(totalCount);
      return { from, to, rows: await read(from, to, totalCount), totalCount };
    })());

  const cursor = (offset: number) => offsetCursor(sign(), offset);
  return {
    get edges() {
      if (end === start && !fromEnd) return Promise.resolve([]);
      return resolve().then(({ from, rows }) => {
        source.budget?.take(rows.length);
        return rows.map((node, i) => new OffsetEdge(node, from + i, cursor));
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
      if (hinted !== undefined && hinted > 0) prefetch(0, hinted);
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

/*
 * Token upstreams (FinOps charges: `next_page_token`). A connection reads one or more token streams
 * (one per chunk of a long id filter) merged in the upstream's order. A cursor is the resume point
 * after its row in every stream: the token of the page holding the next row and how many rows of
 * that page to skip. `after` resumes there without re-reading earlier pages. Backward pagination
 * is impossible without reading everything, and is refused.
 */

export type { TokenPage };

/** Where a stream resumes: the page fetched with `token` (the first page when undefined), minus `skip` rows. */
export interface StreamPosition {
  token?: string;
  skip: number;
}

export interface TokenSource<T> {
  name: string;
  filter: unknown;
  upstream: UpstreamName;
  /** Fetches a page of stream `stream`; expected to be de-duplicated per request (DataLoader). */
  fetchPage(stream: number, token: string | undefined): Promise<TokenPage<T>>;
  streams: number;
  /** The upstream's order, used to merge streams; ties go to the lower stream. */
  compare(a: T, b: T): number;
  /** Tells whether an upstream error means a stale page token (it expired, or the upstream forgot it). */
  isStaleToken(error: unknown): boolean;
  /** Seals and opens this connection's cursors. */
  keys: Keyring;
  /** Counts the rows served against the request's budget. */
  budget?: Budget;
}

export interface TokenRow<T> {
  node: T;
  /** Resume point after this row, in every stream. */
  after: StreamPosition[];
}

export interface TokenWindow<T> {
  rows: TokenRow<T>[];
  /** Whether a row exists after the last one (the upstream was read far enough to know). */
  hasNextPage: boolean;
}

interface StreamState<T> {
  token?: string;
  page?: TokenPage<T>;
  offset: number;
  done: boolean;
  seen: Set<string>;
  /** The page was fetched with a token from a cursor: a stale-token error is the caller's. */
  fromCursor: boolean;
}

/** Reads merged token streams row by row, fetching each stream's next page only when it is needed. */
export class MergedReader<T> {
  private readonly states: StreamState<T>[];

  constructor(
    private readonly source: TokenSource<T>,
    start: StreamPosition[] | undefined,
  ) {
    this.states = Array.from({ length: source.streams }, (_, i) => ({
      token: start?.[i]?.token,
      offset: start?.[i]?.skip ?? 0,
      done: false,
      seen: new Set<string>(),
      fromCursor: start?.[i]?.token !== undefined,
    }));
  }

  /** Makes stream `i` hold its next row, or be done: follows tokens over exhausted and empty pages. */
  private async fill(i: number): Promise<void> {
    const s = this.states[i]!;
    for (;;) {
      if (s.done) return;
      if (!s.page) {
        try {
          s.page = await this.source.fetchPage(i, s.token);
        } catch (error) {
          if (s.fromCursor && this.source.isStaleToken(error)) {
            throw badInput('`after` has expired: the upstream no longer knows its page; start again from the first page', 'after');
          }
          throw error;
        }
      }
      if (s.offset < s.page.rows.length) return;
      const next = s.page.nextToken;
      if (!next) {
        s.done = true;
        return;
      }
      if (s.seen.has(next) || next === s.token) {
        // A token seen before would loop forever.
        throw new UpstreamBadResponseError(`${this.source.upstream} repeated a page token`, { upstream: this.source.upstream });
      }
      s.seen.add(next);
      s.token = next;
      s.offset = 0;
      s.page = undefined;
      s.fromCursor = false;
    }
  }

  /** The stream whose next row comes first, or undefined when every stream is done. */
  async peek(): Promise<number | undefined> {
    await Promise.all(this.states.map((_, i) => this.fill(i)));
    let best: number | undefined;
    for (let i = 0; i < this.states.length; i++) {
      const s = this.states[i]!;
      if (s.done) continue;
      if (best === undefined) best = i;
      else {
        const b = this.states[best]!;
        if (this.source.compare(s.page!.rows[s.offset]!, b.page!.rows[b.offset]!) < 0) best = i;
      }
    }
    return best;
  }

  async next(): Promise<{ node: T; stream: number } | undefined> {
    const i = await this.peek();
    if (i === undefined) return undefined;
    const s = this.states[i]!;
    return { node: s.page!.rows[s.offset++]!, stream: i };
  }

  /** The resume point now: call after `peek()` so that exhausted pages are already replaced by their successors. */
  position(): StreamPosition[] {
    return this.states.map((s) => (s.token === undefined ? { skip: s.offset } : { token: s.token, skip: s.offset }));
  }
}

/** Reads `count` rows from `start`, and just enough beyond to know whether more exist. */
export async function readTokenWindow<T>(source: TokenSource<T>, start: StreamPosition[] | undefined, count: number): Promise<TokenWindow<T>> {
  const reader = new MergedReader(source, start);
  const rows: TokenRow<T>[] = [];
  while (rows.length < count) {
    const row = await reader.next();
    if (!row) return { rows, hasNextPage: false };
    // Peeking first makes the resume point skip a finished page instead of re-reading it.
    const more = await reader.peek();
    rows.push({ node: row.node, after: reader.position() });
    if (more === undefined) return { rows, hasNextPage: false };
  }
  return { rows, hasNextPage: (await reader.peek()) !== undefined };
}

/** A consumer of a shared stream: the rows it takes, and its own streams for its cursors. */
export interface StreamConsumer<T> {
  /** How many rows it wants (it gets one more, if there is one, to know `hasNextPage`). */
  count: number;
  /** Which of its own streams a row belongs to, or undefined when the row is not its. */
  streamOf(row: T): number | undefined;
  /** How many streams it reads on its own (its cursors hold a position for each). */
  streams: number;
}

/**
 * Serves several connections from one read of a shared source (say 20 resources' charges from one
 * call filtering on all of them). Each consumer's cursors are restart positions in its own streams
 * (from the first page, skipping the rows it has seen): valid for a later request that reads its
 * streams alone.
 */
export async function readShared<T>(source: TokenSource<T>, consumers: StreamConsumer<T>[]): Promise<TokenWindow<T>[]> {
  const reader = new MergedReader(source, undefined);
  const out = consumers.map(() => ({ rows: [] as TokenRow<T>[], hasNextPage: false, taken: [] as number[] }));
  consumers.forEach((c, i) => (out[i]!.taken = new Array<number>(c.streams).fill(0)));
  const wanting = () => consumers.some((c, i) => !out[i]!.hasNextPage);
  while (wanting()) {
    const row = await reader.next();
    if (!row) break;
    consumers.forEach((c, i) => {
      const o = out[i]!;
      const stream = c.streamOf(row.node);
      if (stream === undefined || o.hasNextPage) return;
      if (o.rows.length === c.count) {
        o.hasNextPage = true;
        return;
      }
      o.taken[stream]!++;
      o.rows.push({ node: row.node, after: o.taken.map((skip) => ({ skip })) });
    });
  }
  return out.map(({ rows, hasNextPage }) => ({ rows, hasNextPage }));
}

/** What a token cursor is bound to: it opens only for this connection with these arguments. */
function tokenContext(source: Pick<TokenSource<unknown>, 'name' | 'filter'>): string {
  return `token\n${source.name}\n${JSON.stringify(source.filter)}`;
}

/**
 * A resume point as a cursor: sealed (AES-256-GCM under the signing keys), so that the caller can
 * neither read the upstream's page tokens nor choose one, nor move the cursor to another query.
 */
export function tokenCursor(keys: Keyring, context: string, after: StreamPosition[]): string {
  const positions = after.map((p) => [p.token ?? null, p.skip]);
  return `t2.${keys.seal(context, JSON.stringify(positions))}`;
}

/** The resume positions a cursor stands for; BAD_USER_INPUT when it is not this connection's. */
export function decodeTokenCursor(source: Pick<TokenSource<unknown>, 'name' | 'filter' | 'keys' | 'streams'>, cursor: string): StreamPosition[] {
  const text = cursor.startsWith('t2.') ? source.keys.open(tokenContext(source), cursor.slice(3)) : undefined;
  if (text === undefined) throw refused('after');
  // Sealed by us, so well-formed; checked all the same, as everything that crosses the boundary.
  const positions = JSON.parse(text) as unknown;
  const valid =
    Array.isArray(positions) &&
    positions.length === source.streams &&
    positions.every((p) => Array.isArray(p) && p.length === 2 && (p[0] === null || typeof p[0] === 'string') && Number.isSafeInteger(p[1]) && (p[1] as number) >= 0);
  if (!valid) throw refused('after');
  return (positions as [string | null, number][]).map(([token, skip]) => (token === null ? { skip } : { token, skip }));
}

/** Relay edges and pageInfo of a token window. */
export function tokenConnection<T>(source: TokenSource<T>, read: () => Promise<TokenWindow<T>>, startedAfterCursor: boolean) {
  const context = tokenContext(source);
  const cursor = (row: TokenRow<T>) => tokenCursor(source.keys, context, row.after);
  // Read on first use: a connection whose edges and pageInfo are not selected costs no call.
  let promise: Promise<TokenWindow<T>> | undefined;
  const window = () => (promise ??= read());
  return {
    get edges() {
      return window().then((w) => {
        source.budget?.take(w.rows.length);
        return w.rows.map((row) => ({
          node: row.node,
          get cursor() {
            return cursor(row);
          },
        }));
      });
    },
    get pageInfo(): Promise<PageInfo> {
      return window().then((w) => ({
        hasNextPage: w.hasNextPage,
        // Forward-only: rows before `after` exist by construction; the first page has none.
        hasPreviousPage: startedAfterCursor,
        startCursor: w.rows[0] ? cursor(w.rows[0]) : null,
        endCursor: w.rows.at(-1) ? cursor(w.rows.at(-1)!) : null,
      }));
    },
  };
}

/** `first` and the refusal of backward arguments for token connections; BAD_USER_INPUT before any call. */
export function forwardCount(args: ConnectionArgs): number {
  if (args.last != null || args.before != null) {
    throw badInput('This connection pages forward only (the upstream pages by token): use `first` and `after`', args.last != null ? 'last' : 'before');
  }
  return count(args.first, 'first') ?? DEFAULT_PAGE;
}
