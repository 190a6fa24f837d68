import type { Dispatcher } from 'undici';
import type { Budget } from '../../lib/budget.js';
import type { Page } from '../../lib/page.js';
import { UpstreamBadRequestError, UpstreamBadResponseError } from '../errors.js';
import type { Limiter } from '../../fleet/limiter.js';
import type { Metrics } from '../../observe/metrics.js';
import { usageClosed } from '../finality.js';
import { UpstreamHttp, type UpstreamHttpOptions, type Query } from '../http.js';
import type { Gate } from '../pool.js';
import { parseWire } from '../wire-reader.js';
import type { ScalrAccount, UsageQuery, UsageStatistic } from './model.js';
import { account, type JsonApiPage, scalrError, usagePage } from './unmarshal.js';

export interface ScalrOptions {
  /** API base, e.g. `https://acme.scalr.io/api/iacp/v3` (see `scalrBaseUrl` in config). */
  baseUrl: string;
  token: string;
  dispatcher: Dispatcher;
  /** `Prefer: profile=<this>`; undefined sends no Prefer header. */
  preferProfile?: string;
  /** Bounds the Scalr calls waiting. */
  gate?: Gate;
  /** The request's budget of upstream calls, and its abort signal. */
  budget?: Budget;
  /** Longest time one call may take (ms). */
  callTimeoutMs?: number;
  /** The gateway's cache of answers, and whether this request re-reads them. */
  cache?: UpstreamHttpOptions['cache'];
  metrics?: Metrics;
  limiter?: Limiter;
  /** The clock deciding which usage can no longer change. */
  now?: () => Date;
}

/**
 * A page whose rows all belong to the account asked for: a row naming another account means the
 * upstream did not scope the list, and is never served. Without the account filter (`unfiltered`),
 * a row must name its account to be served at all.
 */
function ofAccount(page: JsonApiPage<UsageStatistic>, accountId: string, unfiltered: boolean): JsonApiPage<UsageStatistic> {
  for (const row of page.rows) {
    const named = row.accountId?.toLowerCase();
    if (named === undefined ? unfiltered : named !== accountId.toLowerCase()) {
      throw new UpstreamBadResponseError(`Scalr answered usage of ${named === undefined ? 'an unnamed account' : 'another account'} than the one asked for`, { upstream: 'scalr', status: 200 });
    }
  }
  return page;
}

/** Page `page` of a list read whole. */
function slice<T>(rows: T[], page: number, pageSize: number): Page<T> {
  const start = (page - 1) * pageSize;
  return { rows: rows.slice(start, start + pageSize), totalCount: rows.length };
}

/** Scalr `/api/iacp/v3` client: JSON:API in, domain objects out. */
export class ScalrClient {
  private readonly http: UpstreamHttp;
  private readonly now: () => Date;

  constructor(options: ScalrOptions) {
    this.now = options.now ?? (() => new Date());
    this.http = new UpstreamHttp({
      upstream: 'scalr',
      baseUrl: options.baseUrl,
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/vnd.api+json',
        'user-agent': 'billing-graph/0.1',
        ...(options.preferProfile ? { prefer: `profile=${options.preferProfile}` } : {}),
      },
      dispatcher: options.dispatcher,
      gate: options.gate,
      budget: options.budget,
      callTimeoutMs: options.callTimeoutMs,
      secrets: [options.token],
      credential: options.token,
      cache: options.cache,
      metrics: options.metrics,
      limiter: options.limiter,
      missingCredentials: options.token ? undefined : 'No Scalr token: send one as X-Scalr-Token',
      parseError: scalrError,
    });
  }

  /**
   * `GET /usage-statistics`, one page. The current spec declares no paging on this endpoint; the
   * seed shows `meta.pagination`: `page[number]`/`page[size]` are sent, and a document without
   * pagination is taken whole (following `links.next`) and paged here.
   */
  async listUsageStatistics(query: UsageQuery, page: number, pageSize: number): Promise<Page<UsageStatistic>> {
    const key = JSON.stringify([query.accountId, query.from, query.to, query.breakdownBy ?? null, query.total]);
    const known = this.unpaged.get(key);
    if (known) return slice(await known, page, pageSize);
    const params: Query = {
      'filter[date]': `between:${query.from},${query.to}`,
      'filter[account]': query.accountId,
      breakdown_by: query.breakdownBy,
      total: query.total ? 'true' : undefined,
      'page[number]': page,
      'page[size]': pageSize,
    };
    let first: JsonApiPage<UsageStatistic>;
    // Without the filter, whose rows come back is the token's choice: each must then name the account.
    let unfiltered = false;
    const closed = usageClosed(query.to, this.now());
    const read = (path: string, search: Query = {}) =>
      this.http.getParsed(path, search, (json) => ofAccount(parseWire('scalr', json, usagePage), query.accountId, unfiltered), { finality: () => closed });
    try {
      first = await read('/usage-statistics', params);
    } catch (error) {
      // Older docs require filter[account]; the current spec allows it only for Control Tower
      // parents. If this server refuses it, ask without, and serve only rows of the account asked.
      if (!(error instanceof UpstreamBadRequestError) || error.argument !== 'filter[account]') throw error;
      delete params['filter[account]'];
      unfiltered = true;
      first = await read('/usage-statistics', params);
    }
    if (first.pagination) return { rows: first.rows, totalCount: first.pagination.totalCount };
    // No pagination metadata: the whole list through links.next, read once per query (a client
    // serves one request), then paged locally.
    const whole = this.unpaged.get(key) ?? this.walk(first, read);
    this.unpaged.set(key, whole);
    return slice(await whole, page, pageSize);
  }

  /** Lists without paging metadata, walked whole once per query. */
  private readonly unpaged = new Map<string, Promise<UsageStatistic[]>>();

  /** Every row of a list from its first document on, following `links.next`. */
  private async walk(first: JsonApiPage<UsageStatistic>, read: (path: string, search: Query) => Promise<JsonApiPage<UsageStatistic>>): Promise<UsageStatistic[]> {
    const rows = [...first.rows];
    const seen = new Set<string>();
    for (let next = first.next; next; ) {
      if (seen.has(next)) throw new UpstreamBadResponseError('Scalr repeated a links.next URL', { upstream: 'scalr' });
      seen.add(next);
      // Only the path and query of the link are used, against our own base: the token never goes to another host.
      const url = new URL(next);
      if (!url.pathname.endsWith('/usage-statistics')) throw new UpstreamBadResponseError('Scalr sent a links.next to another endpoint', { upstream: 'scalr' });
      // Its query as parameters (repeated keys kept): the path stays the route, for metrics and traces.
      const search: Query = {};
      for (const name of new Set(url.searchParams.keys())) {
        const values = url.searchParams.getAll(name);
        search[name] = values.length === 1 ? values[0] : values;
      }
      const page = await read('/usage-statistics', search);
      rows.push(...page.rows);
      next = page.next;
    }
    return rows;
  }

  /** `GET /accounts/{id}`: 404 when unknown or not visible with this token. */
  async getAccount(accountId: string): Promise<ScalrAccount> {
    return this.http.getParsed(`/accounts/${encodeURIComponent(accountId)}`, {}, (json) => parseWire('scalr', json, account));
  }
}
