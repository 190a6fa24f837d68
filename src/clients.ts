import type { Dispatcher } from 'undici';
import type { Caller } from './access/caller.js';
import type { Clients } from './context.js';
import type { Budget } from './lib/budget.js';
import { Limiter } from './upstreams/http.js';
import { type BillingApiVersion, ScalewayBillingClient } from './upstreams/scaleway/client.js';
import { ScalewayFinOpsClient } from './upstreams/scaleway/finops.js';
import { ScalrClient } from './upstreams/scalr/client.js';

export interface ClientSettings {
  dispatcher: Dispatcher;
  scaleway: { apiUrl: string; secretKey?: string; version: BillingApiVersion; maxConcurrency: number; now?: () => Date };
  /** Absent: Scalr is not configured. `token` absent: callers bring theirs (passthrough). */
  scalr?: { baseUrl: string; token?: string; preferProfile?: string; maxConcurrency: number };
  /** Callers' own credentials instead of the gateway's. */
  passthrough: boolean;
}

/**
 * The upstream clients of one request: with the gateway's credentials, or in passthrough mode the
 * caller's, and the request's budget of upstream calls. One concurrency cap per upstream, shared.
 */
export function clientFactory(settings: ClientSettings): (caller: Caller, budget?: Budget) => Clients {
  const scalewayLimit = new Limiter(settings.scaleway.maxConcurrency);
  const scalrLimit = new Limiter(settings.scalr?.maxConcurrency ?? 1);
  return (caller, budget) => {
    const scalewayKey = (settings.passthrough ? caller.scalewayKey : settings.scaleway.secretKey) ?? '';
    const scalrToken = (settings.passthrough ? caller.scalrToken : settings.scalr?.token) ?? '';
    const scaleway = { apiUrl: settings.scaleway.apiUrl, secretKey: scalewayKey, dispatcher: settings.dispatcher, limiter: scalewayLimit, budget };
    return {
      billing: new ScalewayBillingClient({ ...scaleway, version: settings.scaleway.version, now: settings.scaleway.now }),
      finops: new ScalewayFinOpsClient(scaleway),
      scalr:
        settings.scalr &&
        new ScalrClient({ baseUrl: settings.scalr.baseUrl, token: scalrToken, dispatcher: settings.dispatcher, preferProfile: settings.scalr.preferProfile, limiter: scalrLimit, budget }),
    };
  };
}
