import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * OpenTelemetry traces, collected with the SDK's in-memory exporter: a span per GraphQL operation,
 * the child of the caller's W3C traceparent; one span per upstream call, the operation's child,
 * with its route template, status and cache result; the trace context carried upstream.
 */
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let stack: Stack;
beforeAll(async () => {
  provider.register();
  stack = await startStack({ cache: true });
});
afterAll(async () => {
  await stack.close();
  await provider.shutdown();
  // Global state: the next test file in this worker runs without traces, as production's default.
  trace.disable();
  context.disable();
  propagation.disable();
});

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('traces', () => {
  it('makes one upstream span per upstream call, each the child of its operation’s span, the caller’s trace', async () => {
    exporter.reset();
    stack.sim.resetLog();
    const q = `query Dashboard { organization { invoices(first: 250) { totalCount edges { node { id } } } discounts(first: 2) { totalCount } } scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`;
    const r = await stack.query(q, {}, { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` });
    expect(r.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === 'graphql Dashboard')!;
    expect(operation).toBeDefined();
    expect(operation.spanContext().traceId).toBe(CALLER_TRACE);
    expect(parentOf(operation)).toBe(CALLER_SPAN);
    const upstream = spans.filter((s) => s.name.startsWith('GET '));
    expect(upstream).toHaveLength(stack.sim.log.length);
    expect(upstream.length).toBeGreaterThanOrEqual(5);
    for (const span of upstream) {
      expect(span.spanContext().traceId).toBe(CALLER_TRACE);
      expect(parentOf(span)).toBe(operation.spanContext().spanId);
      expect(span.attributes['http.response.status_code']).toBe(200);
      expect(span.attributes['billing_graph.cache']).toBe('miss');
    }
    expect(new Set(upstream.map((s) => s.attributes['url.template']))).toEqual(new Set(['/billing/v2beta1/invoices', '/billing/v2beta1/discounts', '/usage-statistics']));
    // Each upstream call carried its own span's context.
    for (const call of stack.sim.log) {
      const [, trace, span] = String(call.headers.traceparent).split('-');
      expect(trace).toBe(CALLER_TRACE);
      expect(upstream.map((s) => s.spanContext().spanId)).toContain(span);
    }
  });

  it('makes no upstream span for an answer from the cache, and says so on the operation span', async () => {
    exporter.reset();
    stack.sim.resetLog();
    await stack.query(`query Again { organization { discounts(first: 2) { totalCount } } }`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = exporter.getFinishedSpans();
    expect(stack.sim.log).toHaveLength(0);
    expect(spans.filter((s) => s.name.startsWith('GET '))).toHaveLength(0);
    const operation = spans.find((s) => s.name === 'graphql Again')!;
    expect(operation.events.map((e) => [e.name, e.attributes?.['url.template']])).toEqual([['cache hit', '/billing/v2beta1/discounts']]);
  });
});

describe('the gateway process with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports its spans over OTLP/HTTP to the collector named, under OTEL_SERVICE_NAME', async () => {
    const { createServer } = await import('node:http');
    const { Simulator } = await import('../../src/simulator/server.js');
    const { startAgainst } = await import('../helpers/process.js');
    const { SCALR_TOKEN, SECRET, SIGNING_KEY } = await import('../helpers/secrets.js');
    const bodies: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
    await sim.listen();
    const gateway = await startAgainst(
      { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
      {
        GATEWAY_AUTH: 'none',
        GATEWAY_SIGNING_KEYS: SIGNING_KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as { port: number }).port}`,
        OTEL_SERVICE_NAME: 'billing-graph-test',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    );
    try {
      const res = await fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', baggage: 'caller=chosen' }, body: JSON.stringify({ query: 'query Exported { organization { invoices(first: 1) { totalCount } } }' }) });
      expect(res.status).toBe(200);
      const until = Date.now() + 10_000;
      while (!bodies.some((b) => b.body.includes('GET /billing/v2beta1/invoices')) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      const sent = bodies.map((b) => b.body).join('\n');
      expect(bodies[0]?.path).toBe('/v1/traces');
      expect(sent).toContain('billing-graph-test');
      expect(sent).toContain('graphql Exported');
      expect(sent).toContain('GET /billing/v2beta1/invoices');
      // The upstream call carried the trace context.
      expect(String(sim.log[0]!.headers.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      // Only the trace context: a caller's W3C baggage is not passed on to an upstream.
      expect(sim.log[0]!.headers.baggage).toBeUndefined();
    } finally {
      gateway.child.kill('SIGKILL');
      await sim.close();
      await new Promise((resolve) => collector.close(resolve));
    }
  }, 30_000);
});
