import { badInput } from '../errors.js';
import type { Budget } from '../lib/budget.js';
import type { Keyring } from '../lib/keys.js';
import { type Resume, tokenContext, tokenCursor } from './cursor.js';

/** Relay's side of pagination: arguments, edges and pageInfo, whatever the upstream pages by. */

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

/** `first` or `last`, checked: BAD_USER_INPUT before any upstream call. */
export function count(value: number | null | undefined, argument: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) {
    throw badInput(`\`${argument}\` must be between 0 and ${MAX_PAGE}`, argument);
  }
  return value;
}

/**
 * An edge whose cursor is made only when selected: a query of 500 edges rarely asks for 500
 * cursors. A class, so that the getter lives once on its prototype, not on every edge.
 */
export class LazyEdge<T, P> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly position: P,
    private readonly cursorAt: (position: P) => string,
  ) {}

  get cursor(): string {
    return this.cursorAt(this.position);
  }
}

/** `first` and the refusal of backward arguments for token connections; BAD_USER_INPUT before any call. */
export function forwardCount(args: ConnectionArgs): number {
  if (args.last != null || args.before != null) {
    throw badInput('This connection pages forward only (the upstream pages by token): use `first` and `after`', args.last != null ? 'last' : 'before');
  }
  return count(args.first, 'first') ?? DEFAULT_PAGE;
}

/** A row of a token window and where its connection resumes after it. */
export interface TokenRow<T> {
  node: T;
  after: Resume;
}

export interface TokenWindow<T> {
  rows: TokenRow<T>[];
  /** Whether a row exists after the last one (the upstream was read far enough to know). */
  hasNextPage: boolean;
}

/** Relay edges and pageInfo of a token window, read on first use (unselected, it costs no call). */
export function tokenConnection<T>(
  source: { name: string; filter: unknown; keys: Keyring; budget?: Budget },
  read: () => Promise<TokenWindow<T>>,
  startedAfterCursor: boolean,
) {
  const context = tokenContext(source.name, source.filter);
  const cursor = (resume: Resume) => tokenCursor(source.keys, context, resume);
  let promise: Promise<TokenWindow<T>> | undefined;
  const window = () => (promise ??= read());
  return {
    get edges() {
      return window().then((w) => {
        source.budget?.take(w.rows.length);
        return w.rows.map((row) => new LazyEdge(row.node, row.after, cursor));
      });
    },
    get pageInfo(): Promise<PageInfo> {
      return window().then((w) => ({
        hasNextPage: w.hasNextPage,
        // Forward-only: rows before `after` exist by construction; the first page has none.
        hasPreviousPage: startedAfterCursor,
        startCursor: w.rows[0] ? cursor(w.rows[0].after) : null,
        endCursor: w.rows.at(-1) ? cursor(w.rows.at(-1)!.after) : null,
      }));
    },
  };
}
