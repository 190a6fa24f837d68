import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/server.js';
import { ScalewayBillingClient } from '../../src/upstreams/scaleway/client.js';
import { failure } from '../helpers/failure.js';
import { SECRET } from '../helpers/stack.js';

/** The Scaleway client against the simulator: exact wire parameters, headers, and typed errors. */
let sim: Simulator;
let agent: Agent;
let client: ScalewayBillingClient;
let alpha: ScalewayBillingClient;
let org: string;
const period = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  sim = new Simulator({ scalewaySecretKey: SECRET });
  const url = await sim.listen();
  agent = new Agent();
  client = new ScalewayBillingClient({ apiUrl: url, secretKey: SECRET, dispatcher: agent, version: 'v2beta1' });
  alpha = new ScalewayBillingClient({ apiUrl: url, secretKey: SECRET, dispatcher: agent, version: 'v2alpha1' });
  org = sim.data.organizations[0]!.id;
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.resetLog();
});

describe('ScalewayBillingClient', () => {
  it('sends the v2beta1 invoice parameters as Scaleway spells them', async () => {
    await client.listInvoices(
      { organizationId: org, startedAfter: '2025-01-01T00:00:00.000Z', startedBefore: '2026-01-01T00:00:00.000Z', type: 'purchase', orderBy: 'total_taxed_asc' },
      { page: 2, pageSize: 100 },
    );
    const [call] = sim.log;
    expect(call!.path).toBe('/billing/v2beta1/invoices');
    expect(Object.fromEntries(call!.query)).toEqual({
      organization_id: org,
      billing_period_start_after: '2025-01-01T00:00:00.000Z',
      billing_period_start_before: '2026-01-01T00:00:00.000Z',
      invoice_type: 'purchase',
      order_by: 'total_taxed_asc',
      page: '2',
      page_size: '100',
    });
  });

  it('sends v2alpha1 names for the same query', async () => {
    const page = await alpha.listInvoices({ organizationId: org, startedAfter: '2025-01-01T00:00:00.000Z', orderBy: 'start_date_desc' }, { page: 1, pageSize: 100 });
    expect(page.totalCount).toBeGreaterThan(0);
    expect(sim.log[0]!.path).toBe('/billing/v2alpha1/invoices');
    expect([...sim.log[0]!.query.keys()]).toEqual(['organization_id', 'started_after', 'order_by', 'page', 'page_size']);
  });

  it('reads consumption by organization, never by project (a project filter would not be scoped)', async () => {
    await client.listConsumptions({ organizationId: org, billingPeriod: period, orderBy: 'updated_at_desc' }, { page: 1, pageSize: 100 });
    expect(sim.log[0]!.query.get('organization_id')).toBe(org);
    expect(sim.log[0]!.query.has('project_id')).toBe(false);
  });

  it('emulates paging and filters over v2alpha1 consumption, and refuses other periods without a call', async () => {
    const all = sim.data.consumptions(org, period);
    const page = await alpha.listConsumptions({ organizationId: org, billingPeriod: period, categoryName: 'Compute', orderBy: 'updated_at_desc' }, { page: 1, pageSize: 10 });
    const compute = all.filter((c) => c.categoryName === 'Compute');
    expect(page.totalCount).toBe(compute.length);
    expect(page.rows.map((r) => r.sku)).toEqual(compute.slice(0, 10).map((c) => c.sku));
    expect(sim.log[0]!.path).toBe('/billing/v2alpha1/consumption');
    sim.resetLog();
    await expect(alpha.listConsumptions({ organizationId: org, billingPeriod: '2020-01', orderBy: 'updated_at_desc' }, { page: 1, pageSize: 10 })).rejects.toThrow(/current billing period/);
    await expect(alpha.listInvoices({ organizationId: org, type: 'credit_note', orderBy: 'start_date_desc' }, { page: 1, pageSize: 10 })).rejects.toThrow(/credit notes/);
    expect(sim.log).toHaveLength(0);
  });

  it('maps v2alpha1 discount filter types', async () => {
    const page = await alpha.listDiscounts({ organizationId: org, orderBy: 'creation_date_asc' }, { page: 1, pageSize: 100 });
    const types = new Set(page.rows.flatMap((d) => d.filters.map((f) => f.type)));
    expect([...types].some((t) => ['product', 'product_category', 'product_offer', 'product_reference'].includes(t))).toBe(true);
    expect(types.has('category_name')).toBe(false);
  });

  it('sends X-Auth-Token, and maps a refused key to UPSTREAM_UNAUTHENTICATED', async () => {
    const wrong = new ScalewayBillingClient({ apiUrl: sim.url, secretKey: 'wrong', dispatcher: agent, version: 'v2beta1' });
    const error = await failure(wrong.listDiscounts({ organizationId: org, orderBy: 'creation_date_desc' }, { page: 1, pageSize: 10 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAUTHENTICATED', status: 401, type: 'denied_authentication', upstream: 'scaleway' });
    expect(error.message).not.toContain('wrong');
  });

  it.each([
    ['permissions_denied', 403, '{"type":"permissions_denied","message":"insufficient permissions","details":[{"resource":"billing","action":"read"}]}', {}, 'UPSTREAM_FORBIDDEN'],
    ['not_found', 404, '{"type":"not_found","message":"resource is not found","resource":"invoice","resource_id":"x"}', {}, 'UPSTREAM_NOT_FOUND'],
    ['invalid_arguments', 400, '{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"page_size","reason":"constraint","help_message":"must be lower or equal to 100"}]}', {}, 'UPSTREAM_BAD_REQUEST'],
    ['a bare 429 (as observed live)', 429, '', { 'x-envoy-ratelimited': 'true' }, 'UPSTREAM_RATE_LIMITED'],
    ['429 with Retry-After', 429, '', { 'retry-after': '7' }, 'UPSTREAM_RATE_LIMITED'],
    ['an HTML 502 from a proxy', 502, '<html>bad gateway</html>', { 'content-type': 'text/html' }, 'UPSTREAM_UNAVAILABLE'],
    ['internal_error', 500, '{"type":"internal_error","message":"internal error"}', {}, 'UPSTREAM_UNAVAILABLE'],
    ['a gateway timeout', 504, '', {}, 'UPSTREAM_TIMEOUT'],
  ])('maps %s to a typed error', async (_name, status, body, headers, code) => {
    sim.inject({ status, body, headers: { 'content-type': 'application/json', ...headers }, times: 1 });
    const error = await failure(client.listDiscounts({ organizationId: org, orderBy: 'creation_date_desc' }, { page: 1, pageSize: 10 }));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    if ('retry-after' in headers) expect(error.retryAfter).toBe(7);
  });

  it('maps malformed JSON and a schema-violating row to UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ malformed: true, times: 1 });
    expect((await failure(client.listInvoices({ organizationId: org, orderBy: 'start_date_desc' }, { page: 1, pageSize: 10 }))).code).toBe('UPSTREAM_BAD_RESPONSE');
    sim.inject({ status: 200, body: '{"total_count": 1, "invoices": [{"id": "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", "total_taxed": {"currency_code": "EUR", "units": 1, "nanos": -5}}]}', times: 1 });
    const error = await failure(client.listInvoices({ organizationId: org, orderBy: 'start_date_desc' }, { page: 1, pageSize: 10 }));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('$.invoices[0].total_taxed');
  });

  it('maps a dropped connection to UPSTREAM_UNAVAILABLE', async () => {
    sim.inject({ drop: true, times: 1 });
    expect((await failure(client.listDiscounts({ organizationId: org, orderBy: 'creation_date_desc' }, { page: 1, pageSize: 10 }))).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('is refused by the simulator like Scaleway when page_size > 100', async () => {
    const error = await failure(client.listDiscounts({ organizationId: org, orderBy: 'creation_date_desc' }, { page: 1, pageSize: 101 }));
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', status: 400, type: 'invalid_arguments' });
    expect(error.message).toContain('page_size');
  });
});
