import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics, one registry per gateway (tests run several in one process).
 * No label holds tenant data: upstream endpoints are route templates (`/billing/v2beta1/invoices/{id}`),
 * operation names are those of trusted documents only, codes and statuses are finite sets.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly upstreamRequests = new Counter({
    name: 'billing_graph_upstream_requests_total',
    help: 'Upstream calls made (a cache hit is none), by upstream, route template and HTTP status (0: no answer)',
    labelNames: ['upstream', 'endpoint', 'status'] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'billing_graph_upstream_request_duration_seconds',
    help: 'Time from sending an upstream call to the end of its answer (retries included)',
    labelNames: ['upstream', 'endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly upstreamInFlight = new Gauge({
    name: 'billing_graph_upstream_in_flight',
    help: 'Upstream calls sent and not answered yet, by upstream',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });
  readonly upstreamQueued = new Gauge({
    name: 'billing_graph_upstream_queue_length',
    help: 'Upstream calls waiting for a connection or a fleet-wide slot, by upstream',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });
  readonly upstreamRetries = new Counter({
    name: 'billing_graph_upstream_retries_total',
    help: 'Upstream calls retried, by upstream and reason (an HTTP status or an error code)',
    labelNames: ['upstream', 'reason'] as const,
    registers: [this.registry],
  });
  readonly cacheRequests = new Counter({
    name: 'billing_graph_cache_requests_total',
    help: 'Upstream answers looked up in the cache: hit, miss, bypass (Cache-Control: no-cache), error (the cache failed; read around)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly redisErrors = new Counter({
    name: 'billing_graph_redis_errors_total',
    help: 'Redis commands that failed or timed out (the gateway reads around Redis then)',
    labelNames: ['use'] as const,
    registers: [this.registry],
  });

  constructor({ process = true }: { process?: boolean } = {}) {
    // The process's own figures (CPU, memory, event loop lag), prefixed like the rest.
    if (process) collectDefaultMetrics({ register: this.registry, prefix: 'billing_graph_' });
  }
}

/** An upstream path as a route template: ids out, so that a label's values stay a small, fixed set. */
export function routeTemplate(path: string): string {
  // A query is never part of the route (labels stay few, and hold no tenant data).
  const end = path.indexOf('?');
  return (end < 0 ? path : path.slice(0, end))
    .replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi, '/{id}')
    .replace(/\/(?:acc|env|ws|org)-[a-z0-9]+(?=\/|$)/gi, '/{id}');
}
