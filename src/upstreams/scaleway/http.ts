import type { Dispatcher } from 'undici';
import type { Budget } from '../../lib/budget.js';
import type { JsonValue } from '../../lib/json.js';
import { type Limiter, UpstreamHttp } from '../http.js';
import { parseWire } from '../wire-reader.js';
import { scalewayError } from './unmarshal.js';

export interface ScalewayConnection {
  /** Base URL without trailing slash, e.g. `https://api.scaleway.com`. */
  apiUrl: string;
  /** Empty: no key (a passthrough caller sent none); calls then fail as unauthenticated without being made. */
  secretKey: string;
  dispatcher: Dispatcher;
  /** Shared by every Scaleway client: caps Scaleway calls in flight. */
  limiter?: Limiter;
  /** The request's budget of upstream calls. */
  budget?: Budget;
}

/** HTTP for any Scaleway API: `X-Auth-Token`, JSON, Scaleway's error bodies. */
export function scalewayHttp({ apiUrl, secretKey, dispatcher, limiter, budget }: ScalewayConnection): UpstreamHttp {
  return new UpstreamHttp({
    upstream: 'scaleway',
    baseUrl: apiUrl,
    headers: { 'x-auth-token': secretKey, accept: 'application/json' },
    dispatcher,
    limiter,
    budget,
    secrets: [secretKey],
    missingCredentials: secretKey ? undefined : 'No Scaleway secret key: send one as X-Auth-Token',
    parseError: scalewayError,
  });
}

/** {@link parseWire} for Scaleway. */
export function parsed<T>(json: JsonValue, unmarshal: (value: JsonValue) => T): T {
  return parseWire('scaleway', json, unmarshal);
}
