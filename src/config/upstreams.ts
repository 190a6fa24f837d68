/** What the configuration says of the upstreams: the API version, timeouts, retries, where Scalr is. */

/** Which Scaleway Billing API the gateway speaks (docs/upstreams.md). */
export type BillingApiVersion = 'v2beta1' | 'v2alpha1';

/** Timeouts for upstream calls, in milliseconds. */
export interface HttpTimeouts {
  connect: number;
  headers: number;
  body: number;
}

/** Retries of failed upstream GETs. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  retries: number;
  /** First backoff, ms; doubles each retry, with jitter. */
  baseDelayMs: number;
  /** Longest backoff, ms. */
  maxDelayMs: number;
  /** Longest `Retry-After` waited for, ms; a longer one fails at once as rate limited. */
  retryAfterCapMs: number;
}

/**
 * `SCALR_HOSTNAME` → API base: a bare host means `https://<host>/api/iacp/v3`; a URL with a path is
 * used as given; a URL without one gets `/api/iacp/v3`.
 */
export function scalrBaseUrl(hostname: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(hostname)) {
    const host = hostname.replace(/\/+$/, '');
    if (!/^[a-z0-9.-]+(?::\d{1,5})?$/i.test(host)) throw new RangeError('not a host name');
    return `https://${host}/api/iacp/v3`;
  }
  const url = new URL(hostname);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RangeError('not an http(s) URL');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path || '/api/iacp/v3'}`;
}
