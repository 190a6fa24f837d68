import { Agent, type Dispatcher, request } from 'undici';
import { parseJsonExact, type JsonValue } from '../lib/json.js';
import {
  type UpstreamError,
  UpstreamBadResponseError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type UpstreamName,
} from './errors.js';

/** Timeouts for upstream calls, in milliseconds. */
export interface HttpTimeouts {
  connect: number;
  headers: number;
  body: number;
}

/**
 * The one connection pool for all upstreams. Keep-alive matters: a connection page of 500 rows is
 * 5 concurrent calls, and a TLS handshake per call would dominate the gateway's latency.
 */
export function createAgent(timeouts: HttpTimeouts, connectionsPerOrigin = 32): Agent {
  return new Agent({
    connections: connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    headersTimeout: timeouts.headers,
    bodyTimeout: timeouts.body,
    connect: { timeout: timeouts.connect },
  });
}

/** Query parameters; arrays are sent as repeated keys, undefined is omitted. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

export interface UpstreamHttpOptions {
  upstream: UpstreamName;
  /** Base URL without a trailing slash, e.g. `https://api.scaleway.com`. */
  baseUrl: string;
  /** Sent on every call (auth, Accept). */
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  /** Turns a non-2xx answer into the upstream's typed error. */
  parseError: (status: number, headers: UpstreamResponse['headers'], text: string) => UpstreamError;
}

export function buildQuery(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GET-only HTTP for one upstream: errors typed, bodies always consumed. */
export class UpstreamHttp {
  constructor(private readonly options: UpstreamHttpOptions) {}

  /** A 2xx response whose body the caller must consume; any other status is thrown as a typed error. */
  async get(path: string, query: Query = {}, headers: Record<string, string> = {}): Promise<UpstreamResponse> {
    const { upstream, baseUrl, dispatcher } = this.options;
    let res: Dispatcher.ResponseData;
    try {
      res = await request(baseUrl + path + buildQuery(query), {
        dispatcher,
        method: 'GET',
        headers: { ...this.options.headers, ...headers },
      });
    } catch (error) {
      throw transportError(upstream, error);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { status: res.statusCode, headers: res.headers, body: res.body };
    }
    const text = await readText(upstream, res.body);
    throw this.options.parseError(res.statusCode, res.headers, text);
  }

  /**
   * GET and parse JSON. `exact` keeps numbers as their source text ({@link parseJsonExact}); use it
   * where the upstream sends money-like floats.
   */
  async getJson(path: string, query: Query = {}, exact = false): Promise<JsonValue> {
    const { upstream } = this.options;
    const res = await this.get(path, query);
    const text = await readText(upstream, res.body);
    try {
      return exact ? parseJsonExact(text) : (JSON.parse(text) as JsonValue);
    } catch (error) {
      throw new UpstreamBadResponseError(`${upstream} answered ${path} with malformed JSON`, {
        upstream,
        status: res.status,
        requestId: requestIdOf(res.headers),
        cause: error,
      });
    }
  }
}

export function requestIdOf(headers: UpstreamResponse['headers']): string | undefined {
  const id = headers['x-request-id'];
  return typeof id === 'string' ? id : undefined;
}

async function readText(upstream: UpstreamName, body: UpstreamResponse['body']): Promise<string> {
  try {
    return await body.text();
  } catch (error) {
    throw transportError(upstream, error);
  }
}

/** Maps undici's transport failures (by their stable `code`) to typed errors. */
export function transportError(upstream: UpstreamName, error: unknown): UpstreamError {
  const code = (error as { code?: string } | null)?.code ?? '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new UpstreamTimeoutError(`${upstream} did not answer in time`, { upstream, cause: error });
  }
  return new UpstreamUnavailableError(`${upstream} could not be reached`, { upstream, cause: error });
}
