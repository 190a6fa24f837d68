import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'graphql-yoga';
import { ANYONE, type Caller, NOBODY } from './access/caller.js';
import { hasPdfSignature, verifyPdfLink } from './access/pdf-link.js';
import type { Keyring } from './lib/keys.js';
import { addRequestSecret } from './redaction.js';

/**
 * Who may call the gateway, and what they may read.
 * - `tokens`: callers send `Authorization: Bearer <token>`; the gateway holds only SHA-256 hashes of
 *   its tokens, each scoped to organizations and Scalr accounts.
 * - `passthrough`: callers send their own upstream credentials (`X-Auth-Token` for Scaleway,
 *   `X-Scalr-Token` for Scalr); the gateway holds none, and the upstream decides what they may read.
 * - `none`: open (demo mode, or behind a proxy that authenticates).
 * A request that none of these admits reads nothing: only GraphiQL's page and `/health` are public.
 */
export type AuthMode = 'tokens' | 'passthrough' | 'none';

export interface GatewayToken {
  /** Who holds it, for logs. */
  name: string;
  /** Hex SHA-256 of the token. */
  sha256: string;
  /** Organization ids it may read, or `*` for every one the gateway serves. */
  organizations: string[] | '*';
  /** Scalr account ids it may read, or `*`. */
  scalrAccounts: string[] | '*';
  /** May send documents of its own when `PERSISTED_ONLY=true` and GraphiQL is on (analysts). */
  arbitraryOperations: boolean;
}

export interface AuthSettings {
  mode: AuthMode;
  tokens: GatewayToken[];
}

export { type Caller } from './access/caller.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Parses `GATEWAY_TOKENS` (JSON) or the file `GATEWAY_TOKENS_FILE` names; throws with a message naming what is wrong. */
export function parseTokens(json: string | undefined, file: string | undefined): GatewayToken[] {
  const text = json ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (text === undefined) return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  if (!Array.isArray(list)) throw new Error('must be a JSON array of {name, sha256, organizations, scalrAccounts}');
  return list.map((entry: Record<string, unknown>, i) => {
    // Scopes are explicit: a missing one reads nothing, never everything.
    const scope = (value: unknown, what: string) => {
      if (value === '*') return '*';
      if (value === undefined) return [] as string[];
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`entry ${i}: ${what} must be "*" or a list of ids`);
      return (value as string[]).map((v) => v.toLowerCase());
    };
    if (typeof entry?.name !== 'string' || !entry.name) throw new Error(`entry ${i}: name is required`);
    // Only hashes: a token in plain text here would be a secret in the configuration.
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256)) throw new Error(`entry ${i}: sha256 must be the hex SHA-256 of the token`);
    if (entry.arbitraryOperations !== undefined && typeof entry.arbitraryOperations !== 'boolean') throw new Error(`entry ${i}: arbitraryOperations must be true or false`);
    return {
      name: entry.name,
      sha256: entry.sha256.toLowerCase(),
      organizations: scope(entry.organizations, 'organizations'),
      scalrAccounts: scope(entry.scalrAccounts, 'scalrAccounts'),
      arbitraryOperations: entry.arbitraryOperations === true,
    };
  });
}

const callers = new WeakMap<Request, Caller>();

/** The caller authentication admitted for this request; nobody (reads nothing) when none was. */
export function callerOf(request: Request): Caller {
  return callers.get(request) ?? NOBODY;
}

function answer(fetchAPI: { Response: typeof Response }, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const unauthenticated = (fetchAPI: { Response: typeof Response }, message: string) =>
  answer(fetchAPI, 401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer realm="billing-graph"' });

export interface AuthOptions extends AuthSettings {
  /** The GraphQL endpoint, whose GraphiQL page is public when GraphiQL is on. */
  graphqlPath: string;
  graphiql: boolean;
  keys: Keyring;
  now: () => Date;
}

/** The PDF route's path: `/invoices/{id}.pdf`. */
export const PDF_PATH = /^\/invoices\/([^/]+)\.pdf$/;

/** Public: GraphiQL's own page (a GET of the endpoint by a browser, running nothing) and the health check. */
function isPublic(request: Request, url: URL, options: AuthOptions): boolean {
  if (url.pathname === '/health') return request.method === 'GET' || request.method === 'HEAD';
  return (
    options.graphiql &&
    url.pathname === options.graphqlPath &&
    request.method === 'GET' &&
    (request.headers.get('accept') ?? '').includes('text/html') &&
    !url.searchParams.has('query')
  );
}

export function useAuth(options: AuthOptions): Plugin {
  const byHash = new Map(options.tokens.map((t) => [t.sha256, t]));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (options.mode === 'none') {
        callers.set(request, ANYONE);
        return;
      }
      if (isPublic(request, url, options)) return;

      // A signed invoice link admits its one invoice, with no token (browsers follow plain links).
      const pdf = PDF_PATH.exec(url.pathname);
      let linkInvoice: string | undefined;
      let linkOrganization: string | undefined;
      if (pdf && hasPdfSignature(url.searchParams)) {
        let invoiceId = '';
        try {
          invoiceId = decodeURIComponent(pdf[1]!);
        } catch {
          // A malformed path is the PDF route's to refuse (400).
        }
        const link = verifyPdfLink(options.keys, invoiceId, url.searchParams, options.now().getTime());
        if (link === 'invalid' || link === 'expired') {
          endResponse(answer(fetchAPI, 403, 'FORBIDDEN', link === 'expired' ? 'This invoice link has expired: ask the graph for a new downloadUrl' : 'This invoice link is not valid'));
          return;
        }
        linkInvoice = link.invoiceId.toLowerCase();
        linkOrganization = link.organizationId.toLowerCase();
      }

      if (options.mode === 'passthrough') {
        const scalewayKey = request.headers.get('x-auth-token') ?? undefined;
        const scalrToken = request.headers.get('x-scalr-token') ?? undefined;
        addRequestSecret(request, scalewayKey);
        addRequestSecret(request, scalrToken);
        if (!scalewayKey && !scalrToken) {
          // The gateway holds no credentials: even a signed link needs the caller's own to download.
          endResponse(unauthenticated(fetchAPI, 'Send your Scaleway secret key as X-Auth-Token and/or your Scalr token as X-Scalr-Token'));
          return;
        }
        callers.set(request, { name: 'passthrough', organizations: null, scalrAccounts: null, arbitraryOperations: true, scalewayKey, scalrToken });
        return;
      }
      if (linkInvoice !== undefined) {
        callers.set(request, { name: 'pdf-link', organizations: new Set([linkOrganization!]), scalrAccounts: new Set(), arbitraryOperations: false, pdfInvoiceId: linkInvoice });
        return;
      }
      const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
      addRequestSecret(request, m?.[1]);
      const token = m ? byHash.get(sha256(m[1]!)) : undefined;
      if (!token) {
        endResponse(unauthenticated(fetchAPI, m ? 'Unknown gateway token' : 'Send a gateway token: Authorization: Bearer <token>'));
        return;
      }
      callers.set(request, {
        name: token.name,
        organizations: token.organizations === '*' ? null : new Set(token.organizations),
        scalrAccounts: token.scalrAccounts === '*' ? null : new Set(token.scalrAccounts),
        arbitraryOperations: token.arbitraryOperations,
      });
    },
  };
}
