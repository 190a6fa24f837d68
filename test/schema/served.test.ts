import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/config/tokens.js';
import { generate } from '../../src/simulator/data.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL, PASSTHROUGH_KEY, PASSTHROUGH_SCALR } from '../helpers/secrets.js';
import { useStack } from '../helpers/stack.js';

/**
 * `servedOrganizations` and `servedScalrAccounts`: what a caller may pick from (the explorer's
 * pickers), from configuration alone: the default first, then by id, never an id the caller may
 * not read, never an upstream call.
 */
const seeded = generate(42);
const orgs = seeded.organizations.map((o) => o.id);
const accounts = seeded.scalrAccounts.map((a) => a.id);
const [A, B] = orgs as [string, string];
const byId = (ids: string[]) => [ids[0], ...ids.slice(1).sort()];
const QUERY = '{ servedOrganizations { organizationId } servedScalrAccounts { accountId } }';
const ids = (data: any) => ({ organizations: data.servedOrganizations.map((o: any) => o.organizationId), accounts: data.servedScalrAccounts.map((a: any) => a.accountId) });

describe('servedOrganizations and servedScalrAccounts', () => {
  describe('open gateway', () => {
    const stack = useStack();
    it('lists every served organization and account, the default first, then by id, with no upstream call', async () => {
      const res = await stack.query(QUERY);
      expect(res.errors).toBeUndefined();
      expect(ids(res.data)).toEqual({ organizations: byId(orgs), accounts: byId(accounts) });
      expect(stack.sim.log).toEqual([]);
    });
  });

  describe('gateway tokens', () => {
    const stack = useStack({
      auth: {
        mode: 'tokens',
        tokens: [
          { name: 'all', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*', scalrAccounts: '*', arbitraryOperations: false },
          { name: 'b', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [B], scalrAccounts: [], arbitraryOperations: false },
        ],
      },
    });
    it('lists only what the token is scoped to: not even the default organization otherwise', async () => {
      const res = await stack.query(QUERY, {}, { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` });
      expect(ids(res.data)).toEqual({ organizations: [B], accounts: [] });
      const all = await stack.query(QUERY, {}, { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` });
      expect(ids(all.data)).toEqual({ organizations: byId(orgs), accounts: byId(accounts) });
    });
  });

  describe('a gateway with no list of organizations', () => {
    const stack = useStack({
      organizations: null,
      auth: { mode: 'tokens', tokens: [{ name: 'ab', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [B, A], scalrAccounts: '*', arbitraryOperations: false }] },
    });
    it('lists the default, then the token’s own list', async () => {
      const res = await stack.query(QUERY, {}, { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` });
      expect(ids(res.data).organizations).toEqual([A, B]);
    });
  });

  describe('passthrough', () => {
    const stack = useStack({ auth: { mode: 'passthrough', tokens: [] } });
    it('offers a caller with its own credentials the defaults only (the configured lists may be other tenants’)', async () => {
      const res = await stack.query(QUERY, {}, { 'x-auth-token': PASSTHROUGH_KEY, 'x-scalr-token': PASSTHROUGH_SCALR });
      expect(ids(res.data)).toEqual({ organizations: [A], accounts: [accounts[0]] });
    });
  });

  describe('no Scalr', () => {
    const stack = useStack({ noScalr: true });
    it('lists no Scalr account', async () => {
      const res = await stack.query(QUERY);
      expect(ids(res.data).accounts).toEqual([]);
    });
  });
});
