/** What the configuration says of running as a fleet: the cache, Redis, rate caps, metrics, traces, draining. */
export interface FleetConfig {
  cache: {
    /** Lifetime of an upstream answer that can no longer change (a closed period, a paid invoice), seconds. */
    closedTtlSeconds: number;
    /** Lifetime of any other answer, seconds; 0 caches none of them. */
    openTtlSeconds: number;
    /** Bytes the in-process cache may hold (unused with Redis). */
    maxBytes: number;
  };
  /** `redis://` or `rediss://`: the cache, the upstream budget and the totals are shared by every replica on it. */
  redisUrl?: string;
  /** Upstream calls per second, per upstream and credential (fleet-wide with Redis); 0: no rate cap. */
  maxRps: { scaleway: number; scalr: number };
  /** A port of its own for `GET /metrics`, public there; absent: /metrics is served beside /graphql, behind its auth. */
  metricsPort?: number;
  /** OpenTelemetry traces, off when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `…_TRACES_ENDPOINT`) is unset. */
  otel?: { endpoint: string; serviceName: string };
  /** After SIGTERM: how long /ready answers 503 (so that load balancers stop sending) before the drain starts, ms. */
  drainDelayMs: number;
}

/** The readers config.ts parses every variable with, so that problems are collected in one list. */
export interface VariableReader {
  get(name: string): string | undefined;
  int(name: string, fallback: number, min: number, max: number): number;
  problems: string[];
}

export function readFleet({ get, int, problems }: VariableReader, production: boolean): FleetConfig {
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined) {
    let ok = false;
    try {
      const u = new URL(redisUrl);
      ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {
      // not a URL
    }
    // Never echoed: the URL may hold a password.
    if (!ok) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  }
  const metricsPort = get('METRICS_PORT') === undefined ? undefined : int('METRICS_PORT', 0, 1, 65535);
  // The OpenTelemetry SDKs' own variables: the traces endpoint is a full URL, the generic one a base.
  const tracesEndpoint = get('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = get('OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint = tracesEndpoint ?? (baseEndpoint === undefined ? undefined : `${baseEndpoint.replace(/\/+$/, '')}/v1/traces`);
  if (endpoint !== undefined) {
    try {
      const u = new URL(endpoint);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    } catch {
      problems.push(`${tracesEndpoint === undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'} must be an http(s) URL`);
    }
  }
  return {
    cache: {
      closedTtlSeconds: int('CACHE_TTL_CLOSED_SECONDS', 86_400, 0, 31 * 86_400),
      openTtlSeconds: int('CACHE_TTL_OPEN_SECONDS', 300, 0, 86_400),
      maxBytes: int('CACHE_MAX_MB', 64, 0, 65_536) * 1024 * 1024,
    },
    redisUrl,
    maxRps: { scaleway: int('SCALEWAY_MAX_RPS', 0, 0, 100_000), scalr: int('SCALR_MAX_RPS', 0, 0, 100_000) },
    metricsPort,
    otel: endpoint === undefined ? undefined : { endpoint, serviceName: get('OTEL_SERVICE_NAME') ?? 'billing-graph' },
    drainDelayMs: int('DRAIN_DELAY_MS', production ? 5_000 : 0, 0, 120_000),
  };
}
