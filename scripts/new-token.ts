import { randomBytes } from 'node:crypto';
import { sha256 } from '../src/auth.js';

/**
 * `npm run token -- <name> [organization-id …]`: mints a gateway token. Prints the token once (give
 * it to the caller) and the entry to add to GATEWAY_TOKENS / GATEWAY_TOKENS_FILE, which holds only
 * its hash.
 */
const [name = 'caller', ...organizations] = process.argv.slice(2);
const token = `bg_${randomBytes(24).toString('base64url')}`;
const entry = { name, sha256: sha256(token), organizations: organizations.length > 0 ? organizations : '*', scalrAccounts: '*' };
console.log(`token (shown once; give it to "${name}"):\n  ${token}\n\nentry for GATEWAY_TOKENS (a JSON array of these):\n  ${JSON.stringify(entry)}`);
