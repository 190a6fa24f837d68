import { Readable } from 'node:stream';
import type { FetchAPI, Plugin, YogaLogger } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { mayReadOrganization } from '../access/caller.js';
import { callerOf } from '../access/request.js';
import type { FocusExportLimits } from '../config/limits.js';
import type { Services } from '../context.js';
import { upstreamExtensions } from '../errors.js';
import { csvHeader, csvLine } from '../focus/csv.js';
import type { FocusGrain } from '../focus/rows.js';
import { focusBatches, type FocusQuery } from '../focus/stream.js';
import { Budget, BudgetExceededError, ClientGoneError, DeadlineError } from '../lib/budget.js';
import { UUID } from '../lib/uuid.js';
import { UnsupportedQueryError, UpstreamError } from '../upstreams/errors.js';

/**
 * `GET /export/focus.csv?billingPeriod=YYYY-MM&grain=CONSUMPTION|CHARGE[&organizationId=…]`: the
 * rows of `Organization.focusRows`, as a FOCUS CSV file, streamed as the upstream pages arrive and
 * as fast as the client reads (one page held at a time). Authenticated and scoped as the graph is;
 * bounded by its own upstream calls and deadline (FOCUS_EXPORT_*). A failure before the first byte
 * is a coded JSON answer; after it, the connection is cut, so that a client never takes a shortened
 * file for a whole one.
 */

export const FOCUS_EXPORT_PATH = '/export/focus.csv';

const PARAMETERS = new Set(['billingPeriod', 'grain', 'organizationId']);
const GRAINS = new Set<FocusGrain>(['CONSUMPTION', 'CHARGE']);
const PERIOD = /^2\d{3}-(?:0[1-9]|1[0-2])$/;

function problem(fetchAPI: FetchAPI, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ error: { code, message, ...extra } }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

const badInput = (fetchAPI: FetchAPI, message: string, argument: string) => problem(fetchAPI, 400, 'BAD_USER_INPUT', message, { argument });

/** The query an export's URL asks for, or the answer refusing it (no upstream call made). */
function exportQuery(services: Services, request: Request, url: URL, fetchAPI: FetchAPI): FocusQuery | Response {
  const params = url.searchParams;
  for (const key of new Set(params.keys())) {
    if (!PARAMETERS.has(key)) return badInput(fetchAPI, `Unknown parameter \`${key.slice(0, 40)}\`: this export takes billingPeriod, grain and organizationId`, key.slice(0, 40));
    if (params.getAll(key).length > 1) return badInput(fetchAPI, `\`${key}\` is given more than once`, key);
  }
  const billingPeriod = params.get('billingPeriod');
  if (billingPeriod === null || !PERIOD.test(billingPeriod)) return badInput(fetchAPI, '`billingPeriod` must be a month as YYYY-MM, such as 2026-07', 'billingPeriod');
  if (billingPeriod > services.settings.now().toISOString().slice(0, 7)) return badInput(fetchAPI, '`billingPeriod` is in the future: nothing is billed yet', 'billingPeriod');
  const grain = (params.get('grain') ?? 'CONSUMPTION') as FocusGrain;
  if (!GRAINS.has(grain)) return badInput(fetchAPI, '`grain` must be CONSUMPTION or CHARGE', 'grain');
  const given = params.get('organizationId');
  if (given !== null && !UUID.test(given)) return badInput(fetchAPI, '`organizationId` must be a UUID', 'organizationId');
  const organizationId = (given ?? services.settings.defaultOrganizationId)?.toLowerCase();
  if (organizationId === undefined) return badInput(fetchAPI, 'No organizationId given and no default organization configured (SCW_DEFAULT_ORGANIZATION_ID)', 'organizationId');
  // "Not yours" and "not served" are one answer, with the graph's words.
  if (!mayReadOrganization(callerOf(request), services.settings, organizationId)) {
    return problem(fetchAPI, 404, 'NOT_FOUND', given === null ? 'Organization not found (the default organization)' : `Organization ${organizationId} not found`);
  }
  return { organizationId, billingPeriod, grain };
}

/** A failure in the export's own words: its limits are FOCUS_EXPORT_*, not the graph's. */
function reason(error: unknown, limits: FocusExportLimits): string {
  if (error instanceof DeadlineError) return `This export took longer than ${limits.timeoutMs} ms (FOCUS_EXPORT_TIMEOUT_MS)`;
  if (error instanceof BudgetExceededError) return `This export needs more than ${limits.maxUpstreamCalls} upstream calls (FOCUS_EXPORT_MAX_UPSTREAM_CALLS)`;
  return error instanceof Error ? error.message : String(error);
}

const STATUS: Record<string, number> = { UPSTREAM_TIMEOUT: 504, UPSTREAM_RATE_LIMITED: 503, UPSTREAM_BUSY: 503 };

/** A failure before the first byte, as a coded JSON answer; undefined for one nobody foresaw. */
function failureAnswer(fetchAPI: FetchAPI, error: unknown, limits: FocusExportLimits): Response | undefined {
  if (error instanceof UpstreamError) {
    const retry: Record<string, string> = error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) };
    return problem(fetchAPI, STATUS[error.code] ?? 502, error.code, error.message, { upstream: upstreamExtensions(error).upstream }, retry);
  }
  if (error instanceof DeadlineError) return problem(fetchAPI, 504, 'REQUEST_TIMEOUT', reason(error, limits), { limitMs: limits.timeoutMs, variable: 'FOCUS_EXPORT_TIMEOUT_MS' });
  if (error instanceof BudgetExceededError) {
    return problem(fetchAPI, 503, 'QUERY_TOO_COSTLY', reason(error, limits), { limit: limits.maxUpstreamCalls, variable: 'FOCUS_EXPORT_MAX_UPSTREAM_CALLS' });
  }
  if (error instanceof UnsupportedQueryError) return badInput(fetchAPI, error.message, error.argument ?? 'billingPeriod');
  if (error instanceof GraphQLError && error.extensions?.code === 'BAD_USER_INPUT') return badInput(fetchAPI, error.message, String(error.extensions.argument ?? ''));
  if (error instanceof ClientGoneError) return problem(fetchAPI, 499, 'CLIENT_CLOSED_REQUEST', error.message);
  return undefined;
}


/** The node:http response under a request (absent under `yoga.fetch`), to cut when a file cannot be finished. */
type NodeResponse = { destroy(error?: Error): void };

async function focusExport(services: Services, limits: FocusExportLimits, request: Request, url: URL, fetchAPI: FetchAPI, logger: YogaLogger, res?: NodeResponse): Promise<Response> {
  if (request.method !== 'GET') return problem(fetchAPI, 405, 'METHOD_NOT_ALLOWED', 'Use GET', {}, { allow: 'GET' });
  const query = exportQuery(services, request, url, fetchAPI);
  if (query instanceof fetchAPI.Response) return query;
  const caller = callerOf(request);
  // Its own budget, not the graph's: a whole month of rows takes more calls and time than a query.
  const budget = new Budget(limits.maxUpstreamCalls, Infinity, limits.timeoutMs, request.signal);
  const refresh = /(?:^|,)\s*no-cache\s*(?:,|$)/i.test(request.headers.get('cache-control') ?? '');
  const { billing, finops } = services.clientsFor(caller, budget, { refresh });
  if (billing.version !== 'v2beta1') {
    budget.end();
    // No argument is wrong: the gateway's configuration is.
    return problem(fetchAPI, 400, 'BAD_USER_INPUT', 'The FOCUS export needs Billing API v2beta1 (taxes and past periods)');
  }
  // Each row becomes its CSV line at once: a page waiting for a slow client holds lines, not rows.
  const batches = focusBatches({ billing, finops, finopsPageSize: services.settings.finopsPageSize, maxEmptyPages: services.settings.tokenPageLimits.emptyPages }, query, csvLine);
  const what = `FOCUS export ${query.billingPeriod} ${query.grain}`;

  // The first page before the answer: a failure there is a coded answer, not a cut file.
  let first: IteratorResult<string[]>;
  try {
    first = await batches.next();
  } catch (error) {
    budget.end();
    const answer = failureAnswer(fetchAPI, error, limits);
    if (answer) return answer;
    throw error;
  }

  let rows = first.done ? 0 : first.value.length;
  let pending: string | undefined = csvHeader() + (first.done ? '' : first.value.join(''));
  let finished = first.done === true;
  let over = false;
  let reading = false;
  const end = () => {
    over = true;
    budget.end();
    budget.signal.removeEventListener('abort', onAbort);
  };
  /** The next chunk of the file (a page of rows), or null at its end. */
  const nextChunk = async (): Promise<string | null> => {
    if (pending !== undefined) {
      const chunk = pending;
      pending = undefined;
      return chunk;
    }
    if (finished) return null;
    const next = await batches.next();
    if (next.done) return null;
    rows += next.value.length;
    return next.value.join('');
  };
  /**
   * A Node stream, not a web one: its buffer is bounded in bytes (a page at a time, read again only
   * once the client has taken it), and a failure reaches a `fetch` reader as an error (the web
   * stream of the fetch ponyfill swallows it, and the body would hang).
   */
  const body: Readable = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (!reading && !over) void pump();
    },
    destroy(error, callback) {
      // The client went (or the file was cut): the upstream reading stops too.
      if (!over) end();
      void batches.return(undefined).catch(() => {});
      callback(error);
    },
  });
  const pump = async () => {
    reading = true;
    try {
      for (let more = true; more && !over; ) {
        const chunk = await nextChunk();
        if (over) return;
        if (chunk === null) {
          end();
          // The request's log line left with the headers: this one says what the file held.
          logger.info(`${what}: ${rows} rows, ${budget.calls} upstream calls`);
          body.push(null);
          return;
        }
        more = body.push(Buffer.from(chunk, 'utf8'));
      }
    } catch (error) {
      fail(error);
    } finally {
      reading = false;
    }
  };
  /** The file cannot be finished: the client must see the transfer end early, never end cleanly. */
  const fail = (error: unknown) => {
    if (over) return;
    end();
    const text = `${what} cut after ${rows} rows: ${reason(error, limits)}`;
    if (error instanceof ClientGoneError) logger.debug(text);
    else logger.warn(text);
    void batches.return(undefined).catch(() => {});
    if (res) {
      // On a socket: the connection goes, before the chunked body's last chunk.
      res.destroy();
      body.push(null);
    } else body.destroy(new Error(`The export was cut: ${reason(error, limits)}`));
  };
  // The deadline (or the client going) also ends a transfer that waits on a slow reader, not only on the upstream.
  const onAbort = () => fail(budget.signal.reason);
  budget.signal.addEventListener('abort', onAbort, { once: true });

  return new fetchAPI.Response(body as unknown as BodyInit, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="focus-${query.organizationId}-${query.billingPeriod}-${query.grain}.csv"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The route, beside /graphql; after authentication, which admits the caller it scopes. */
export function useFocusExport(services: Services, limits: FocusExportLimits, logger: YogaLogger): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname !== FOCUS_EXPORT_PATH) return;
      const node = serverContext as { req?: { httpVersion?: string }; res?: NodeResponse } | undefined;
      // HTTP/1.0 has no chunked encoding: a file cut short would end as a whole one does, by closing.
      // (Read from node:http's request; `yoga.fetch` has none and streams in memory.)
      if (node?.req?.httpVersion === '1.0') {
        return endResponse(
          problem(fetchAPI, 505, 'HTTP_VERSION_NOT_SUPPORTED', 'The export is streamed in chunks, so that a file cut short is never taken for a whole one: use HTTP/1.1 (behind a proxy: proxy_http_version 1.1)'),
        );
      }
      return focusExport(services, limits, request, url, fetchAPI, logger, node?.res)
        .catch((error: unknown) => {
          logger.error(error);
          return problem(fetchAPI, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error');
        })
        .then(endResponse);
    },
  };
}
