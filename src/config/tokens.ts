import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

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
