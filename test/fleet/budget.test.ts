import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalLimiter } from '../../src/fleet/limiter.js';
import { Simulator } from '../../src/simulator/server.js';
import { startAgainst } from '../helpers/process.js';
import { type RedisProcess, redisServerPath, startRedis } from '../helpers/redis.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from '../helpers/secrets.js';
import { startStack } from '../helpers/stack.js';

/**
 * The upstream budget per credential: calls a second (SCALEWAY_MAX_RPS), calls in flight
 * (SCALEWAY_MAX_CONCURRENCY) and 429 pauses — per process, and shared by every replica through a
 * real redis-server. The simulator records when each call arrived and its peak concurrency.
 */
/** Invoice lists of every organization in 7 orders: 35 distinct first pages, all asked at once. */
const MANY = `{ organizations(ids: $ids) { ${['START_DATE', 'ISSUED_DATE', 'DUE_DATE', 'INVOICE_NUMBER', 'TOTAL_UNTAXED', 'TOTAL_TAXED', 'INVOICE_TYPE'].map((o, i) => `o${i}: invoices(first: 1, orderBy: ${o}_ASC) { totalCount }`).join(' ')} } }`;
const spanMs = (calls: { at: number }[]) => Math.max(...calls.map((c) => c.at)) - Math.min(...calls.map((c) => c.at));

describe('in one process', () => {
  it('starts no more calls a second than the rate cap (a bucket of one second’s calls)', async () => {
    const stack = await startStack({ limiter: new LocalLimiter(() => ({ concurrency: 1000, rps: 20 })) });
    try {
      const r = await stack.query(`query($ids: [UUID!]!) ${MANY}`, { ids: stack.orgs });
      expect(r.errors).toBeUndefined();
      expect(stack.sim.log).toHaveLength(35);
      // 20 at once, then 15 more at 20 a second: at least 0.7 s.
      expect(spanMs(stack.sim.log)).toBeGreaterThanOrEqual(650);
      for (const call of stack.sim.log) expect(stack.sim.log.filter((c) => c.at > call.at - 1000 && c.at <= call.at).length).toBeLessThanOrEqual(40);
    } finally {
      await stack.close();
    }
  });

  it('pauses a credential for the Retry-After of a 429 (1 s when there is none)', async () => {
    const stack = await startStack({ limiter: new LocalLimiter(() => ({ concurrency: 1000, rps: 0 })) });
    try {
      stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"type":"too_many_requests","message":"slow down"}', times: 1 });
      const limited = await stack.query(`{ organization { discounts(first: 1) { totalCount } } }`);
      expect(limited.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
      const at = Date.now();
      expect((await stack.query(`{ organization { invoices(first: 1) { totalCount } } }`)).errors).toBeUndefined();
      expect(Date.now() - at).toBeGreaterThanOrEqual(900);
      stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 429, headers: { 'content-type': 'application/json' }, body: '{"type":"too_many_requests","message":"slow down"}', times: 1 });
      await stack.query(`{ organization { discounts(first: 1) { totalCount } } }`);
      const bare = Date.now();
      await stack.query(`{ organization { invoices(first: 2) { totalCount } } }`);
      expect(Date.now() - bare).toBeGreaterThanOrEqual(900);
    } finally {
      await stack.close();
    }
  });
});

const available = redisServerPath() !== undefined || process.env.REQUIRE_REDIS === '1';

describe.runIf(available)('two gateway processes on one Redis', () => {
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN, latencyMs: 100 });
  let redis: RedisProcess;
  const started: Awaited<ReturnType<typeof startAgainst>>[] = [];
  const upstream = () => ({ url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) });
  const pair = async (env: Record<string, string>) => {
    const two = await Promise.all([startAgainst(upstream(), { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, ...env }), startAgainst(upstream(), { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, ...env })]);
    started.push(...two);
    return two;
  };
  const query = async (base: string, text: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: text, variables }) });
    return (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  };
  beforeAll(async () => {
    await sim.listen();
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const g of started) g.child.kill('SIGKILL');
    await redis?.stop();
    await sim.close();
  });
  beforeEach(() => sim.resetLog());

  it('keeps their calls in flight together within SCALEWAY_MAX_CONCURRENCY (each alone would reach it)', async () => {
    const ids = sim.data.organizations.map((o) => o.id);
    // Without Redis, each process has its own cap of 3: together they reach 6.
    const [a, b] = await pair({ SCALEWAY_MAX_CONCURRENCY: '3' });
    await Promise.all([query(a.base, `query($ids: [UUID!]!) ${MANY}`, { ids }), query(b.base, `query($ids: [UUID!]!) ${MANY}`, { ids })]);
    expect(sim.peakInFlight).toBeGreaterThan(3);
    sim.resetLog();
    const [c, d] = await pair({ SCALEWAY_MAX_CONCURRENCY: '3', REDIS_URL: redis.url });
    const results = await Promise.all([query(c.base, `query($ids: [UUID!]!) ${MANY}`, { ids }), query(d.base, `query($ids: [UUID!]!) ${MANY}`, { ids })]);
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(sim.log).toHaveLength(70);
    expect(sim.peakInFlight).toBeLessThanOrEqual(3);
  }, 60_000);

  it('shares SCALEWAY_MAX_RPS, and a 429’s pause, across the replicas', async () => {
    const ids = sim.data.organizations.map((o) => o.id);
    const [a, b] = await pair({ SCALEWAY_MAX_RPS: '20', SCALEWAY_MAX_CONCURRENCY: '100', REDIS_URL: redis.url });
    await Promise.all([query(a.base, `query($ids: [UUID!]!) ${MANY}`, { ids }), query(b.base, `query($ids: [UUID!]!) ${MANY}`, { ids })]);
    expect(sim.log).toHaveLength(70);
    // 20 at once, then 50 more at 20 a second, whichever replica asks: at least 2.5 s.
    expect(spanMs(sim.log)).toBeGreaterThanOrEqual(2_400);
    sim.resetLog();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    sim.inject({ path: '/billing/v2beta1/discounts', status: 429, headers: { 'content-type': 'application/json', 'retry-after': '2' }, body: '{"type":"too_many_requests","message":"slow down"}', times: 1 });
    expect((await query(a.base, `{ organization { discounts(first: 3) { totalCount } } }`)).errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
    const at = Date.now();
    expect((await query(b.base, `{ organization { discounts(first: 4) { totalCount } } }`)).errors).toBeUndefined();
    expect(Date.now() - at).toBeGreaterThanOrEqual(1_700);
  }, 60_000);

  it('pauses the credential fleet-wide on a 429 that the replica retries itself (UPSTREAM_RETRIES)', async () => {
    const [a, b] = await pair({ REDIS_URL: redis.url, UPSTREAM_RETRIES: '2', UPSTREAM_RETRY_AFTER_CAP_MS: '5000' });
    sim.inject({ path: '/billing/v2beta1/discounts', status: 429, headers: { 'content-type': 'application/json', 'retry-after': '2' }, body: '{"type":"too_many_requests","message":"slow down"}', times: 1 });
    const first = query(a.base, `{ organization { discounts(first: 6) { totalCount } } }`);
    const until = Date.now() + 5_000;
    while (!sim.log.some((c) => c.status === 429) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    const at = Date.now();
    expect((await query(b.base, `{ organization { invoices(first: 6) { totalCount } } }`)).errors).toBeUndefined();
    expect(Date.now() - at).toBeGreaterThanOrEqual(1_500);
    // The replica that met it retried after the pause, and answered.
    expect((await first).errors).toBeUndefined();
  }, 60_000);
});
