import { createHash } from 'node:crypto';
import { type Dispatcher, request } from 'undici';
import type { Limiter } from '../fleet/limiter.js';
import type { Finality, PageCache } from '../fleet/pages.js';
import type { Budget } from '../lib/budget.js';
import { trace } from '@opentelemetry/api';
import { measureCall } from '../observe/calls.js';
import { type Metrics, routeTemplate } from '../observe/metrics.js';
import { type JsonValue, parseJsonExact, parseJsonExactKeys } from '../lib/json.js';
import { Redactor } from '../lib/redact.js';
import {
  type UpstreamError,
  UpstreamBadResponseError,
  UpstreamUnauthenticatedError,
  type UpstreamName,
  upstreamMessage,
} from './errors.js';
import { CallTimeoutError, callError } from './failures.js';
import { type Gate, retryAfterMs } from './pool.js';
import { RowSplitter } from './json-rows.js';

/** A credential as a key part (cache, limiter): a hash, never the credential. */
export function credentialTag(credential: string | undefined): string {
  return createHash('sha256').update(credential ?? '').digest('base64url');
}

/** The limiter's key for an upstream and credential: what the upstream rate-limits. */
export function limitKey(upstream: UpstreamName, credential: string | undefined): string {
  return `${upstream}\n${credentialTag(credential)}`;
}

/** Query parameters; arrays are sent as repeated keys, undefined is omitted. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Aborts the call (its body too): the request's deadline, or its client going. */
  signal?: AbortSignal;
  /**
   * Ends the call's total-time limit once the answer has begun: a body streamed to a client goes at
   * that client's pace, which is not the upstream's (its pauses stay bounded by the body timeout).
   */
  streaming(): void;
}

export interface UpstreamHttpOptions {
  upstream: UpstreamName;
  /** Base URL without a trailing slash, e.g. `https://api.scaleway.com`. */
  baseUrl: string;
  /** Sent on every call (auth, Accept). */
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  /** Bounds the calls waiting for this upstream (shared by its clients). */
  gate?: Gate;
  /** The request's budget: each call is counted before it is made, and aborted with the request. */
  budget?: Budget;
  /** Longest time one answer's body may take once its headers came (ms); the headers have undici's own limit. */
  callTimeoutMs?: number;
  /** Secrets this upstream must never see echoed back to callers (they are cut from its error messages). */
  secrets?: string[];
  /** Set when there are no credentials to send: every call fails as unauthenticated, without being made. */
  missingCredentials?: string;
  /** Turns a non-2xx answer into the upstream's typed error. */
  parseError: (status: number, headers: UpstreamResponse['headers'], text: string) => UpstreamError;
  /** The credential the calls carry: answers are cached under its hash, never shared with another. */
  credential?: string;
  /** Upstream answers cached for every request; `refresh` (the request's Cache-Control: no-cache) re-reads them. */
  cache?: { pages: PageCache; refresh: boolean };
  metrics?: Metrics;
  /** The upstream budget per credential (calls in flight, calls a second, 429 pauses); fleet-wide with Redis. */
  limiter?: Limiter;
}

/** How a cached GET reads its answer: the parse (at the boundary), and whether the answer can still change. */
export interface ReadOptions<T> {
  /** Keep numbers as source text: every one, or those under these keys (see getJson). */
  exact?: boolean | readonly string[];
  /** Whether the parsed answer can still change upstream; `open` when absent. */
  finality?: (value: T) => Finality;
}

function buildQuery(query: Query, sorted = false): string {
  const params = new URLSearchParams();
  const entries = Object.entries(query);
  // A cache key: the same parameters in any order are the same request.
  if (sorted) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** GET-only HTTP for one upstream: errors typed, bodies always consumed. */
export class UpstreamHttp {
  private redactor?: Redactor;

  constructor(private readonly options: UpstreamHttpOptions) {}

  /**
   * A 2xx response whose body the caller must consume (its concurrency slot is held until the body
   * ends); any other status is thrown as a typed error.
   */
  async get(path: string, query: Query = {}, headers: Record<string, string> = {}, cache: 'miss' | 'bypass' | 'none' = 'none'): Promise<UpstreamResponse> {
    const { upstream, baseUrl, dispatcher, missingCredentials, budget, callTimeoutMs } = this.options;
    if (missingCredentials) throw new UpstreamUnauthenticatedError(missingCredentials, { upstream });
    // The request was given up (deadline, client gone): nothing more is asked for it.
    budget?.signal.throwIfAborted();
    budget?.call();
    const gateLeave = this.options.gate?.enter(upstream) ?? (() => {});
    const signal = budget?.signal;
    let release = () => {};
    const leave = () => {
      release();
      gateLeave();
    };
    try {
      release = await this.budgeted(signal);
    } catch (error) {
      gateLeave();
      throw this.failure(error, signal);
    }
    const done = measureCall(this.options.metrics, this.options.upstream, path, cache);
    let res: Dispatcher.ResponseData;
    try {
      // Queued and in flight alike, the call ends with its request (deadline, client gone).
      res = await request(baseUrl + path + buildQuery(query), {
        dispatcher,
        method: 'GET',
        // With traces on, the call's span context goes upstream (W3C traceparent).
        headers: { ...this.options.headers, ...headers, ...done.trace },
        signal,
      });
    } catch (error) {
      leave();
      done.answered(0);
      done.ended();
      const { code, statusCode, headers: answered } = (error ?? {}) as { code?: string; statusCode?: number; headers?: UpstreamResponse['headers'] };
      // Retries ran out on a 429: the credential pauses (fleet-wide with Redis).
      if (code === 'UND_ERR_REQ_RETRY' && statusCode === 429) this.rateLimited(answered);
      throw this.failure(error, signal);
    }
    done.answered(res.statusCode);
    if (res.statusCode === 429) this.rateLimited(res.headers);
    // The headers came in time (undici's headers timeout counts from the call's start on its
    // connection, not its wait for one); the body gets a total time too, not only an idle one.
    const body = res.body;
    const timer = callTimeoutMs === undefined ? undefined : setTimeout(() => body.destroy(new CallTimeoutError(callTimeoutMs)), callTimeoutMs);
    // A body closes once read, dumped, destroyed or failed: the call is over then.
    body.once('close', () => {
      clearTimeout(timer);
      leave();
      done.ended();
    });
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { status: res.statusCode, headers: res.headers, body, signal, streaming: () => clearTimeout(timer) };
    }
    const text = await this.read(body, signal);
    throw this.redacted(this.options.parseError(res.statusCode, res.headers, text));
  }

  private limitKey(): string {
    return limitKey(this.options.upstream, this.options.credential);
  }

  /** Waits for the upstream budget (counted as queued meanwhile); the function returned gives it back. */
  private async budgeted(signal?: AbortSignal): Promise<() => void> {
    const { limiter, metrics, upstream } = this.options;
    if (!limiter) return () => {};
    metrics?.upstreamQueued.inc({ upstream });
    try {
      return await limiter.acquire(this.limitKey(), signal);
    } finally {
      metrics?.upstreamQueued.dec({ upstream });
    }
  }

  /** A 429: no call with this credential for its Retry-After (1 s when it names none, as Scaleway's). */
  private rateLimited(headers: UpstreamResponse['headers'] | undefined): void {
    this.options.limiter?.pause(this.limitKey(), retryAfterMs(headers) ?? 1_000);
  }

  /**
   * GET, parse and check an answer (`read`, at the boundary), through the cache when there is one:
   * a hit makes no upstream call (and counts none against the request's budget), and is parsed and
   * checked like a fresh answer. The cache key is the full request and the credential's hash.
   */
  async getParsed<T>(path: string, query: Query, read: (json: JsonValue) => T, { exact = false, finality }: ReadOptions<T> = {}): Promise<T> {
    const cache = this.options.cache;
    if (!cache) return read(await this.getJson(path, query, exact));
    let fresh: { value: T } | undefined;
    const { text, hit } = await cache.pages.read(
      `${this.credentialTag()}\n${this.options.baseUrl}${path}${buildQuery(query, true)}`,
      async () => {
        const answer = await this.getText(path, query, cache.refresh ? 'bypass' : 'miss');
        const value = read(this.parse(answer.text, path, exact, answer));
        fresh = { value };
        // Only an answer the parse accepted is stored.
        return { text: answer.text, finality: finality?.(value) ?? 'open' };
      },
      { refresh: cache.refresh, signal: this.options.budget?.signal },
    );
    if (hit) {
      this.options.budget?.hit();
      trace.getActiveSpan()?.addEvent('cache hit', { 'url.template': routeTemplate(path), 'billing_graph.upstream': this.options.upstream });
    }
    return fresh ? fresh.value : read(this.parse(text, path, exact));
  }

  /**
   * GET a JSON object whose array `array` is read row by row as the body arrives (see RowSplitter):
   * each element is handed to `onRow` as it comes, and the rest of the object to `rest` at the end.
   * No page-sized string or tree is made, so a report reading dozens of pages at once holds one row
   * each. Only where no answer is kept: with a cache that keeps answers, `fallback` reads the page
   * through it (its text is what the cache holds anyway).
   */
  async getRows<R>(path: string, query: Query, array: string, onRow: (value: JsonValue, index: number) => void, rest: (value: Record<string, JsonValue>) => R, fallback: () => Promise<R>): Promise<R> {
    if (this.options.cache?.pages.keeps) return fallback();
    const res = await this.get(path, query, {}, this.options.cache ? 'bypass' : 'none');
    let index = 0;
    let failure: unknown;
    let refused: unknown;
    const splitter = new RowSplitter(array, (text) => {
      const value = JSON.parse(text) as JsonValue;
      try {
        onRow(value, index++);
      } catch (error) {
        // The reader refused a row (its shape, its organization, its report's bounds): as it is.
        refused = error;
        throw error;
      }
    });
    const chunks = res.body[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await chunks.next();
      } catch (error) {
        // The body failed (cut, timed out, aborted): the transport's error.
        throw this.failure(error, res.signal);
      }
      if (next.done) break;
      try {
        splitter.feed(next.value as Uint8Array);
      } catch (error) {
        failure = error;
        break;
      }
    }
    if (failure !== undefined) {
      res.body.destroy();
      // A row the reader refused keeps its own error; anything else the splitter threw is the page's fault.
      if (failure === refused) throw failure;
      throw this.malformed(path, res, failure);
    }
    let value: Record<string, JsonValue>;
    try {
      value = splitter.end();
    } catch (error) {
      throw this.malformed(path, res, error);
    }
    return rest(value);
  }

  /** Text that is not the JSON expected is the upstream's fault, typed as such. */
  private malformed(path: string, answer: { status: number; headers: UpstreamResponse['headers'] } | undefined, cause: unknown): UpstreamError {
    const { upstream } = this.options;
    return this.redacted(new UpstreamBadResponseError(`${upstream} answered ${path} with malformed JSON`, { upstream, status: answer?.status, requestId: answer && requestIdOf(answer.headers), cause }));
  }

  private tag?: string;

  private credentialTag(): string {
    return (this.tag ??= credentialTag(this.options.credential));
  }

  /** The typed error for a call that failed: the request's own abort as it is, else the transport's. */
  private failure(error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted && signal.reason !== undefined) return signal.reason as Error;
    return this.redacted(callError(this.options.upstream, error));
  }

  /** A body as text, failing typed (a cut connection, a timeout, an abort). */
  async read(body: UpstreamResponse['body'], signal?: AbortSignal): Promise<string> {
    try {
      return await body.text();
    } catch (error) {
      throw this.failure(error, signal);
    }
  }

  /**
   * An upstream could echo a credential, in any case or in part, in any field of its error. Its own
   * words (`detail`) are for the log: cut of any piece of one. A structured field that holds one is
   * dropped, and so is a message that would name it: callers get the status alone then.
   */
  private redacted(error: UpstreamError): UpstreamError {
    const redactor = (this.redactor ??= new Redactor(this.options.secrets ?? [], { partial: true }));
    const fields = error as { -readonly [K in 'message' | 'detail' | 'type' | 'requestId' | 'argument']?: string };
    for (const key of ['type', 'requestId', 'argument'] as const) {
      const value = fields[key];
      if (value !== undefined && redactor.redact(value) !== value) fields[key] = undefined;
    }
    if (redactor.redact(error.message) !== error.message) fields.message = upstreamMessage(error.upstream, error.status ?? 0);
    if (error.detail !== undefined) fields.detail = redactor.redact(error.detail);
    return error;
  }

  /**
   * GET and parse JSON. `exact` keeps numbers as their source text where the upstream sends
   * money-like floats: `true` for every number ({@link parseJsonExact}), or the keys of those numbers
   * ({@link parseJsonExactKeys}, native speed when they are top-level).
   */
  async getJson(path: string, query: Query = {}, exact: boolean | readonly string[] = false): Promise<JsonValue> {
    const answer = await this.getText(path, query);
    return this.parse(answer.text, path, exact, answer);
  }

  /** A 2xx answer's body as text, with its status and headers. */
  private async getText(path: string, query: Query, cache: 'miss' | 'bypass' | 'none' = 'none'): Promise<{ text: string; status: number; headers: UpstreamResponse['headers'] }> {
    const res = await this.get(path, query, {}, cache);
    return { text: await this.read(res.body, res.signal), status: res.status, headers: res.headers };
  }

  /** JSON text → value (see getJson); malformed text is the upstream's fault, typed as such. */
  private parse(text: string, path: string, exact: boolean | readonly string[], answer?: { status: number; headers: UpstreamResponse['headers'] }): JsonValue {
    try {
      if (exact === true) return parseJsonExact(text);
      return exact ? parseJsonExactKeys(text, exact) : (JSON.parse(text) as JsonValue);
    } catch (error) {
      throw this.malformed(path, answer, error);
    }
  }
}

function requestIdOf(headers: UpstreamResponse['headers']): string | undefined {
  const id = headers['x-request-id'];
  return typeof id === 'string' ? id : undefined;
}
