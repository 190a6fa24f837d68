import { badInput } from '../errors.js';
import type { Budget } from '../lib/budget.js';
import type { Keyring } from '../lib/keys.js';
import type { TokenPage } from '../lib/page.js';
import { UpstreamBadResponseError, type UpstreamName } from '../upstreams/errors.js';
import type { TokenRow, TokenWindow } from './connection.js';
import type { Resume, Served, StreamPosition } from './cursor.js';

/**
 * Token upstreams (FinOps charges: `next_page_token`). A connection reads one or more token streams
 * (one per chunk of a long id filter) merged in the upstream's order. A cursor is the resume point
 * after its row: in every stream, the token of the page holding the next row and how many rows of
 * it to skip; `after` resumes there without re-reading earlier pages. Backward pagination is
 * impossible without reading everything, and is refused. Every read is bounded: in pages followed,
 * and in empty pages in a row (an upstream that hands out tokens forever is a bad response).
 */

export interface TokenSource<T> {
  name: string;
  filter: unknown;
  upstream: UpstreamName;
  /** Fetches a page of stream `stream`; expected to be de-duplicated per request (DataLoader). */
  fetchPage(stream: number, token: string | undefined): Promise<TokenPage<T>>;
  streams: number;
  /** A row's place in the upstream's order, ascending in that order; rows the upstream orders alike are ties. */
  order(row: T): bigint;
  /** A digest of a row's content: which rows of a tie were served. */
  identity(row: T): string;
  /** Tells whether an upstream error means a stale page token (it expired, or the upstream forgot it). */
  isStaleToken(error: unknown): boolean;
  /** Most pages one read follows, and most empty pages in a row in one stream. */
  limits: { pages: number; emptyPages: number };
  /** Seals and opens this connection's cursors. */
  keys: Keyring;
  /** Counts the rows served against the request's budget. */
  budget?: Budget;
}

/** A read needed more pages than MAX_TOKEN_PAGES. */
export class TokenPageLimitError extends UpstreamBadResponseError {}

interface StreamState<T> {
  token?: string;
  page?: TokenPage<T>;
  /** Rows of `page` already read or to skip; more than the page holds carries into the next. */
  offset: number;
  done: boolean;
  seen: Set<string>;
  /** The page was fetched with a token from a cursor: a stale-token error is the caller's. */
  fromCursor: boolean;
  /** Empty pages in a row. */
  empty: number;
}

/** Reads merged token streams row by row, fetching each stream's next page only when it is needed. */
export class MergedReader<T> {
  private readonly states: StreamState<T>[];
  private pages = 0;
  /** Rows served before a resume point of the upstream's order: every row before `order`, and these ties at it. */
  private served?: { order: bigint; ties: Map<string, number> };

  constructor(
    private readonly source: TokenSource<T>,
    start: Resume | undefined,
  ) {
    // A cursor's positions are one per stream (its decoding checks the count); no cursor starts every stream at its first row.
    const positions: StreamPosition[] = start && 'streams' in start ? start.streams : Array.from({ length: source.streams }, () => ({ skip: 0 }));
    this.states = positions.map(({ token, skip }) => ({ token, offset: skip, done: false, seen: new Set<string>(), fromCursor: token !== undefined, empty: 0 }));
    const served = start && ('after' in start ? start.after : start.served);
    if (served) {
      const ties = new Map<string, number>();
      for (const id of served.ties) ties.set(id, (ties.get(id) ?? 0) + 1);
      this.served = { order: served.order, ties };
    }
  }

  private bad(message: string): UpstreamBadResponseError {
    return new UpstreamBadResponseError(`${this.source.upstream} ${message}`, { upstream: this.source.upstream });
  }

  /** Whether a row was served before the resume point (each tie once). */
  private wasServed(row: T): boolean {
    const served = this.served;
    if (!served) return false;
    const order = this.source.order(row);
    if (order < served.order) return true;
    if (order > served.order) return false;
    const id = this.source.identity(row);
    const left = served.ties.get(id) ?? 0;
    if (left === 0) return false;
    served.ties.set(id, left - 1);
    return true;
  }

  /** Makes stream `i` hold its next unserved row, or be done: follows tokens over exhausted and empty pages. */
  private async fill(i: number): Promise<void> {
    const s = this.states[i]!;
    const { pages, emptyPages } = this.source.limits;
    while (!s.done) {
      if (!s.page) {
        if (++this.pages > pages) {
          const { upstream } = this.source;
          throw new TokenPageLimitError(`${upstream} needed more than ${pages} pages for one read (MAX_TOKEN_PAGES); ask for a narrower window or filter`, { upstream });
        }
        try {
          s.page = await this.source.fetchPage(i, s.token);
        } catch (error) {
          if (s.fromCursor && this.source.isStaleToken(error)) {
            throw badInput('`after` has expired: the upstream no longer knows its page; start again from the first page', 'after');
          }
          throw error;
        }
        s.empty = s.page.rows.length === 0 && s.page.nextToken ? s.empty + 1 : 0;
        if (s.empty > emptyPages) throw this.bad(`answered more than ${emptyPages} empty pages in a row, each with a next token (MAX_EMPTY_TOKEN_PAGES)`);
      }
      if (s.offset < s.page.rows.length) {
        if (!this.wasServed(s.page.rows[s.offset]!)) return;
        s.offset++;
        continue;
      }
      const next = s.page.nextToken;
      if (!next) {
        s.done = true;
        return;
      }
      if (s.seen.has(next) || next === s.token) {
        // A token seen before would loop forever.
        throw this.bad('repeated a page token');
      }
      s.seen.add(next);
      s.token = next;
      // A skip longer than this page goes on into the next one.
      s.offset -= s.page.rows.length;
      s.page = undefined;
      s.fromCursor = false;
    }
  }

  /** The stream whose next row comes first, or undefined when every stream is done. */
  async peek(): Promise<number | undefined> {
    await Promise.all(this.states.map((_, i) => this.fill(i)));
    return this.first();
  }

  private first(): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.states.length; i++) {
      const s = this.states[i]!;
      if (s.done) continue;
      if (best === undefined) best = i;
      else {
        const b = this.states[best]!;
        // Ties go to the lower stream.
        if (this.source.order(s.page!.rows[s.offset]!) < this.source.order(b.page!.rows[b.offset]!)) best = i;
      }
    }
    return best;
  }

  async next(): Promise<{ node: T; stream: number } | undefined> {
    const i = await this.peek();
    return i === undefined ? undefined : this.take(i);
  }

  private take(i: number): { node: T; stream: number } {
    const s = this.states[i]!;
    const node = s.page!.rows[s.offset++]!;
    // Past the served point every stream is past it too (rows come in order): nothing more to skip.
    if (this.served && this.source.order(node) > this.served.order) this.served = undefined;
    return { node, stream: i };
  }

  /** The served ties not met yet, which a resume point from the streams' positions must still skip. */
  unmetTies(): Served | undefined {
    if (!this.served) return undefined;
    const ties = [...this.served.ties].flatMap(([id, left]) => Array<string>(left).fill(id));
    return ties.length > 0 ? { order: this.served.order, ties } : undefined;
  }

  /**
   * The next row if every stream already holds its next row (no page to fetch), else undefined:
   * what a read that must stop fetching can still take.
   */
  nextBuffered(): { node: T; stream: number } | undefined {
    for (const s of this.states) if (s.page && s.offset >= s.page.rows.length && !s.page.nextToken) s.done = true;
    if (this.states.some((s) => !s.done && (!s.page || s.offset >= s.page.rows.length))) return undefined;
    const i = this.first();
    return i === undefined ? undefined : this.take(i);
  }

  /** Every stream is done. */
  get finished(): boolean {
    return this.states.every((s) => s.done);
  }

  /** The resume point now: call after `peek()` so that exhausted pages are already replaced by their successors. */
  position(): StreamPosition[] {
    return this.states.map((s) => (s.token === undefined ? { skip: s.offset } : { token: s.token, skip: s.offset }));
  }
}

/** Reads `count` rows from `start`, and just enough beyond to know whether more exist. */
export async function readTokenWindow<T>(source: TokenSource<T>, start: Resume | undefined, count: number): Promise<TokenWindow<T>> {
  const reader = new MergedReader(source, start);
  const rows: TokenRow<T>[] = [];
  while (rows.length < count) {
    const row = await reader.next();
    if (!row) return { rows, hasNextPage: false };
    // Peeking first makes the resume point skip a finished page instead of re-reading it.
    await reader.peek();
    const served = reader.unmetTies();
    rows.push({ node: row.node, after: served ? { streams: reader.position(), served } : { streams: reader.position() } });
  }
  return { rows, hasNextPage: (await reader.peek()) !== undefined };
}
