import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/config/tokens.js';
import { GATEWAY_TOKEN_ACME, SECRETS } from '../helpers/secrets.js';
import { type Stack, startStack, useStack } from '../helpers/stack.js';

/**
 * Prometheus metrics at /metrics, read with a Prometheus text parser: upstream calls counted
 * exactly (the simulator's count), cache results, GraphQL durations and errors by trusted operation
 * name and code; no tenant data in any label.
 */
async function scrape(stack: Stack, headers: Record<string, string> = {}): Promise<Family[]> {
  const res = await stack.yoga.fetch('http://gateway.test/metrics', { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text());
}
const family = (families: Family[], name: string) => families.find((f) => f.name === name);
const sum = (f: Family | undefined, where: (labels: Record<string, string>) => boolean = () => true) =>
  (f?.metrics ?? []).filter((m) => where(m.labels ?? {})).reduce((n, m) => n + Number(m.value), 0);

describe('/metrics', () => {
  const stack = useStack({ cache: true });

  it('counts every upstream call, by route template and status: the simulator’s count exactly', async () => {
    const queries = [
      `{ organization { invoices(first: 250) { totalCount edges { node { id } } } discounts(first: 3) { totalCount } } }`,
      `{ organizations(ids: ["${stack.orgs[1]}", "${stack.orgs[2]}"]) { consumptions { totalCount } } }`,
      `{ scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`,
    ];
    for (const q of queries) expect((await stack.query(q)).errors).toBeUndefined();
    // Once more: answers from the cache, no call.
    for (const q of queries) await stack.query(q);
    const id = Buffer.from(`Invoice:${stack.orgs[0]}/${stack.sim.data.invoices.get(stack.orgs[0]!)![0]!.id}`).toString('base64');
    await stack.query(`{ node(id: "${id}") { id } }`);
    const families = await scrape(stack);
    const calls = family(families, 'billing_graph_upstream_requests_total');
    expect(calls?.type).toBe('COUNTER');
    expect(sum(calls)).toBe(stack.sim.log.length);
    expect(sum(calls, (l) => l.endpoint === '/billing/v2beta1/invoices' && l.status === '200')).toBe(stack.sim.log.filter((c) => c.path === '/billing/v2beta1/invoices').length);
    expect(sum(calls, (l) => l.endpoint === '/billing/v2beta1/invoices/{id}')).toBe(1);
    const hits = family(families, 'billing_graph_cache_requests_total');
    expect(sum(hits, (l) => l.result === 'hit')).toBeGreaterThanOrEqual(5);
    expect(family(families, 'billing_graph_upstream_request_duration_seconds')?.type).toBe('HISTOGRAM');
    // A call leaves the in-flight gauge when its body has closed, a moment after its answer.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const later = await scrape(stack);
    expect(family(later, 'billing_graph_upstream_in_flight')?.metrics.map((m) => m.value)).toEqual(['0', '0']);
  });

  it('times GraphQL operations and counts their errors by code, naming only trusted operations', async () => {
    await stack.query(`query AttackerChosen_${'x'.repeat(20)} { organization(id: "00000000-0000-4000-8000-000000000000") { organizationId } }`);
    await stack.persisted('020f81f19c3a26939dc6979b2c6bdf65e55a98252e15bc2281a511cb5802c2e9', { first: 2 });
    const families = await scrape(stack);
    const errors = family(families, 'billing_graph_graphql_errors_total');
    expect(sum(errors, (l) => l.code === 'NOT_FOUND' && l.operationName === 'other')).toBe(1);
    expect(family(families, 'billing_graph_graphql_request_duration_seconds')?.type).toBe('HISTOGRAM');
    // (The parser folds a labelled histogram's series into one: its labels are read off the text.)
    const text = await (await stack.yoga.fetch('http://gateway.test/metrics')).text();
    const names = new Set([...text.matchAll(/^billing_graph_graphql_request_duration_seconds_count\{operationName="([^"]*)"/gm)].map((m) => m[1]));
    expect(names.has('Discounts')).toBe(true);
    expect(names.has('other')).toBe(true);
    expect(text).not.toContain('AttackerChosen');
  });

  it('holds no organization id, credential or caller text in any label', async () => {
    const text = await (await stack.yoga.fetch('http://gateway.test/metrics')).text();
    for (const id of [...stack.orgs, ...stack.accounts]) expect(text).not.toContain(id);
    for (const secret of SECRETS) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
    for (const f of parsePrometheusTextFormat(text)) {
      for (const m of f.metrics) for (const value of Object.values(m.labels ?? {})) expect(value, `${f.name}`).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|acc-[a-z0-9]{6,}/i);
    }
  });
});

describe('/metrics and /ready with gateway tokens', () => {
  it('serves /metrics to a caller with a token only, /ready to anyone', async () => {
    const stack = await startStack({ auth: { mode: 'tokens', tokens: [{ name: 'acme', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: '*', scalrAccounts: '*', arbitraryOperations: false }] } });
    try {
      expect((await stack.yoga.fetch('http://gateway.test/metrics')).status).toBe(401);
      expect((await stack.yoga.fetch('http://gateway.test/metrics', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      await scrape(stack, { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` });
      const ready = await stack.yoga.fetch('http://gateway.test/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await stack.close();
    }
  });

  it('does not serve /metrics beside the graph in passthrough mode (callers are checked by the upstream only)', async () => {
    const stack = await startStack({ auth: { mode: 'passthrough', tokens: [] } });
    try {
      const res = await stack.yoga.fetch('http://gateway.test/metrics', { headers: { 'x-auth-token': 'anything' } });
      expect(res.status).toBe(404);
    } finally {
      await stack.close();
    }
  });
});
