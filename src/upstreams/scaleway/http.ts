import type { Dispatcher } from 'undici';
import type { JsonValue } from '../../lib/json.js';
import { UpstreamHttp } from '../http.js';
import { parseWire } from '../wire-reader.js';
import { scalewayError } from './unmarshal.js';

export interface ScalewayConnection {
  /** Base URL without trailing slash, e.g. `https://api.scaleway.com`. */
  apiUrl: string;
  secretKey: string;
  dispatcher: Dispatcher;
}

/** HTTP for any Scaleway API: `X-Auth-Token`, JSON, Scaleway's error bodies. */
export function scalewayHttp({ apiUrl, secretKey, dispatcher }: ScalewayConnection): UpstreamHttp {
  return new UpstreamHttp({
    upstream: 'scaleway',
    baseUrl: apiUrl,
    headers: { 'x-auth-token': secretKey, accept: 'application/json' },
    dispatcher,
    parseError: scalewayError,
  });
}

/** {@link parseWire} for Scaleway. */
export function parsed<T>(json: JsonValue, unmarshal: (value: JsonValue) => T): T {
  return parseWire('scaleway', json, unmarshal);
}
