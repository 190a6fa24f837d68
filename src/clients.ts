import type { Dispatcher } from 'undici';
import type { Caller } from './access/caller.js';
import type { Limiter } from './fleet/limiter.js';
import type { PageCache } from './fleet/pages.js';
import type { Budget } from './lib/budget.js';
import type { Metrics } from './observe/metrics.js';
import { Gate } from './upstreams/pool.js';
import type { BillingApiVersion } from './config/upstreams.js';
import { ScalewayBillingClient } from './upstreams/scaleway/client.js';
import { ScalewayFinOpsClient } from './upstreams/scaleway/finops.js';
import { ScalrClient } from './upstreams/scalr/client.js';

/** The upstream clients one request uses. */
export interface Clients {
  billing: ScalewayBillingClient;
  finops: ScalewayFinOpsClient;
  /** Absent when Scalr is not configured. */
  scalr?: ScalrClient;
}

export interface ClientSettings {
  /** Each upstream's pool (its connections are its calls in flight), and how many calls may wait for it. */
  scaleway: { apiUrl: string; secretKey?: string; version: BillingApiVersion; dispatcher: Dispatcher; maxOutstanding: number; now?: () => Date };
  /** Invoice PDFs: a pool of their own. */
  pdf: { dispatcher: Dispatcher; maxOutstanding: number };
  /** Absent: Scalr is not configured. `token` absent: callers bring theirs (passthrough). */
  scalr?: { baseUrl: string; token?: string; preferProfile?: string; dispatcher: Dispatcher; maxOutstanding: number };
  /** Callers' own credentials instead of the gateway's. */
  passthrough: boolean;
  /** Longest time one upstream call may take (ms). */
  callTimeoutMs?: number;
  /** Upstream answers cached for every request (absent: none). */
  pages?: PageCache;
  /** The upstream budget per credential (invoice PDFs apart: their pool bounds them). */
  limiter?: Limiter;
  metrics?: Metrics;
}

/** What a request asks of its clients beyond its credentials. */
export interface ClientOptions {
  /** Re-read every upstream answer, and refresh the cache with it (the request's `Cache-Control: no-cache`). */
  refresh?: boolean;
}

/**
 * The upstream clients of one request: with the gateway's credentials, or in passthrough mode the
 * caller's, and the request's budget (calls counted, all aborted with the request). The pools and
 * their waiting bounds are shared by every request.
 */
export function clientFactory(settings: ClientSettings): (caller: Caller, budget?: Budget, options?: ClientOptions) => Clients {
  const scalewayGate = new Gate(settings.scaleway.maxOutstanding);
  const pdfGate = new Gate(settings.pdf.maxOutstanding);
  const scalrGate = new Gate(settings.scalr?.maxOutstanding ?? 1);
  const { callTimeoutMs, metrics, limiter } = settings;
  return (caller, budget, options = {}) => {
    const cache = settings.pages && { pages: settings.pages, refresh: options.refresh === true };
    const scalewayKey = (settings.passthrough ? caller.scalewayKey : settings.scaleway.secretKey) ?? '';
    const scalrToken = (settings.passthrough ? caller.scalrToken : settings.scalr?.token) ?? '';
    const scaleway = {
      apiUrl: settings.scaleway.apiUrl,
      secretKey: scalewayKey,
      dispatcher: settings.scaleway.dispatcher,
      gate: scalewayGate,
      budget,
      callTimeoutMs,
      cache,
      metrics,
      limiter,
      now: settings.scaleway.now,
    };
    return {
      billing: new ScalewayBillingClient({
        ...scaleway,
        version: settings.scaleway.version,
        pdf: { dispatcher: settings.pdf.dispatcher, gate: pdfGate },
      }),
      finops: new ScalewayFinOpsClient(scaleway),
      scalr:
        settings.scalr &&
        new ScalrClient({
          baseUrl: settings.scalr.baseUrl,
          token: scalrToken,
          dispatcher: settings.scalr.dispatcher,
          preferProfile: settings.scalr.preferProfile,
          gate: scalrGate,
          budget,
          callTimeoutMs,
          cache,
          metrics,
          limiter,
          now: settings.scaleway.now,
        }),
    };
  };
}
