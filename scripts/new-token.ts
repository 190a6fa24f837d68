import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sha256 } from '../src/config/tokens.js';

/**
 * `npm run token -- <name> [--organizations id,id|*] [--scalr-accounts id,id|*] [--arbitrary-operations]`:
 * mints a gateway token. Scopes are explicit: a token reads nothing it was not given. Prints the
 * token once (give it to the caller), its scopes, and the entry for GATEWAY_TOKENS /
 * GATEWAY_TOKENS_FILE, which holds only its hash.
 */
const usage = 'usage: npm run token -- <name> [--organizations <id,…|*>] [--scalr-accounts <acc-…,…|*>] [--arbitrary-operations]';
function commandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        organizations: { type: 'string' },
        'scalr-accounts': { type: 'string' },
        'arbitrary-operations': { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}
const { positionals, values } = commandLine();
const name = positionals[0];
if (!name || positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT = /^acc-[a-z0-9]+$/i;
/** `*`, a comma-separated list of ids, or nothing at all. */
function scope(value: string | undefined, pattern: RegExp, what: string): string[] | '*' {
  if (value === undefined) return [];
  if (value.trim() === '*') return '*';
  const ids = value.split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
  const bad = ids.find((id) => !pattern.test(id));
  if (bad !== undefined) {
    console.error(`--${what}: "${bad}" is not a valid id\n${usage}`);
    process.exit(2);
  }
  return ids;
}

const organizations = scope(values.organizations, UUID, 'organizations');
const scalrAccounts = scope(values['scalr-accounts'], ACCOUNT, 'scalr-accounts');
const token = `bg_${randomBytes(24).toString('base64url')}`;
const entry = { name, sha256: sha256(token), organizations, scalrAccounts, ...(values['arbitrary-operations'] ? { arbitraryOperations: true } : {}) };
const describe = (s: string[] | '*') => (s === '*' ? 'every one the gateway serves' : s.length === 0 ? 'none' : s.join(', '));
console.log(
  [
    `token (shown once; give it to "${name}"):`,
    `  ${token}`,
    '',
    'scopes:',
    `  organizations:  ${describe(organizations)}`,
    `  Scalr accounts: ${describe(scalrAccounts)}`,
    `  operations:     ${values['arbitrary-operations'] ? 'any (may use GraphiQL when PERSISTED_ONLY=true)' : 'persisted only when PERSISTED_ONLY=true'}`,
    '',
    'entry for GATEWAY_TOKENS (a JSON array of these):',
    `  ${JSON.stringify(entry)}`,
  ].join('\n'),
);
