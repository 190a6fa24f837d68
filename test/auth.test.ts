import { describe, expect, it } from 'vitest';
import { sha256 } from '../src/config/tokens.js';
import { generate } from '../src/simulator/data.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL, PASSTHROUGH_KEY, PASSTHROUGH_SCALR, SCALR_TOKEN, SECRET } from './helpers/secrets.js';
import { useStack } from './helpers/stack.js';

/** Callers authenticate; a token reads only what it is scoped to, refused before any upstream call. */
// The simulator's ids come from its seed: known before it starts.
const seeded = generate(42);
const ACME = seeded.organizations[0]!.id;
const GLOBEX = seeded.organizations[1]!.id;

const stack = useStack({
  auth: {
    mode: 'tokens',
    tokens: [
      { name: 'finance', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*', scalrAccounts: '*', arbitraryOperations: false },
      { name: 'acme-dashboard', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [ACME], scalrAccounts: [], arbitraryOperations: false },
    ],
  },
});
const all = { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` };
const acme = { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` };

async function raw(target: typeof stack, path: string, headers: Record<string, string> = {}, body?: string) {
  return target.yoga.fetch(`http://gateway.test${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
    body,
  });
}

describe('gateway tokens', () => {
  it('refuses a request without a token, or with an unknown one, before anything runs', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }] as Record<string, string>[]) {
      const res = await raw(stack, '/graphql', headers, JSON.stringify({ query: '{ organization { invoices { totalCount } } }' }));
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const pdf = await raw(stack, `/invoices/${seeded.invoices.get(ACME)![0]!.id}.pdf`);
    expect(pdf.status).toBe(401);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('serves the GraphiQL page and the health check without a token', async () => {
    expect((await raw(stack, '/graphql', { accept: 'text/html' })).status).toBe(200);
    expect((await raw(stack, '/health')).status).toBe(200);
  });

  it('lets an unrestricted token read every served organization and Scalr account', async () => {
    const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 1) { totalCount } } scalrAccount { accountId } }`, { ids: [ACME, GLOBEX] }, all);
    expect(r.errors).toBeUndefined();
    expect(r.data.organizations.map((o: any) => o.invoices.totalCount)).toEqual([540, 260]);
  });

  it('refuses a scoped token what it may not read, as not found, with no upstream call', async () => {
    const mine = await stack.query(`{ organization { invoices(first: 1) { totalCount } } }`, {}, acme);
    expect(mine.data.organization.invoices.totalCount).toBe(540);
    stack.sim.resetLog();
    const other = await stack.query(`query($id: UUID) { organization(id: $id) { invoices { totalCount } } }`, { id: GLOBEX }, acme);
    expect(other.data.organization).toBeNull();
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId } }`, { ids: [ACME, GLOBEX] }, acme);
    expect(list.data.organizations).toEqual([{ organizationId: ACME }, null]);
    expect(list.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const scalr = await stack.query(`{ scalrAccount { accountId } }`, {}, acme);
    expect(scalr.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('hides other organizations’ objects from node(id:)', async () => {
    const ids = await stack.query(`{ organization(id: "${GLOBEX}") { id invoices(first: 1) { edges { node { id } } } discounts(first: 1) { edges { node { id } } } } }`, {}, all);
    const o = ids.data.organization;
    stack.sim.resetLog();
    const own = Buffer.from(`Organization:${ACME}`).toString('base64');
    const r = await stack.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [o.id, o.invoices.edges[0].node.id, o.discounts.edges[0].node.id, own] }, acme);
    expect(r.data.nodes).toEqual([null, null, null, { id: own }]);
    // Each one NOT_FOUND, as for an id that names nothing: "not yours" and "does not exist" are one answer.
    expect(r.errors!.map((e: any) => [e.extensions.code, e.path])).toEqual([
      ['NOT_FOUND', ['nodes', 0]],
      ['NOT_FOUND', ['nodes', 1]],
      ['NOT_FOUND', ['nodes', 2]],
    ]);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('applies the same rules to invoice PDFs', async () => {
    const mine = seeded.invoices.get(ACME)![3]!.id;
    const theirs = seeded.invoices.get(GLOBEX)![3]!.id;
    expect((await raw(stack, `/invoices/${mine}.pdf`, acme)).status).toBe(200);
    const refused = await raw(stack, `/invoices/${theirs}.pdf`, acme);
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as any).error.code).toBe('NOT_FOUND');
    // Only the look-up of the invoice's organization: no download.
    expect(stack.sim.calls(`/billing/v2beta1/invoices/${theirs}`).map((c) => c.path)).toEqual([`/billing/v2beta1/invoices/${theirs}`]);
    expect((await raw(stack, `/invoices/${theirs}.pdf`, all)).status).toBe(200);
  });
});

describe('passthrough', () => {
  const pass = useStack({ auth: { mode: 'passthrough', tokens: [] } });

  it('refuses a caller who brings no credentials', async () => {
    const res = await raw(pass, '/graphql', {}, JSON.stringify({ query: '{ organization { organizationId } }' }));
    expect(res.status).toBe(401);
    expect(pass.sim.log).toHaveLength(0);
  });

  it('calls the upstreams with the caller’s own credentials, and none of the gateway’s', async () => {
    const ok = await pass.query(
      `{ organization { invoices(first: 1) { totalCount } } scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`,
      {},
      { 'x-auth-token': SECRET, 'x-scalr-token': SCALR_TOKEN },
    );
    expect(ok.errors).toBeUndefined();
    expect(pass.sim.log.find((c) => c.path.startsWith('/billing'))!.headers['x-auth-token']).toBe(SECRET);
    expect(pass.sim.log.find((c) => c.path.startsWith('/api/iacp'))!.headers.authorization).toBe(`Bearer ${SCALR_TOKEN}`);
    pass.sim.resetLog();
    const wrong = await pass.query(`{ a: organization { invoices(first: 1) { totalCount } } b: scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`, {}, {
      'x-auth-token': PASSTHROUGH_KEY,
      'x-scalr-token': PASSTHROUGH_SCALR,
    });
    expect(wrong.errors?.map((e) => e.extensions?.code).sort()).toEqual(['UPSTREAM_UNAUTHENTICATED', 'UPSTREAM_UNAUTHENTICATED']);
    expect(pass.sim.log.every((c) => c.headers['x-auth-token'] === PASSTHROUGH_KEY || c.headers.authorization === `Bearer ${PASSTHROUGH_SCALR}`)).toBe(true);
  });

  it('fails a field whose upstream credential the caller did not bring, without calling it', async () => {
    const r = await pass.query(`{ a: organization { organizationId } b: scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`, {}, { 'x-auth-token': SECRET });
    expect(r.data.a.organizationId).toBe(ACME);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED', upstream: 'scalr' });
    expect(pass.sim.calls('/api/iacp')).toHaveLength(0);
  });
});
