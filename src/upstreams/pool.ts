import { Agent, type Dispatcher, interceptors } from 'undici';
import type { HttpTimeouts, RetryPolicy } from '../config/upstreams.js';
import { UpstreamBusyError, type UpstreamName } from './errors.js';

/** Connection pools to the upstreams, their retries, and the bound on calls waiting: what a call of `UpstreamHttp` (http.ts) goes through. */

// Worth another try: the upstream or a proxy was briefly unable (rate limit, overload, restart).
const RETRY_STATUSES = [429, 500, 502, 503, 504];
// A connection that died under the request; a timeout is not retried (it already took its time).
const RETRY_ERRORS = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET'];

/** `Retry-After` in ms (seconds or an HTTP date), or undefined: the one parser of that header. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined> | undefined): number | undefined {
  const value = headers?.['retry-after'];
  if (typeof value !== 'string') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * undici's retry interceptor, with our rule: idempotent GETs only, bounded, exponential backoff
 * with jitter (so that many gateway replicas do not retry in step), `Retry-After` honoured up to
 * a cap. Scaleway's 429s carry no `Retry-After` at all: backoff applies then.
 */
function retryInterceptor(policy: RetryPolicy, hooks: AgentHooks): Dispatcher.DispatcherComposeInterceptor {
  return interceptors.retry({
    maxRetries: policy.retries,
    statusCodes: RETRY_STATUSES,
    errorCodes: RETRY_ERRORS,
    methods: ['GET'],
    retry(err, { state, opts }, cb) {
      const { statusCode, code, headers } = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[] | undefined> };
      const retryable =
        opts.method === 'GET' &&
        !(AFTER_HEADERS in err) &&
        (code === undefined || code === 'UND_ERR_REQ_RETRY' || RETRY_ERRORS.includes(code)) &&
        (statusCode === undefined || RETRY_STATUSES.includes(statusCode)) &&
        state.counter <= policy.retries;
      const after = retryAfterMs(headers);
      // A 429, retried or not: its credential pauses (fleet-wide with Redis) before any other call.
      if (statusCode === 429) hooks.onRateLimited?.(opts.headers as Record<string, string> | undefined, after ?? 1_000);
      const signal = (opts as { signal?: AbortSignal }).signal;
      if (!retryable || (after !== undefined && after > policy.retryAfterCapMs) || signal?.aborted) return cb(signal?.aborted ? signal.reason : err);
      hooks.onRetry?.(statusCode !== undefined ? String(statusCode) : (code ?? 'error'));
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (state.counter - 1));
      // The wait holds no connection (the failed answer has been read); an abort ends it at once.
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', stop);
        cb(null);
      }, after ?? backoff * (0.5 + Math.random() / 2));
      function stop() {
        clearTimeout(timer);
        cb(signal!.reason as Error);
      }
      signal?.addEventListener('abort', stop, { once: true });
    },
  });
}

/** Set on an error that came after a successful answer had begun (its body cut): such a call is not retried. */
const AFTER_HEADERS = Symbol('afterHeaders');

/**
 * Marks failures that come after an answer's head, beneath the retry interceptor: undici's retry
 * would resume such a body with `range: bytes=N-`, and an upstream or proxy that answers 206 to it
 * would have two versions of a list stitched into one. An answer is read whole from one response.
 */
const markBodyFailures: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  let began = false;
  return dispatch(opts, {
    onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
    onRequestUpgrade: (controller, statusCode, headers, socket) => handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
    onResponseStart: (controller, statusCode, headers, statusMessage) => {
      // A failed status is the retry's own business (it ends that answer itself): a body only.
      began = statusCode < 300;
      handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
    },
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, began ? Object.assign(error, { [AFTER_HEADERS]: true }) : error),
  });
};

/**
 * One connection pool for one upstream (Scaleway, Scalr, or invoice PDFs apart): its `connections`
 * are the calls in flight to it, others wait in the pool's queue. Keep-alive matters: a connection
 * page of 500 rows is 5 concurrent calls, and a TLS handshake per call would dominate the latency.
 * A retry's backoff holds no connection.
 */
export interface AgentHooks {
  /** Each retry, with its reason (an HTTP status or an error code): the retries metric. */
  onRetry?(reason: string): void;
  /** A 429 met while retrying, with the call's headers (its credential) and how long to pause, ms. */
  onRateLimited?(headers: Record<string, string> | undefined, ms: number): void;
}

export function createAgent(timeouts: HttpTimeouts, retry: RetryPolicy | undefined, connections: number, hooks: AgentHooks = {}): Dispatcher {
  const agent = new Agent({
    connections,
    keepAliveTimeout: 30_000,
    headersTimeout: timeouts.headers,
    bodyTimeout: timeouts.body,
    connect: { timeout: timeouts.connect },
  });
  // compose: the first interceptor is the innermost, next to the pool.
  return retry && retry.retries > 0 ? agent.compose(markBodyFailures, retryInterceptor(retry, hooks)) : agent;
}

/**
 * The calls one upstream may have outstanding: in flight on its pool, or waiting there for a
 * connection. Past it a call fails at once (UPSTREAM_BUSY, with a Retry-After) instead of joining
 * a queue that only grows while the upstream is slow.
 */
export class Gate {
  private outstanding = 0;

  constructor(readonly max: number) {}

  /** Enters, or throws UPSTREAM_BUSY; returns the function that leaves (call it once). */
  enter(upstream: UpstreamName): () => void {
    if (this.outstanding >= this.max) {
      throw new UpstreamBusyError(`Too many ${upstream === 'scaleway' ? 'Scaleway' : 'Scalr'} calls are waiting already; retry shortly`, { upstream, retryAfter: 1 });
    }
    this.outstanding++;
    let left = false;
    return () => {
      if (!left) this.outstanding--;
      left = true;
    };
  }
}
