import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/simulator/server.js';
import { startAgainst } from './helpers/process.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from './helpers/secrets.js';
import { useStack } from './helpers/stack.js';

/**
 * Every request is bounded and cancellable: a deadline and the client's disconnect abort its queued
 * and in-flight upstream calls through one signal; a retry's wait holds no connection; PDFs have
 * their own pool; the calls waiting for an upstream are bounded (UPSTREAM_BUSY, HTTP 503).
 */
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const until = async (check: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
};

describe('a request’s deadline', () => {
  const stack = useStack({ requestTimeoutMs: 800, concurrency: 2 });

  it('fails what is still running at REQUEST_TIMEOUT_MS and aborts its upstream calls, queued ones too', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/invoices', latencyMs: 5_000 });
    const started = Date.now();
    // Five organizations' invoices on 2 connections: 2 calls in flight, 3 waiting for a connection.
    const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 1) { totalCount } } }`, { ids: stack.orgs });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(new Set(codes(r))).toEqual(new Set(['REQUEST_TIMEOUT']));
    // The calls in flight were aborted (the simulator saw their connections go); the waiting ones never left.
    expect(await until(() => stack.sim.inFlight === 0, 1_000)).toBe(true);
    expect(stack.sim.calls('/billing/v2beta1/invoices').length).toBeLessThanOrEqual(2);
  });
});

describe('a retry’s wait', () => {
  const stack = useStack({ concurrency: 1, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20, retryAfterCapMs: 2_000 } });

  it('holds no connection: another call goes first on the one connection', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/invoices', status: 503, headers: { 'retry-after': '1' }, body: '', times: 1 });
    const slow = stack.query(`{ organization { invoices(first: 1) { totalCount } } }`);
    await until(() => stack.sim.calls('/billing/v2beta1/invoices').length === 1, 1_000);
    const other = await stack.query(`{ organization { discounts(first: 1) { totalCount } } }`);
    expect(other.errors).toBeUndefined();
    expect((await slow).errors).toBeUndefined();
    // The discount call ran during the invoice call's one-second wait, before its retry.
    expect(stack.sim.log.map((c) => c.path)).toEqual(['/billing/v2beta1/invoices', '/billing/v2beta1/discounts', '/billing/v2beta1/invoices']);
  });
});

describe('the waiting bound', () => {
  const stack = useStack({ concurrency: 1, queue: 2, latencyMs: 300 });

  it('refuses calls past it at once with UPSTREAM_BUSY, HTTP 503 and Retry-After', async () => {
    const send = async (i: number) => {
      const body = JSON.stringify({ query: `query($id: UUID) { organization(id: $id) { invoices(first: 1, orderBy: ${i % 2 ? 'DUE_DATE_ASC' : 'DUE_DATE_DESC'}) { totalCount } } }`, variables: { id: stack.orgs[i % 5] } });
      const res = await stack.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
    };
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i)));
    const busy = results.filter((r) => r.status === 503);
    // One in flight and two waiting: the other three are refused.
    expect(busy).toHaveLength(3);
    for (const r of busy) {
      expect(r.retryAfter).toBe('1');
      expect(codes(r.body)).toEqual(['UPSTREAM_BUSY']);
    }
    expect(results.filter((r) => r.status === 200 && !r.body.errors)).toHaveLength(3);
    expect(stack.sim.peakInFlight).toBe(1);
  });
});

describe('invoice PDFs', () => {
  const stack = useStack({ concurrency: 1, pdfConcurrency: 1 });

  it('download on a pool of their own: a slow file holds no connection the graph needs', async () => {
    const invoice = stack.sim.data.invoices.get(stack.orgs[0]!)![2]!.id;
    stack.sim.inject({ path: `/billing/v2beta1/invoices/${invoice}/download`, trickle: { bytes: 64, everyMs: 100 }, times: 1 });
    const res = await stack.yoga.fetch(`http://gateway.test/invoices/${invoice}.pdf`);
    expect(res.status).toBe(200);
    let finished = false;
    const file = res.arrayBuffer().then((b) => {
      finished = true;
      return b;
    });
    // The graph's one Scaleway connection is free: a query answers while the file still trickles.
    const r = await stack.query(`{ organization { invoices(first: 2) { totalCount } } }`);
    expect(r.errors).toBeUndefined();
    expect(finished).toBe(false);
    expect(Buffer.from(await file).toString('latin1')).toContain('%%EOF');
  });
});

describe('clients that go, against the real process', () => {
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN, latencyMs: 10_000 });
  let gateway: Awaited<ReturnType<typeof startAgainst>>;
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8'))![1]) / 1024;
  beforeAll(async () => {
    await sim.listen();
    gateway = await startAgainst(
      { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
      { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, SCALEWAY_MAX_CONCURRENCY: '64', UPSTREAM_MAX_QUEUE: '1000' },
    );
  });
  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await sim.close();
  });

  it('aborts the upstream calls of 200 requests whose clients went: in flight drops to 0 within a second', async () => {
    // Warm up, then the baseline.
    await fetch(`${gateway.base}/health`);
    const startRss = rssMb();
    const agent = new Agent({ connections: 250 });
    const controllers = Array.from({ length: 200 }, () => new AbortController());
    const pending = controllers.map((c, i) =>
      request(`${gateway.base}/graphql`, {
        dispatcher: agent,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // Each its own list (a distinct window): no request waits on another's call (single flight).
        body: JSON.stringify({
          query: `query($id: UUID, $after: DateTime) { organization(id: $id) { invoices(first: 250, orderBy: ${i % 2 ? 'DUE_DATE_ASC' : 'START_DATE_ASC'}, startedAfter: $after) { totalCount } } }`,
          variables: { id: sim.data.organizations[i % 3]!.id, after: new Date(Date.UTC(2000, 0, 1) + i * 1000).toISOString() },
        }),
        signal: c.signal,
      }).catch(() => undefined),
    );
    // Every request has its calls out (64 in flight, the rest waiting for a connection).
    expect(await until(() => sim.inFlight >= 64, 10_000)).toBe(true);
    const peakRss = rssMb();
    for (const c of controllers) c.abort();
    await Promise.all(pending);
    const gone = Date.now();
    expect(await until(() => sim.inFlight === 0, 1_000)).toBe(true);
    const drained = Date.now() - gone;
    // A connection freed by one aborted call may start a waiting call of a request whose client's
    // close is not yet processed: it is aborted in turn. A second later nothing of theirs runs.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sim.inFlight).toBe(0);
    expect(sim.log.filter((c) => c.status !== 0)).toEqual([]);
    expect((await fetch(`${gateway.base}/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const endRss = rssMb();
    console.log(`200 clients gone: in-flight upstream calls at 0 after ${drained} ms; gateway RSS ${startRss.toFixed(0)} MB at start, ${peakRss.toFixed(0)} MB under load, ${endRss.toFixed(0)} MB after`);
    expect(endRss).toBeLessThan(startRss * 1.5 + 50);
    await agent.close();
  }, 60_000);
});
