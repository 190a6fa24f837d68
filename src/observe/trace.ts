import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * OpenTelemetry traces: a span per GraphQL operation (http/trace.ts) and one per upstream call
 * (upstreams/http.ts), through the global API. Nothing is recorded until a tracer provider is
 * registered (`startTracing`, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set): the API's no-op tracer
 * costs next to nothing, and no `traceparent` goes upstream then.
 */
export const tracer = () => trace.getTracer('billing-graph');

/**
 * Registers the SDK: spans batched to the OTLP/HTTP endpoint, W3C `traceparent` read from callers
 * and sent upstream, the active span carried through async calls. Returns what flushes and stops it.
 */
export async function startTracing(otel: { endpoint: string; serviceName: string }): Promise<() => Promise<void>> {
  // Loaded only when traces are on.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { W3CTraceContextPropagator }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
  ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': otel.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: otel.endpoint }))],
  });
  // The trace context only: the SDK's default would also pass a caller's W3C baggage, whatever it
  // holds, on to Scaleway and Scalr.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return () => provider.shutdown();
}

/** A span for one upstream call, a child of the active one; its context is what the call carries upstream. */
export function upstreamSpan(upstream: string, route: string, cache: 'miss' | 'bypass' | 'none'): { span: Span; headers: Record<string, string> } {
  const span = tracer().startSpan(`GET ${route}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'http.request.method': 'GET', 'url.template': route, 'billing_graph.upstream': upstream, 'billing_graph.cache': cache },
  });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return { span, headers };
}

/** Ends an upstream call's span with its status (0: no answer). */
export function endUpstreamSpan(span: Span, status: number): void {
  if (status > 0) span.setAttribute('http.response.status_code', status);
  if (status === 0 || status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
