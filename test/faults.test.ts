import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Simulator } from '../src/simulator/server.js';
import { startAgainst } from './helpers/process.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from './helpers/secrets.js';
import { useStack } from './helpers/stack.js';

/**
 * The simulator's faults driven through the whole graph: a cut body, a trickling body, a reset
 * connection, endless page tokens, ties reordered by filter, a list reordered between two page
 * reads. For each, a correct answer or a coded error: never a shortened, repeated or reordered
 * list, and the process stays up.
 */
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe.each(['0', '2'])('a fault in an invoice PDF, against the real process (UPSTREAM_RETRIES=%s)', (retries) => {
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
  let base = '';
  let gateway: Awaited<ReturnType<typeof startAgainst>>;
  beforeAll(async () => {
    await sim.listen();
    gateway = await startAgainst(
      { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
      { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, UPSTREAM_RETRIES: retries, UPSTREAM_RETRY_BASE_MS: '5' },
    );
    base = gateway.base;
  });
  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await sim.close();
  });
  beforeEach(() => sim.clearFaults());

  const invoice = () => sim.data.invoices.get(sim.data.organizations[0]!.id)![4]!.id;

  it.each([
    ['cut mid-body', { cutAfterBytes: 200 }],
    ['dropped before answering', { drop: true }],
  ])('ends the response and stays up when the upstream is %s', async (_name, fault) => {
    for (let attempt = 0; attempt < 4; attempt++) {
      // Every attempt fails (retries too): the fault holds until cleared.
      sim.clearFaults();
      sim.inject({ path: `/billing/v2beta1/invoices/${invoice()}/download`, ...fault });
      const res = await request(`${base}/invoices/${invoice()}.pdf`);
      let bytes = 0;
      let cut = false;
      try {
        for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      } catch {
        cut = true;
      }
      // A cut body (the client sees it end early) or, when nothing was sent yet, a coded 502.
      if (res.statusCode === 200) expect(cut || bytes <= 200).toBe(true);
      else expect(res.statusCode).toBe(502);
      expect(gateway.child.exitCode).toBeNull();
    }
    sim.clearFaults();
    expect((await request(`${base}/health`)).statusCode).toBe(200);
    const whole = await request(`${base}/invoices/${invoice()}.pdf`);
    expect(whole.statusCode).toBe(200);
    expect(Buffer.from(await whole.body.arrayBuffer()).toString('latin1')).toContain('%%EOF');
  });
});

describe('faults through the graph', () => {
  const stack = useStack({ finopsPageSize: 50, callTimeoutMs: 1_500, concurrency: 1, now: new Date('2026-11-15T12:00:00Z') });
  const WINDOW = { startDateAfter: '2026-08-01T00:00:00Z', endDateBefore: '2026-08-20T00:00:00Z' };
  const CHARGES = `query($f: ChargeFilter!, $first: Int) { organization { charges(first: $first, filter: $f) { edges { node { resourceId startDate } } pageInfo { hasNextPage } } } }`;

  it('fails a trickling body at the call’s time limit (the idle timer never trips), and frees the connection', async () => {
    // 100 bytes every 300 ms: never idle for long, never done soon.
    stack.sim.inject({ path: '/billing/v2beta1/invoices', trickle: { bytes: 100, everyMs: 300 }, times: 1 });
    const slow = stack.query(`{ organization { invoices(first: 100) { edges { node { invoiceId } } } } }`);
    // One connection to Scaleway: this waits for the trickle to be given up, then answers.
    const other = stack.query(`{ organization { discounts(first: 2) { totalCount } } }`);
    const [s, o] = await Promise.all([slow, other]);
    expect(codes(s)).toEqual(['UPSTREAM_TIMEOUT']);
    expect(s.errors![0]!.message).toMatch(/UPSTREAM_CALL_TIMEOUT_MS/);
    expect(o.errors).toBeUndefined();
    expect(o.data.organization.discounts.totalCount).toBe(34);
  });

  it('maps a reset connection to UPSTREAM_UNAVAILABLE, and a JSON body cut mid-way too', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/discounts', drop: true, times: 1 });
    expect(codes(await stack.query(`{ organization { discounts(first: 2) { totalCount } } }`))).toEqual(['UPSTREAM_UNAVAILABLE']);
    stack.sim.inject({ path: '/billing/v2beta1/discounts', cutAfterBytes: 100, times: 1 });
    expect(codes(await stack.query(`{ organization { discounts(first: 2) { totalCount } } }`))).toEqual(['UPSTREAM_UNAVAILABLE']);
  });

  it('never resumes a JSON body cut mid-way with a range request when retries are on: it fails UPSTREAM_UNAVAILABLE', async () => {
    // undici's retry would ask for `range: bytes=N-` and stitch two answers together where an
    // upstream (or a proxy) answers 206: an answer is read whole from one response, or not at all.
    const retrying = await import('./helpers/stack.js').then((m) => m.startStack({ retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 10, retryAfterCapMs: 100 } }));
    try {
      retrying.sim.inject({ path: '/billing/v2beta1/invoices', cutAfterBytes: 100, times: 1 });
      const r = await retrying.query(`{ organization { invoices(first: 5) { totalCount } } }`);
      expect(codes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
      const calls = retrying.sim.calls('/billing/v2beta1/invoices');
      expect(calls.map((c) => c.headers.range)).toEqual([undefined]);
      // A failure before the answer began is retried, as before.
      retrying.sim.inject({ path: '/billing/v2beta1/invoices', drop: true, times: 1 });
      expect((await retrying.query(`{ organization { invoices(first: 5) { totalCount } } }`)).errors).toBeUndefined();
    } finally {
      await retrying.close();
    }
  });

  it('stops following an upstream that answers empty pages with a fresh token forever', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/charges', endlessTokens: true });
    const r = await stack.query(CHARGES, { f: WINDOW, first: 10 });
    expect(new Set(codes(r))).toEqual(new Set(['UPSTREAM_BAD_RESPONSE']));
    expect(r.errors![0]!.message).toMatch(/MAX_EMPTY_TOKEN_PAGES/);
    // The first page and 5 more empty ones in a row (MAX_EMPTY_TOKEN_PAGES), then no more.
    expect(stack.sim.calls('/billing/v2beta1/charges')).toHaveLength(6);
  });

  it('stops a walk at MAX_TOKEN_PAGES, whatever the pages hold', async () => {
    const tight = await import('./helpers/stack.js').then((m) => m.startStack({ finopsPageSize: 1, tokenPageLimits: { pages: 5, emptyPages: 5 }, now: new Date('2026-11-15T12:00:00Z') }));
    try {
      const r = await tight.query(CHARGES, { f: WINDOW, first: 20 });
      expect(new Set(codes(r))).toEqual(new Set(['UPSTREAM_BAD_RESPONSE']));
      expect(r.errors![0]!.message).toMatch(/MAX_TOKEN_PAGES/);
      expect(tight.sim.calls('/billing/v2beta1/charges')).toHaveLength(5);
    } finally {
      await tight.close();
    }
  });

  it('fails a read whose list was reordered between two of its pages (the same total, a row twice)', async () => {
    // Page 2 read after the list moved down a row: its first row is page 1's last.
    stack.sim.inject({ path: '/billing/v2beta1/invoices', query: { page: '2' }, rotate: -1, times: 1 });
    const r = await stack.query(`{ organization { invoices(first: 150) { edges { node { invoiceId } } } } }`);
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(r.errors![0]!.message).toMatch(/reordered/);
    stack.sim.inject({ path: '/api/iacp/v3/usage-statistics', query: { 'page[number]': '2' }, rotate: -3, times: 1 });
    const usage = await stack.query(`{ scalrAccount { usageStatistics(from: "2026-08-01T00:00:00Z", to: "2026-10-01T00:00:00Z", first: 30, breakdownBy: WORKSPACE) { edges { node { date breakdownId } } } } }`);
    expect(codes(usage)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    // Without the fault, the same reads answer whole.
    const fine = await stack.query(`{ organization { invoices(first: 150) { edges { node { invoiceId } } } } }`);
    expect(fine.data.organization.invoices.edges).toHaveLength(150);
    expect(new Set(fine.data.organization.invoices.edges.map((e: any) => e.node.invoiceId)).size).toBe(150);
  });

  it('serves every charge once, in start order, when ties come in another order per filter', async () => {
    stack.sim.switches.tiesByFilter = true;
    try {
      const all: string[] = [];
      let after: string | null = null;
      for (;;) {
        const r: any = await stack.query(
          `query($f: ChargeFilter!, $after: String) { organization { charges(first: 37, after: $after, filter: $f) { edges { node { resourceId sku startDate endDate } } pageInfo { hasNextPage endCursor } } } }`,
          { f: WINDOW, after },
        );
        expect(r.errors).toBeUndefined();
        all.push(...r.data.organization.charges.edges.map((e: any) => `${e.node.startDate}|${e.node.resourceId}|${e.node.sku}|${e.node.endDate}`));
        if (!r.data.organization.charges.pageInfo.hasNextPage) break;
        after = r.data.organization.charges.pageInfo.endCursor;
      }
      const want = stack.sim.data.charges
        .get(stack.orgs[0]!)!
        .filter((c) => c.startDate >= WINDOW.startDateAfter && Date.parse(c.endDate) < Date.parse(WINDOW.endDateBefore))
        .map((c) => `${c.startDate}|${c.resourceId}|${c.sku}|${c.endDate}`);
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual([...want].sort());
      expect(all.map((k) => k.split('|')[0])).toEqual(all.map((k) => k.split('|')[0]).sort());
    } finally {
      stack.sim.switches.tiesByFilter = false;
    }
  });
});
