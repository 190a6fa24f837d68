import type { Dispatcher } from 'undici';
import type { Caller } from './auth.js';
import type { Clients } from './context.js';
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
 * The upstream clients for each caller: the gateway's own, built once, or in passthrough mode a set
 * per request carrying the caller's credentials. Either way one concurrency cap per upstream.
 */
export function clientFactory(settings: ClientSettings): (caller: Caller) => Clients {
  const scalewayLimit = new Limiter(settings.scaleway.maxConcurrency);
  const scalrLimit = new Limiter(settings.scalr?.maxConcurrency ?? 1);
  const build = (scalewayKey: string, scalrToken: string | undefined): Clients => {
    const scaleway = { apiUrl: settings.scaleway.apiUrl, secretKey: scalewayKey, dispatcher: settings.dispatcher, limiter: scalewayLimit };
    return {
      billing: new ScalewayBillingClient({ ...scaleway, version: settings.scaleway.version, now: settings.scaleway.now }),
      finops: new ScalewayFinOpsClient(scaleway),
      scalr: settings.scalr && new ScalrClient({ baseUrl: settings.scalr.baseUrl, token: scalrToken ?? '', dispatcher: settings.dispatcher, preferProfile: settings.scalr.preferProfile, limiter: scalrLimit }),
    };
  };
  if (settings.passthrough) return (caller) => build(caller.scalewayKey ?? '', caller.scalrToken);
  const own = build(settings.scaleway.secretKey ?? '', settings.scalr?.token);
  return () => own;
}
