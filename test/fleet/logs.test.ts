import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/server.js';
import { startAgainst } from '../helpers/process.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from '../helpers/secrets.js';

/**
 * The process's log, read as a log pipeline would: one JSON object per line on stdout; one line per
 * request with its id (the caller's X-Request-Id, or a new one, echoed in the answer), its
 * operation names, duration, upstream calls and cache hits.
 */
let sim: Simulator;
let gateway: Awaited<ReturnType<typeof startAgainst>>;
beforeAll(async () => {
  sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
  await sim.listen();
  gateway = await startAgainst(
    { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
    // The cache as deployed.
    { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, CACHE_TTL_OPEN_SECONDS: '300', CACHE_TTL_CLOSED_SECONDS: '86400' },
  );
});
afterAll(async () => {
  gateway.child.kill('SIGKILL');
  await sim.close();
});

const lines = () =>
  gateway
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function post(body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  await res.text();
  return res;
}

async function lineOf(id: string) {
  const until = Date.now() + 5_000;
  for (;;) {
    const line = lines().find((l) => l.requestId === id && l.msg === 'request');
    if (line || Date.now() > until) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the request log', () => {
  it('writes every line as one JSON object', () => {
    const out = gateway.output().split('\n').filter((l) => l.trim() !== '');
    expect(out.length).toBeGreaterThan(2);
    for (const line of out) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('logs a request with the caller’s id, its operation name from the document, upstream calls and cache hits', async () => {
    sim.resetLog();
    const query = 'query Logged { organization { invoices(first: 3) { totalCount } discounts(first: 1) { totalCount } } }';
    const cold = await post({ query }, { 'x-request-id': 'req-cold.1' });
    expect(cold.headers.get('x-request-id')).toBe('req-cold.1');
    const calls = sim.log.length;
    expect(calls).toBeGreaterThanOrEqual(2);
    const first = await lineOf('req-cold.1');
    expect(first).toMatchObject({ level: 'info', method: 'POST', path: '/graphql', status: 200, operations: ['Logged'], upstreamCalls: calls, cacheHits: 0 });
    expect(typeof first!.durationMs).toBe('number');
    expect(Date.parse(String(first!.time))).toBeGreaterThan(0);

    const warm = await post({ query, operationName: 'Logged' }, { 'x-request-id': 'req-warm.1' });
    expect(warm.status).toBe(200);
    expect(sim.log.length).toBe(calls);
    expect(await lineOf('req-warm.1')).toMatchObject({ operations: ['Logged'], upstreamCalls: 0, cacheHits: calls });
  });

  it('names each operation of a batch, and makes an id for a caller’s id that is not one', async () => {
    const res = await post([{ query: 'query A { organization { id } }' }, { query: 'query B { organization { id } }' }], { 'x-request-id': 'bad id\twith "quotes"' });
    const id = res.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await lineOf(id)).toMatchObject({ operations: ['A', 'B'] });
    expect(gateway.output()).not.toContain('bad id');
  });
});
