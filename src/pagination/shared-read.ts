import type { TokenRow, TokenWindow } from './connection.js';
import { MergedReader, TokenPageLimitError, type TokenSource } from './token.js';

/**
 * Serves several connections from one read of a shared source (say 20 resources' charges from one
 * call filtering on all of them). The read stops once its densest consumer has its rows (and takes
 * what the pages already fetched hold for the others): a sparse consumer never drags it through
 * page after page. A consumer not served whole reads on its own.
 *
 * A cursor made here resumes the consumer's own streams, which the upstream may order otherwise
 * where rows tie (a SQL upstream without a tie-breaker orders them by query plan): so it is not a
 * count of rows to skip but a point of the order, with the identities of the tied rows already
 * served there. Resuming skips exactly those, whatever the order of ties.
 */

export interface StreamConsumer<T> {
  /** How many rows it wants (it gets one more, if there is one, to know `hasNextPage`). */
  count: number;
  /** Whether a row of the shared stream is this consumer's. */
  owns(row: T): boolean;
}

/** One window per consumer, or undefined for a consumer this read did not serve whole (it reads on its own). */
export async function readShared<T>(source: TokenSource<T>, consumers: StreamConsumer<T>[]): Promise<(TokenWindow<T> | undefined)[]> {
  const reader = new MergedReader(source, undefined);
  const taken = consumers.map(() => [] as T[]);
  const more = consumers.map(() => false);
  const accept = (row: T) =>
    consumers.forEach((c, i) => {
      if (more[i] || !c.owns(row)) return;
      if (taken[i]!.length === c.count) more[i] = true;
      else taken[i]!.push(row);
    });
  try {
    while (!more.some(Boolean)) {
      const row = await reader.next();
      if (!row) break;
      accept(row.node);
    }
  } catch (error) {
    // Together they need more pages than one read may follow; alone, each may need fewer.
    if (error instanceof TokenPageLimitError) return consumers.map(() => undefined);
    throw error;
  }
  // What the pages already fetched hold, without fetching another.
  for (let row = reader.nextBuffered(); row; row = reader.nextBuffered()) accept(row.node);
  const exhausted = reader.finished;
  return consumers.map((_, i) => {
    if (!more[i] && !exhausted) return undefined;
    const rows = resumable(source, taken[i]!);
    // A cursor names every tie served before it: past MAX_SHARED_TIES the connection reads alone,
    // whose cursors are stream positions of constant size.
    if (rows.some((r) => 'after' in r.after && r.after.after.ties.length > MAX_SHARED_TIES)) return undefined;
    return { rows, hasNextPage: more[i]! };
  });
}

/** Most rows of one tie (one place in the order) a shared read serves a connection: its cursors carry them all. */
export const MAX_SHARED_TIES = 32;

/** Each row with its resume point: its place in the order, and the rows served at that place. */
function resumable<T>(source: TokenSource<T>, rows: T[]): TokenRow<T>[] {
  const out: TokenRow<T>[] = [];
  for (const node of rows) {
    const order = source.order(node);
    const before = out.at(-1)?.after;
    const tied = before && 'after' in before && before.after.order === order ? before.after.ties : [];
    out.push({ node, after: { after: { order, ties: [...tied, source.identity(node)] } } });
  }
  return out;
}
