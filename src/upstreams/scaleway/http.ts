import type { Dispatcher } from 'undici';
import type { Budget } from '../../lib/budget.js';
import type { JsonValue } from '../../lib/json.js';
import type { Limiter } from '../../fleet/limiter.js';
import type { Metrics } from '../../observe/metrics.js';
import { UpstreamHttp, type UpstreamHttpOptions } from '../http.js';
import type { Gate } from '../pool.js';
import { parseWire } from '../wire-reader.js';
import { scalewayError } from './unmarshal.js';

export interface ScalewayConnection {
  /** Base URL without trailing slash, e.g. `https://api.scaleway.com`. */
  apiUrl: string;
  /** Empty: no key (a passthrough caller sent none); calls then fail as unauthenticated without being made. */
  secretKey: string;
  dispatcher: Dispatcher;
  /** Shared by every Scaleway client: bounds the Scaleway calls waiting. */
  gate?: Gate;
  /** The request's budget of upstream calls, and its abort signal. */
  budget?: Budget;
  /** Longest time one call may take (ms). */
  callTimeoutMs?: number;
  /** The gateway's cache of answers, and whether this request re-reads them (Cache-Control: no-cache). */
  cache?: UpstreamHttpOptions['cache'];
  metrics?: Metrics;
  limiter?: Limiter;
  /** The clock deciding which answers can no longer change (finality.ts), and the current billing period. */
  now?: () => Date;
}

/** HTTP for any Scaleway API: `X-Auth-Token`, JSON, Scaleway's error bodies. */
export function scalewayHttp({ apiUrl, secretKey, dispatcher, gate, budget, callTimeoutMs, cache, metrics, limiter }: ScalewayConnection): UpstreamHttp {
  return new UpstreamHttp({
    upstream: 'scaleway',
    baseUrl: apiUrl,
    headers: { 'x-auth-token': secretKey, accept: 'application/json' },
    dispatcher,
    gate,
    budget,
    callTimeoutMs,
    secrets: [secretKey],
    credential: secretKey,
    cache,
    metrics,
    limiter,
    missingCredentials: secretKey ? undefined : 'No Scaleway secret key: send one as X-Auth-Token',
    parseError: scalewayError,
  });
}

/** {@link parseWire} for Scaleway. */
export function parsed<T>(json: JsonValue, unmarshal: (value: JsonValue) => T): T {
  return parseWire('scaleway', json, unmarshal);
}
