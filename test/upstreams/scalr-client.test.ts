import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/server.js';
import { scalrBaseUrl } from '../../src/config/upstreams.js';
import { ScalrClient } from '../../src/upstreams/scalr/client.js';
import type { UsageQuery } from '../../src/upstreams/scalr/model.js';
import { failure } from '../helpers/failure.js';
import { SCALR_TOKEN, SECRET } from '../helpers/stack.js';

/** The Scalr client against the simulator: JSON:API in, typed rows and errors out. */
let sim: Simulator;
let agent: Agent;
let client: ScalrClient;
let account: string;
let query: UsageQuery;

beforeAll(async () => {
  sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
  const url = await sim.listen();
  agent = new Agent();
  account = sim.data.scalrAccounts[0]!.id;
  const to = new Date(Date.UTC(sim.data.now.getUTCFullYear(), sim.data.now.getUTCMonth(), 1));
  query = { accountId: account, from: new Date(to.getTime() - 30 * 86_400_000).toISOString().replace('.000Z', 'Z'), to: to.toISOString().replace('.000Z', 'Z'), total: false };
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});
beforeEach(() => {
  // A client per request in the gateway (it remembers lists read whole): a fresh one per test here.
  client = new ScalrClient({ baseUrl: `${sim.url}/api/iacp/v3`, token: SCALR_TOKEN, dispatcher: agent, preferProfile: 'preview' });
  sim.clearFaults();
  sim.resetLog();
});

const row = (date: string, runs: number) => ({
  type: 'usage-statistics',
  id: 'x'.repeat(64),
  attributes: { date, 'breakdown-id': null, 'breakdown-name': null, 'runs-count': runs, 'runs-seconds': runs * 10 },
  relationships: { account: { data: { type: 'accounts', id: account } } },
});

describe('scalrBaseUrl', () => {
  it.each([
    ['acme.scalr.io', 'https://acme.scalr.io/api/iacp/v3'],
    ['acme.scalr.io/', 'https://acme.scalr.io/api/iacp/v3'],
    ['http://127.0.0.1:9999', 'http://127.0.0.1:9999/api/iacp/v3'],
    ['https://proxy.example.com/scalr/api/iacp/v3/', 'https://proxy.example.com/scalr/api/iacp/v3'],
  ])('turns %s into %s', (host, base) => expect(scalrBaseUrl(host)).toBe(base));
});

describe('ScalrClient', () => {
  it('sends the documented parameters and headers', async () => {
    const page = await client.listUsageStatistics({ ...query, breakdownBy: 'workspace', total: true }, 2, 20);
    expect(page.totalCount).toBeGreaterThan(0);
    const [call] = sim.log;
    expect(call!.path).toBe('/api/iacp/v3/usage-statistics');
    expect(Object.fromEntries(call!.query)).toEqual({
      'filter[date]': `between:${query.from},${query.to}`,
      'filter[account]': account,
      breakdown_by: 'workspace',
      total: 'true',
      'page[number]': '2',
      'page[size]': '20',
    });
    expect(call!.headers).toMatchObject({ authorization: `Bearer ${SCALR_TOKEN}`, accept: 'application/vnd.api+json', prefer: 'profile=preview' });
  });

  it('sends no Prefer header when the profile is turned off', async () => {
    const plain = new ScalrClient({ baseUrl: `${sim.url}/api/iacp/v3`, token: SCALR_TOKEN, dispatcher: agent });
    await plain.listUsageStatistics(query, 1, 20);
    expect(sim.log[0]!.headers.prefer).toBeUndefined();
  });

  it('asks again without filter[account] when the server refuses it', async () => {
    sim.inject({
      path: '/api/iacp/v3/usage-statistics',
      query: { 'filter[account]': account },
      status: 422,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ errors: [{ status: '422', title: 'Invalid Filter', detail: 'filter[account] is only for Control Tower accounts', source: { parameter: 'filter[account]' } }] }),
      times: 1,
    });
    const page = await client.listUsageStatistics(query, 1, 20);
    expect(page.totalCount).toBeGreaterThan(0);
    expect(sim.log.map((c) => c.query.has('filter[account]'))).toEqual([true, false]);
  });

  it('follows links.next when a document carries no pagination, on its own host only', async () => {
    sim.inject({
      path: '/api/iacp/v3/usage-statistics',
      query: { 'page[number]': '1' },
      status: 200,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: [row('2026-01-01', 1), row('2026-01-02', 2)], links: { next: 'https://elsewhere.example/api/iacp/v3/usage-statistics?cursor=b' } }),
      times: 1,
    });
    sim.inject({
      path: '/api/iacp/v3/usage-statistics',
      query: { cursor: 'b' },
      status: 200,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: [row('2026-01-03', 3)], links: { next: null } }),
      times: 1,
    });
    const page = await client.listUsageStatistics(query, 1, 2);
    expect(page).toEqual({ totalCount: 3, rows: [expect.objectContaining({ date: '2026-01-01', runsCount: 1 }), expect.objectContaining({ date: '2026-01-02', runsCount: 2 })] });
    expect(sim.log.map((c) => c.query.get('cursor'))).toEqual([null, 'b']);
    expect(sim.log[1]!.headers.authorization).toBe(`Bearer ${SCALR_TOKEN}`);
  });

  it.each([
    ['a refused token', 401, { errors: [{ status: '401', title: 'Unauthorized', detail: 'Invalid token' }] }, 'UPSTREAM_UNAUTHENTICATED'],
    ['a missing accounts:billing permission', 403, { errors: [{ status: '403', title: 'Forbidden', detail: 'User unauthorized to perform the action' }] }, 'UPSTREAM_FORBIDDEN'],
    ['an account not visible', 404, { errors: [{ status: '404', title: 'Not Found', detail: "Account with ID 'acc-x' not found or user unauthorized." }] }, 'UPSTREAM_NOT_FOUND'],
    ['a validation error', 422, { errors: [{ status: '422', title: 'Invalid Filter', detail: 'bad', source: { parameter: 'filter[date]' } }] }, 'UPSTREAM_BAD_REQUEST'],
    ['rate limiting', 429, { errors: [{ status: '429', title: 'Too Many Requests' }] }, 'UPSTREAM_RATE_LIMITED'],
    ['a server error', 500, { errors: [{ status: '500', title: 'Internal Server Error' }] }, 'UPSTREAM_UNAVAILABLE'],
    ['a proxy page', 502, '<html>Bad Gateway</html>', 'UPSTREAM_UNAVAILABLE'],
  ])('maps %s (HTTP %i) to %s', async (_name, status, body, code) => {
    sim.inject({ path: '/api/iacp/v3/', status, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'retry-after': '3' }, times: 1 });
    const error = await failure(client.listUsageStatistics(query, 1, 20));
    expect(error).toMatchObject({ code, status, upstream: 'scalr' });
    if (status === 429) expect(error.retryAfter).toBe(3);
    if (typeof body !== 'string') expect(error.message).toContain(body.errors[0]!.title);
  });

  it('maps a wrong token from the simulator itself to UPSTREAM_UNAUTHENTICATED', async () => {
    const wrong = new ScalrClient({ baseUrl: `${sim.url}/api/iacp/v3`, token: 'nope', dispatcher: agent });
    expect((await failure(wrong.listUsageStatistics(query, 1, 20))).code).toBe('UPSTREAM_UNAUTHENTICATED');
  });

  it('maps malformed JSON and a row of the wrong type to UPSTREAM_BAD_RESPONSE', async () => {
    sim.inject({ path: '/api/iacp/v3/', malformed: true, times: 1 });
    expect((await failure(client.listUsageStatistics(query, 1, 20))).code).toBe('UPSTREAM_BAD_RESPONSE');
    sim.inject({ path: '/api/iacp/v3/', status: 200, body: JSON.stringify({ data: [{ ...row('2026-01-01', 1), type: 'runs' }], meta: { pagination: { 'total-count': 1 } } }), times: 1 });
    const error = await failure(client.listUsageStatistics(query, 1, 20));
    expect(error.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('$.data[0].type');
  });

  it('gets an account, and maps an unknown one to UPSTREAM_NOT_FOUND', async () => {
    expect(await client.getAccount(account)).toEqual({ id: account, name: 'acme-iac' });
    expect((await failure(client.getAccount('acc-doesnotexist00'))).code).toBe('UPSTREAM_NOT_FOUND');
  });
});
