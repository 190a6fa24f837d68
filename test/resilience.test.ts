import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/** Upstream faults injected through the simulator: bounded retries, timeouts, rate limits, bad bodies. */
const RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 1_500 };
const stack = useStack({ retry: RETRY, timeouts: { connect: 1_000, headers: 400, body: 400 } });
const INVOICES = /^\/billing\/v2beta1\/invoices$/;
const Q = `{ a: organization { invoices(first: 5) { totalCount } } b: scalrAccount { accountId } }`;

describe('upstream faults', () => {
  it('maps latency past the headers timeout to UPSTREAM_TIMEOUT, without retrying it, and the other root field answers', async () => {
    // undici's timers are coarse (about half a second): the latency is well past the 400 ms limit.
    stack.sim.inject({ path: INVOICES, latencyMs: 2_500, times: 1 });
    const r = await stack.query(Q);
    expect(r.data.a).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', upstream: 'scaleway' });
    expect(r.data.b.accountId).toMatch(/^acc-/);
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
  });

  it.each([
    ['a 503', { status: 503, body: '' }],
    ['a 502 proxy page', { status: 502, body: '<html>bad gateway</html>' }],
    ['an internal_error', { status: 500, body: '{"type":"internal_error","message":"oops"}' }],
    ['a dropped connection', { drop: true }],
    ['a bare 429 (no Retry-After, as Scaleway sends them)', { status: 429, body: '', headers: { 'x-envoy-ratelimited': 'true' } }],
    ['a 429 with Retry-After under the cap', { status: 429, body: '', headers: { 'retry-after': '1' } }],
  ])('retries %s and answers', async (_name, fault) => {
    stack.sim.inject({ path: INVOICES, ...fault, times: 2 });
    const r = await stack.query(Q);
    expect(r.errors).toBeUndefined();
    expect(r.data.a.invoices.totalCount).toBe(540);
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(3);
  });

  it('gives up after the bounded retries with a typed error', async () => {
    stack.sim.inject({ path: INVOICES, status: 503, body: '' });
    const r = await stack.query(Q);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1 + RETRY.retries);
  });

  it('fails at once as rate limited when Retry-After is beyond the cap, saying when to retry', async () => {
    stack.sim.inject({ path: INVOICES, status: 429, body: '', headers: { 'retry-after': '120' } });
    const r = await stack.query(Q);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', status: 429, retryAfter: 120 });
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
  });

  it('does not retry what a retry cannot fix (a 400, a 404, a malformed body)', async () => {
    for (const fault of [
      { status: 400, body: '{"type":"invalid_arguments","message":"invalid argument(s)"}' },
      { status: 404, body: '{"type":"not_found","message":"resource is not found"}' },
      { malformed: true },
    ]) {
      stack.sim.resetLog();
      stack.sim.inject({ path: INVOICES, ...fault, times: 1 });
      const r = await stack.query(Q);
      expect(r.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_(BAD_REQUEST|NOT_FOUND|BAD_RESPONSE)$/);
      expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
    }
  });

  it('answers a schema-violating row with UPSTREAM_BAD_RESPONSE, never half a row', async () => {
    stack.sim.inject({ path: INVOICES, status: 200, headers: { 'content-type': 'application/json' }, body: '{"total_count": 1, "invoices": [{"id": "x", "number": "twelve"}]}', times: 1 });
    const r = await stack.query(`{ organization { invoices(first: 5) { edges { node { invoiceId } } } } }`);
    expect(r.data.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('fails the whole connection when a later page keeps failing: no shortened list, no partial total', async () => {
    stack.sim.inject({ path: INVOICES, query: { page: '3' }, status: 503, body: '' });
    const r = await stack.query(`{ a: organization { invoices(first: 300) { edges { node { invoiceId } } } } b: organization { consumptions(first: 1) { totals { amount } } } }`);
    expect(r.data.a).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(r.data.b.consumptions.totals).toHaveLength(1);
  });

  it('answers in its own words, never the upstream’s (which may echo a credential, or the request)', async () => {
    const { SECRET } = await import('./helpers/secrets.js');
    stack.sim.inject({ path: INVOICES, status: 400, body: JSON.stringify({ type: 'invalid_arguments', message: `key ${SECRET} is not allowed here` }), times: 1 });
    const r = await stack.query(Q);
    expect(r.errors?.[0]?.message).toBe('Scaleway answered 400 invalid_arguments');
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST', upstreamType: 'invalid_arguments' });
    expect(JSON.stringify(r)).not.toContain('not allowed');
  });
});

describe('upstream protection', () => {
  const capped = useStack({ concurrency: 4, latencyMs: 20 });

  it('keeps at most 4 Scaleway calls in flight under 50 concurrent gateway requests', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        capped.query(`query($id: UUID) { organization(id: $id) { invoices(first: 250) { edges { node { invoiceId } } } } }`, { id: capped.orgs[i % 2] }),
      ),
    );
    expect(results.every((r) => r.errors === undefined && r.data.organization.invoices.edges.length === 250)).toBe(true);
    expect(capped.sim.log.length).toBeGreaterThanOrEqual(6);
    expect(capped.sim.peakInFlight).toBe(4);
  });
});
