import type { Dispatcher } from 'undici';
import type { JsonValue } from '../../lib/json.js';
import { UpstreamBadResponseError } from '../errors.js';
import { UpstreamHttp } from '../http.js';
import { WireShapeError } from '../wire-reader.js';
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

/** Unmarshals at the boundary: a wire shape error becomes `UPSTREAM_BAD_RESPONSE`, never a half-parsed row. */
export function parsed<T>(json: JsonValue, unmarshal: (value: JsonValue) => T): T {
  try {
    return unmarshal(json);
  } catch (error) {
    if (error instanceof WireShapeError) {
      throw new UpstreamBadResponseError(`Scaleway answered in an unexpected shape: ${error.message}`, {
        upstream: 'scaleway',
        status: 200,
        cause: error,
      });
    }
    throw error;
  }
}
