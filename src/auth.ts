import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Who may call the gateway, and what they may read.
 * - `tokens`: callers send `Authorization: Bearer <token>`; the gateway holds only SHA-256 hashes of
 *   its tokens, each scoped to organizations and Scalr accounts.
 * - `passthrough`: callers send their own upstream credentials (`X-Auth-Token` for Scaleway,
 *   `X-Scalr-Token` for Scalr); the gateway holds none, and the upstream decides what they may read.
 * - `none`: open (demo mode, or behind a proxy that authenticates).
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
}

export interface AuthSettings {
  mode: AuthMode;
  tokens: GatewayToken[];
}

/** The authenticated caller of one request. */
export interface Caller {
  name: string;
  /** null: no restriction beyond what the gateway serves. */
  organizations: ReadonlySet<string> | null;
  scalrAccounts: ReadonlySet<string> | null;
  /** Passthrough credentials; never logged. */
  scalewayKey?: string;
  scalrToken?: string;
}

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
    const scope = (value: unknown, what: string) => {
      if (value === '*' || value === undefined) return value === '*' ? '*' : ([] as string[]);
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`entry ${i}: ${what} must be "*" or a list of ids`);
      return (value as string[]).map((v) => v.toLowerCase());
    };
    if (typeof entry?.name !== 'string' || !entry.name) throw new Error(`entry ${i}: name is required`);
    // Only hashes: a token in plain text here would be a secret in the configuration.
    if (typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(entry.sha256)) throw new Error(`entry ${i}: sha256 must be the hex SHA-256 of the token`);
    return { name: entry.name, sha256: entry.sha256.toLowerCase(), organizations: scope(entry.organizations, 'organizations'), scalrAccounts: scope(entry.scalrAccounts, 'scalrAccounts') };
  });
}

const callers = new WeakMap<Request, Caller>();

/** The caller the auth plugin admitted for this request. */
export function callerOf(request: Request): Caller {
  return callers.get(request) ?? { name: 'anonymous', organizations: null, scalrAccounts: null };
}

function unauthenticated(fetchAPI: { Response: typeof Response }, message: string): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="billing-graph"' },
  });
}

/** The GraphiQL page itself is static and public; every operation and the PDF route need a caller. */
function isPublic(request: Request, url: URL): boolean {
  if (url.pathname === '/health') return true;
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !url.searchParams.has('query');
}

export function useAuth(settings: AuthSettings): Plugin {
  const byHash = new Map(settings.tokens.map((t) => [t.sha256, t]));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (settings.mode === 'none' || isPublic(request, url)) return;
      if (settings.mode === 'passthrough') {
        const scalewayKey = request.headers.get('x-auth-token') ?? undefined;
        const scalrToken = request.headers.get('x-scalr-token') ?? undefined;
        if (!scalewayKey && !scalrToken) {
          endResponse(unauthenticated(fetchAPI, 'Send your Scaleway secret key as X-Auth-Token and/or your Scalr token as X-Scalr-Token'));
          return;
        }
        callers.set(request, { name: 'passthrough', organizations: null, scalrAccounts: null, scalewayKey, scalrToken });
        return;
      }
      const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
      const token = m ? byHash.get(sha256(m[1]!)) : undefined;
      if (!token) {
        endResponse(unauthenticated(fetchAPI, m ? 'Unknown gateway token' : 'Send a gateway token: Authorization: Bearer <token>'));
        return;
      }
      callers.set(request, {
        name: token.name,
        organizations: token.organizations === '*' ? null : new Set(token.organizations),
        scalrAccounts: token.scalrAccounts === '*' ? null : new Set(token.scalrAccounts),
      });
    },
  };
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}
