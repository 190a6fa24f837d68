import { badInput } from '../errors.js';
import type { Keyring, Signer } from '../lib/keys.js';

/**
 * Cursors, opaque to callers and unforgeable: an offset carries an HMAC over the connection's name,
 * its filter arguments and the offset; a resume point of token streams is sealed (AES-256-GCM),
 * so that nobody reads or chooses the upstream page tokens inside. Either is refused
 * (BAD_USER_INPUT) before any upstream call when it is not this connection's with these arguments.
 */

export const refused = (argument: string) =>
  badInput(`\`${argument}\` is not a cursor of this connection with these arguments (tampered, forged, or from another query)`, argument);

/** The signer of one offset connection's cursors: keyed by its name and filter arguments. */
export function offsetSigner(keys: Keyring, name: string, filter: unknown): Signer {
  return keys.signer(`offset\n${name}\n${JSON.stringify(filter)}`);
}

export function offsetCursor(signer: Signer, offset: number): string {
  return Buffer.from(`o2:${offset}:${signer.sign(String(offset))}`).toString('base64url');
}

/** The offset a cursor stands for. */
export function decodeOffsetCursor(signer: Signer, cursor: string, argument: string): number {
  const bytes = Buffer.from(cursor, 'base64url');
  // One spelling only: base64url decoding skips padding, spaces and stray characters.
  const m = bytes.toString('base64url') === cursor ? /^o2:(0|[1-9]\d{0,8}):([\w-]{22})$/.exec(bytes.toString('latin1')) : null;
  if (!m || !signer.verify(m[1]!, m[2]!)) throw refused(argument);
  return Number(m[1]);
}

/** Where a token stream resumes: the page fetched with `token` (the first page when undefined), minus `skip` rows. */
export interface StreamPosition {
  token?: string;
  skip: number;
}

/** Rows served at a point of the upstream's order: every row before `order`, and at `order` the rows whose identities are in `ties`. */
export interface Served {
  order: bigint;
  ties: string[];
}

/**
 * Where a token connection resumes: in each of its streams, or (a cursor made from a read of
 * another stream, shared by several connections) after a point of the upstream's order. A stream
 * position carries `served` while rows of a tie served by such a read still lie ahead in its
 * streams (the shared read met the tie's rows in another order): they are skipped when met.
 */
export type Resume = { streams: StreamPosition[]; served?: Served } | { after: Served };

/** What a token cursor is bound to: it opens only for this connection with these arguments. */
export function tokenContext(name: string, filter: unknown): string {
  return `token\n${name}\n${JSON.stringify(filter)}`;
}

export function tokenCursor(keys: Keyring, context: string, resume: Resume): string {
  const served = (s: Served) => [String(s.order), s.ties];
  const body =
    'streams' in resume
      ? ['s', resume.streams.map((p) => [p.token ?? null, p.skip]), ...(resume.served ? served(resume.served) : [])]
      : ['a', ...served(resume.after)];
  return `t2.${keys.seal(context, JSON.stringify(body))}`;
}

const isPosition = (p: unknown): p is [string | null, number] =>
  Array.isArray(p) && p.length === 2 && (p[0] === null || typeof p[0] === 'string') && Number.isSafeInteger(p[1]) && (p[1] as number) >= 0;

function servedOf([order, ties, ...rest]: unknown[]): Served | undefined {
  if (rest.length > 0 || typeof order !== 'string' || !/^-?\d{1,20}$/.test(order)) return undefined;
  if (!Array.isArray(ties) || !ties.every((t) => typeof t === 'string')) return undefined;
  return { order: BigInt(order), ties };
}

/** The resume point a cursor stands for (`streams` positions, one per stream). */
export function decodeTokenCursor(keys: Keyring, context: string, streams: number, cursor: string): Resume {
  const text = cursor.startsWith('t2.') ? keys.open(context, cursor.slice(3)) : undefined;
  if (text === undefined) throw refused('after');
  // Sealed by us, so well-formed; checked all the same, as everything that crosses the boundary.
  const body = JSON.parse(text) as unknown[];
  if (body[0] === 's' && Array.isArray(body[1]) && body[1].length === streams && body[1].every(isPosition)) {
    const positions = (body[1] as [string | null, number][]).map(([token, skip]) => (token === null ? { skip } : { token, skip }));
    if (body.length === 2) return { streams: positions };
    const served = servedOf(body.slice(2));
    if (served) return { streams: positions, served };
  }
  if (body[0] === 'a') {
    const after = servedOf(body.slice(1));
    if (after) return { after };
  }
  throw refused('after');
}
