import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/**
 * An upstream failure errs on its own field with a stable code. Connections are non-null in the
 * contract, so the error nulls the nearest nullable parent (the organization); other root fields
 * and other organizations of a list still answer.
 */
const stack = useStack();

const INVOICES = /^\/billing\/v2beta1\/invoices$/;

describe('upstream errors in the graph', () => {
  it('fails only the failing field, with a stable code; other root fields answer', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 503, body: '' });
    const r = await stack.query(`{ a: organization { invoices(first: 2) { totalCount } } b: organization { discounts(first: 2) { totalCount } } }`);
    expect(r.data.a.invoices.totalCount).toBe(540);
    expect(r.data.b).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({
      path: ['b', 'discounts', 'totalCount'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'scaleway', status: 503 },
    });
  });

  it('fails one organization of a list and answers the others', async () => {
    stack.sim.inject({ path: INVOICES, query: { organization_id: stack.orgs[1]! }, status: 403, body: '{"type":"permissions_denied","message":"insufficient permissions"}' });
    const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 1) { totalCount } } }`, { ids: stack.orgs.slice(0, 3) });
    expect(r.data.organizations.map((o: any) => o?.invoices.totalCount ?? null)).toEqual([540, null, 37]);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_FORBIDDEN', upstreamType: 'permissions_denied' });
  });

  it('fails a connection whose later page fails: never a shortened list', async () => {
    stack.sim.inject({ path: INVOICES, query: { page: '2' }, status: 500, body: '{"type":"internal_error","message":"boom"}' });
    const r = await stack.query(`{ organization { invoices(first: 250) { edges { node { invoiceId } } } } }`);
    expect(r.data.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(stack.sim.log.map((c) => c.query.get('page')).sort()).toEqual(['1', '2', '3']);
  });

  it('fails a total over all pages when one page fails: never a partial sum', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/consumptions', query: { page: '3' }, status: 502, body: '' });
    const r = await stack.query(`{ organization { consumptions(first: 1) { totals { amount currency } } } }`);
    expect(r.data.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('refuses to slice a list that changed between two page reads', async () => {
    // Page 2 claims another total than page 1: the gateway errors rather than guess.
    stack.sim.inject({
      path: INVOICES,
      query: { page: '2' },
      status: 200,
      body: JSON.stringify({ total_count: 541, invoices: [] }),
      headers: { 'content-type': 'application/json' },
    });
    const r = await stack.query(`{ organization { invoices(first: 150) { edges { node { invoiceId } } } } }`);
    expect(r.data.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(r.errors?.[0]?.message).toMatch(/changed/);
  });

  it('keeps the upstream request id for support, and never the key', async () => {
    stack.sim.inject({ path: INVOICES, status: 401, body: '{"type":"denied_authentication","message":"authentication is denied"}', headers: { 'x-request-id': 'req-123' } });
    const r = await stack.query(`{ organization { invoices { totalCount } } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED', requestId: 'req-123', status: 401 });
    expect(JSON.stringify(r)).not.toContain('6b3c1d2e');
  });
});
