import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YogaLogger } from 'graphql-yoga';
import { request } from 'undici';
import { sha256 } from '../../src/config/tokens.js';
import { generate } from '../../src/simulator/data.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL } from '../helpers/secrets.js';
import { SECRET, type Stack, startStack, useStack } from '../helpers/stack.js';
import { record, transcriptLogger } from '../helpers/transcript.js';
import { connectionRows, exportCsv } from './read.js';

/**
 * `GET /export/focus.csv` over the real stack: the same rows as `Organization.focusRows`, parsed by
 * a real CSV parser; authentication and scoping as the graph's; bad input refused before any
 * upstream call; its own limits; an upstream failure after the first byte cuts the transfer.
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const seeded = generate(42, NOW);
const ACME = seeded.organizations[0]!.id;
const GLOBEX = seeded.organizations[1]!.id;
const UMBRELLA = seeded.organizations[4]!.id;
const stack = useStack({ now: NOW });
const CHARGES = '/billing/v2beta1/charges';

/** A server over a stack's gateway, on a loopback socket (for what only a socket shows: a cut transfer, a slow reader). */
async function serve(target: Stack): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = createServer(target.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A logger that keeps the lines it is given (and writes them to the transcript). */
function keeping(): YogaLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: keyof YogaLogger) => (...args: unknown[]) => {
    lines.push(`${level} ${args.map(String).join(' ')}`);
    transcriptLogger[level](...args);
  };
  return { lines, debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') };
}

describe('GET /export/focus.csv', () => {
  const cases: [string, string, string][] = [
    [ACME, '2026-11', 'CONSUMPTION'],
    [ACME, '2026-11', 'CHARGE'],
    [ACME, '2026-05', 'CONSUMPTION'],
    [ACME, '2026-09', 'CONSUMPTION'],
    [GLOBEX, '2026-12', 'CHARGE'],
    [UMBRELLA, '2026-10', 'CHARGE'],
  ];
  for (const [org, period, grain] of cases) {
    it(`answers the connection's rows (every page) as CSV, ${period} ${grain}`, async () => {
      const csv = await exportCsv(stack, `billingPeriod=${period}&grain=${grain}&organizationId=${org}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="focus-${org}-${period}-${grain}.csv"`);
      expect(csv.text.endsWith('\r\n')).toBe(true);
      const graph = await connectionRows(stack, csv.columns, { billingPeriod: period, grain, organizationId: org }, 150);
      expect(csv.rows.length).toBeGreaterThan(5);
      expect(csv.rows).toEqual(graph.rows);
      if (grain === 'CONSUMPTION') expect(graph.totalCount).toBe(csv.rows.length);
      // Both carry the month's purchases and credit notes (the simulator's acme has both in September).
      if (period === '2026-09') {
        expect(csv.rows.some((r) => r.ChargeCategory === 'Purchase')).toBe(true);
        expect(csv.rows.some((r) => r.ChargeCategory === 'Credit' && r.ChargeClass === 'Correction')).toBe(true);
      }
    });
  }

  it('writes null as an empty unquoted field, an empty text as "", decimals with a point, and text exactly as the upstream sent it', async () => {
    const charge = (name: string | null, units: number) => ({
      organization_id: ACME,
      organization_name: 'acme',
      project_id: seeded.organizations[0]!.projects[0]!.id,
      project_name: '',
      sku: '/compute/dev1_s/run_par1',
      invoice_id: '',
      resource_id: 'r-1',
      resource_name: name,
      price: { currency_code: 'EUR', units, nanos: 0 },
      start_date: '2026-11-03T00:00:00Z',
      end_date: '2026-11-03T23:59:59.999999Z',
      updated_at: '2026-11-04T04:00:00.120394Z',
    });
    const formulas = ['=HYPERLINK("http://x","y")', '+1', '-1', '@SUM(A1)', 'a,b\r\n"c"'];
    stack.sim.inject({ path: CHARGES, status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ charges: [...formulas.map((f) => charge(f, 3)), charge(null, 12)], next_page_token: '' }), times: 1 });
    const csv = await exportCsv(stack, 'billingPeriod=2026-11&grain=CHARGE');
    expect(csv.rows.map((r) => r.ResourceName)).toEqual([...formulas, null]);
    expect(csv.rows.map((r) => r.BilledCost)).toEqual(['3.0', '3.0', '3.0', '3.0', '3.0', '12.0']);
    expect(csv.rows[0]).toMatchObject({ SubAccountName: '', InvoiceId: null, ChargePeriodStart: '2026-11-03T00:00:00Z', ChargePeriodEnd: '2026-11-04T00:00:00Z', x_UpdatedAt: '2026-11-04T04:00:00Z', RegionId: 'fr-par', AvailabilityZone: 'fr-par-1' });
    const line = csv.text.split('\r\n')[1]!;
    expect(line).toContain(',"",');
    expect(line).toContain('"=HYPERLINK(""http://x"",""y"")"');
  });

  it('refuses bad input with 400 BAD_USER_INPUT naming the parameter, before any upstream call', async () => {
    const bad: [string, string][] = [
      ['', 'billingPeriod'],
      ['billingPeriod=2026-13', 'billingPeriod'],
      ['billingPeriod=2026-1', 'billingPeriod'],
      ['billingPeriod=2027-01', 'billingPeriod'],
      ['billingPeriod=2026-11&grain=DAILY', 'grain'],
      ['billingPeriod=2026-11&grain=consumption', 'grain'],
      ['billingPeriod=2026-11&organizationId=not-a-uuid', 'organizationId'],
      ['billingPeriod=2026-11&billing_period=2026-10', 'billing_period'],
      ['billingPeriod=2026-11&billingPeriod=2026-10', 'billingPeriod'],
    ];
    for (const [query, argument] of bad) {
      const res = await stack.yoga.fetch(`http://gateway.test/export/focus.csv?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(((await res.json()) as any).error, query).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    const post = await stack.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('answers a failure before the first byte with a coded JSON error', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/consumptions', status: 500, body: '{"type":"internal_error","message":"boom"}', headers: { 'content-type': 'application/json' }, times: 1 });
    const res = await stack.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11');
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'scaleway' } });
    stack.sim.inject({ path: CHARGES, malformed: true, times: 1 });
    const charges = await stack.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11&grain=CHARGE');
    expect(charges.status).toBe(502);
    expect(((await charges.json()) as any).error.code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('cuts the transfer when the upstream fails after the first byte: the client never sees a file end cleanly, and the log says so', async () => {
    const log = keeping();
    const cut = await startStack({ now: NOW, logging: log });
    const { base, close } = await serve(cut);
    try {
      for (const fault of [{ status: 500, body: '{"type":"internal_error","message":"boom"}', headers: { 'content-type': 'application/json' } }, { cutAfterBytes: 3_000 }]) {
        // The first page goes out; the second fails.
        cut.sim.inject({ path: CHARGES, skip: 1, times: 1, ...fault });
        const res = await request(`${base}/export/focus.csv?billingPeriod=2026-11&grain=CHARGE`);
        expect(res.statusCode).toBe(200);
        const error = await res.body.text().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, JSON.stringify(fault)).toBeInstanceOf(Error);
      }
      expect(log.lines.filter((l) => /^warn FOCUS export 2026-11 CHARGE cut after 1\d\d rows/.test(l))).toHaveLength(2);
      // Without a socket to cut (yoga.fetch), the body fails as a stream.
      cut.sim.inject({ path: CHARGES, skip: 1, times: 1, status: 503 });
      const res = await cut.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11&grain=CHARGE');
      expect(res.status).toBe(200);
      await expect(res.text()).rejects.toThrow();
      // The process serves the next one whole.
      expect((await exportCsv(cut, 'billingPeriod=2026-11&grain=CHARGE')).rows.length).toBeGreaterThan(400);
    } finally {
      await close();
      await cut.close();
    }
  });

  it('is bounded by upstream calls of its own (FOCUS_EXPORT_MAX_UPSTREAM_CALLS), not the graph’s: a coded answer before the first byte, a cut after', async () => {
    // 2026-05: the invoice list, three consumption pages, the taxes: five calls.
    const limited = await startStack({ now: NOW, limits: { maxUpstreamCalls: 2 }, focusExport: { maxUpstreamCalls: 5, timeoutMs: 30_000 } });
    try {
      expect((await exportCsv(limited, 'billingPeriod=2026-05')).status).toBe(200);
      expect(limited.sim.log).toHaveLength(5);
    } finally {
      await limited.close();
    }
    for (const [calls, outcome] of [
      [1, 'answer'],
      [3, 'cut'],
    ] as const) {
      const tight = await startStack({ now: NOW, focusExport: { maxUpstreamCalls: calls, timeoutMs: 30_000 } });
      try {
        const res = await tight.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-05');
        if (outcome === 'answer') {
          expect(res.status).toBe(503);
          expect(await res.json()).toMatchObject({ error: { code: 'QUERY_TOO_COSTLY', variable: 'FOCUS_EXPORT_MAX_UPSTREAM_CALLS', limit: 1 } });
        } else {
          expect(res.status).toBe(200);
          await expect(res.text()).rejects.toThrow(/FOCUS_EXPORT_MAX_UPSTREAM_CALLS|upstream calls/);
        }
        expect(tight.sim.log).toHaveLength(calls);
      } finally {
        await tight.close();
      }
    }
  });

  it('is bounded in time (FOCUS_EXPORT_TIMEOUT_MS): REQUEST_TIMEOUT before the first byte, a cut after, the upstream call aborted', async () => {
    const slow = await startStack({ now: NOW, focusExport: { maxUpstreamCalls: 100, timeoutMs: 1_000 } });
    try {
      slow.sim.inject({ path: '/billing/v2beta1/invoices', latencyMs: 3_000, times: 1 });
      const started = Date.now();
      const res = await slow.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11');
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ error: { code: 'REQUEST_TIMEOUT', variable: 'FOCUS_EXPORT_TIMEOUT_MS' } });
      expect(Date.now() - started).toBeLessThan(2_500);
      slow.sim.inject({ path: CHARGES, skip: 1, latencyMs: 3_000, times: 1 });
      const late = await slow.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11&grain=CHARGE');
      expect(late.status).toBe(200);
      await expect(late.text()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(4_500);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(slow.sim.inFlight).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('reads upstream pages at the client’s pace: a client that stops reading stops the reading', async () => {
    const big = await startStack({ now: NOW, finopsPageSize: 1000, simulator: { chargesPerOrg: 60_000 } });
    const { base, close } = await serve(big);
    try {
      const res = await request(`${base}/export/focus.csv?billingPeriod=2026-11&grain=CHARGE`, { highWaterMark: 1024 });
      expect(res.statusCode).toBe(200);
      // Nothing read for a while: socket buffers fill, then the gateway waits.
      await new Promise((resolve) => setTimeout(resolve, 800));
      const whilePaused = big.sim.calls(CHARGES).length;
      let bytes = 0;
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      const pages = big.sim.calls(CHARGES).length;
      record('focus backpressure', `${whilePaused} of ${pages} FinOps pages read while the client paused; ${bytes} bytes`);
      expect(pages).toBeGreaterThan(25);
      expect(whilePaused).toBeLessThan(pages / 2);

      // A client that goes mid-file: the gateway stops calling the upstream.
      big.sim.resetLog();
      const gone = await request(`${base}/export/focus.csv?billingPeriod=2026-11&grain=CHARGE`);
      let read = 0;
      for await (const chunk of gone.body) {
        read += (chunk as Buffer).length;
        if (read > 2_000_000) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      const afterGone = big.sim.calls(CHARGES).length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(big.sim.calls(CHARGES).length).toBe(afterGone);
      expect(afterGone).toBeLessThan(pages / 2);
      expect(big.sim.inFlight).toBe(0);
    } finally {
      await close();
      await big.close();
    }
  });
});

describe('GET /export/focus.csv: who may read', () => {
  const auth = {
    mode: 'tokens' as const,
    tokens: [
      { name: 'finance', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*' as const, scalrAccounts: '*' as const, arbitraryOperations: false },
      { name: 'acme-dashboard', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [ACME], scalrAccounts: [], arbitraryOperations: false },
    ],
  };
  let tokens: Stack;
  let acmeOnly: Stack;
  beforeAll(async () => {
    tokens = await startStack({ now: NOW, auth });
    // A gateway serving acme alone: globex is "missing" there.
    acmeOnly = await startStack({ now: NOW, auth, organizations: [ACME] });
  });
  afterAll(async () => {
    await tokens.close();
    await acmeOnly.close();
  });
  const get = (target: Stack, query: string, headers: Record<string, string> = {}) => target.yoga.fetch(`http://gateway.test/export/focus.csv?${query}`, { headers });

  it('answers 401 UNAUTHENTICATED without a token, or with an unknown one', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Record<string, string>[]) {
      const res = await get(tokens, 'billingPeriod=2026-11', headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(tokens.sim.log).toHaveLength(0);
  });

  it('answers an organization that is not the caller’s exactly as one the gateway does not serve: 404, no upstream call', async () => {
    const notMine = await get(tokens, `billingPeriod=2026-11&organizationId=${GLOBEX}`, { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` });
    const missing = await get(acmeOnly, `billingPeriod=2026-11&organizationId=${GLOBEX}`, { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` });
    expect(notMine.status).toBe(404);
    expect(missing.status).toBe(404);
    const body = await notMine.text();
    expect(body).toBe(await missing.text());
    expect(JSON.parse(body)).toEqual({ error: { code: 'NOT_FOUND', message: `Organization ${GLOBEX} not found` } });
    expect(tokens.sim.log).toHaveLength(0);
    expect(acmeOnly.sim.log).toHaveLength(0);
  });

  it('asks a passthrough caller for its own Scaleway key (401 without), and reads with it', async () => {
    const passthrough = await startStack({ now: NOW, auth: { mode: 'passthrough', tokens: [] } });
    try {
      const none = await get(passthrough, 'billingPeriod=2026-11');
      expect(none.status).toBe(401);
      expect(passthrough.sim.log).toHaveLength(0);
      const own = await get(passthrough, 'billingPeriod=2026-11', { 'x-auth-token': SECRET });
      expect(own.status).toBe(200);
      await own.text();
      expect(passthrough.sim.log.every((c) => c.headers['x-auth-token'] === SECRET)).toBe(true);
    } finally {
      await passthrough.close();
    }
  });

  it('serves the caller’s own organization, by default or by id', async () => {
    const own = await get(tokens, 'billingPeriod=2026-11', { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` });
    expect(own.status).toBe(200);
    expect((await own.text()).split('\r\n').length).toBeGreaterThan(10);
    const other = await get(tokens, `billingPeriod=2026-11&organizationId=${GLOBEX}`, { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` });
    expect(other.status).toBe(200);
    await other.text();
  });
});
