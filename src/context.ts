import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Caller } from './access/caller.js';
import { callerOf } from './access/request.js';
import type { ClientOptions, Clients } from './clients.js';
import { Budget } from './lib/budget.js';
import type { Keyring } from './lib/keys.js';
import type { UpstreamName } from './upstreams/errors.js';
import type { ScalrClient } from './upstreams/scalr/client.js';
import type { ScalrAccount, UsageQuery, UsageStatistic } from './upstreams/scalr/model.js';
import { filteredSource, type OffsetSource, type UpstreamPage } from './pagination/offset.js';
import type { TotalHints } from './pagination/totals.js';
import type { ReportBounds } from './reports/sums.js';
import { BILLING_MAX_PAGE_SIZE } from './upstreams/scaleway/client.js';
import type {
  Charge,
  ChargeQuery,
  Consumption,
  ConsumptionPage,
  ConsumptionQuery,
  Discount,
  DiscountQuery,
  Invoice,
  InvoiceQuery,
  PageRequest,
  TokenPage,
} from './upstreams/scaleway/model.js';
import { consumptionIdentity } from './upstreams/scaleway/model.js';

/** What the graph needs of the configuration; built once from `Config` in the gateway. */
export interface GraphSettings {
  /** Used by `organization` without `id`. */
  defaultOrganizationId?: string;
  /** Organizations this gateway serves; null means any the upstream key can read. */
  organizationIds: ReadonlySet<string> | null;
  /** Base of `Invoice.downloadUrl`; the request's own origin when unset. */
  publicUrl?: string;
  now: () => Date;
  /** `page_size` of FinOps charge calls (1..1000). */
  finopsPageSize: number;
  /** Resource ids per FinOps call; longer filters are split into several calls and merged. */
  finopsMaxIdsPerCall: number;
  /** Sub-windows a charge report reads at once, at most (`REPORT_SPLIT`). */
  reportSplit: number;
  /** What the reports of one request may hold in memory together (REPORT_BOUNDS when unset). */
  reportBounds?: ReportBounds;
  /** Used by `scalrAccount` without `id`. */
  defaultScalrAccountId?: string;
  /** Scalr accounts this gateway serves; null means any the token can see (verified upstream). */
  scalrAccountIds: ReadonlySet<string> | null;
  /** `page[size]` of Scalr lists. */
  scalrPageSize: number;
  /** List totals seen earlier in this process, so that windows fetch all their pages at once. */
  totalHints?: TotalHints;
  /** Signs cursors and invoice links (`GATEWAY_SIGNING_KEYS`). */
  keys: Keyring;
  /** How long an invoice PDF link stays valid, seconds. */
  pdfLinkTtlSeconds: number;
  /** Most pages one token read follows, and most empty pages in a row (`MAX_TOKEN_PAGES`, `MAX_EMPTY_TOKEN_PAGES`). */
  tokenPageLimits: { pages: number; emptyPages: number };
}

/** Long-lived services shared by every request. */
export interface Services {
  settings: GraphSettings;
  /** The clients of a request: with the gateway's credentials or (passthrough) the caller's, counting calls against its budget. */
  clientsFor(caller: Caller, budget?: Budget, options?: ClientOptions): Clients;
  /** What one request may spend (every operation of a batch together), and its deadline. */
  limits: { maxUpstreamCalls: number; maxResponseRows: number; requestTimeoutMs?: number };
}

/** A page-number list: the query that selects it and a page of it. */
interface PageKey<Q> {
  query: Q;
  page: number;
}

/**
 * One DataLoader per upstream list, per request: the same page asked for by two aliases or two
 * fragments is one call, and pages of one list fetched for different fields are shared.
 */
function pageLoader<Q, T>(fetch: (query: Q, page: PageRequest) => Promise<T>, pageSize = BILLING_MAX_PAGE_SIZE): DataLoader<PageKey<Q>, T, string> {
  // A connection asks for several pages of one query object: its key is computed once.
  const queryKeys = new WeakMap<object, string>();
  const queryKey = (query: Q) => {
    if (typeof query !== 'object' || query === null) return stableKey(query);
    let key = queryKeys.get(query);
    if (key === undefined) queryKeys.set(query, (key = stableKey(query)));
    return key;
  };
  return new DataLoader<PageKey<Q>, T, string>(
    eachKey((k) => fetch(k.query, { page: k.page, pageSize })),
    { cacheKeyFn: (key) => `${key.page} ${queryKey(key.query)}` },
  );
}

/**
 * A DataLoader batch function for upstreams without a batch endpoint: one call per key, all at once;
 * a failed key fails alone (DataLoader hands its Error to that key's loader only).
 */
export function eachKey<K, V>(load: (key: K) => Promise<V>): (keys: readonly K[]) => Promise<(V | Error)[]> {
  // Called inside a promise: a load that throws at once (no Scalr configured) fails its key with its
  // own typed error, never the whole batch with DataLoader's "errored synchronously".
  return (keys) => Promise.all(keys.map((key) => Promise.resolve(key).then(load).catch(toError)));
}

/** Scalr is optional: without a token its fields say so, and nothing calls it. */
export function requireScalr(scalr: ScalrClient | undefined): ScalrClient {
  if (!scalr) throw new GraphQLError('Scalr is not configured on this gateway (SCALR_TOKEN)', { extensions: { code: 'UPSTREAM_NOT_CONFIGURED', upstream: 'scalr' } });
  return scalr;
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** JSON with sorted keys, so that equal queries built in different orders share a cache entry. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function createLoaders({ billing, finops, scalr }: Clients, settings: GraphSettings) {
  return {
    usage: pageLoader<UsageQuery, UpstreamPage<UsageStatistic>>(
      (q, p) => requireScalr(scalr).listUsageStatistics(q, p.page, p.pageSize),
      settings.scalrPageSize,
    ),
    /** Scalr accounts by id, to verify one when no account list is configured. */
    scalrAccounts: new DataLoader<string, ScalrAccount>(eachKey((id) => requireScalr(scalr).getAccount(id))),
    invoices: pageLoader<InvoiceQuery, UpstreamPage<Invoice>>((q, p) => billing.listInvoices(q, p)),
    consumptions: pageLoader<ConsumptionQuery, ConsumptionPage>((q, p) => billing.listConsumptions(q, p)),
    discounts: pageLoader<DiscountQuery, UpstreamPage<Discount>>((q, p) => billing.listDiscounts(q, p)),
    /** FinOps charge pages by query and page token. */
    chargePages: new DataLoader<{ query: ChargeQuery; token?: string }, TokenPage<Charge>, string>(
      eachKey((k) => finops.listCharges(k.query, settings.finopsPageSize, k.token)),
      { cacheKeyFn: (key) => stableKey(key) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Per-request context. */
export interface Context extends Clients {
  /** Who is asking, and what they may read. */
  caller: Caller;
  settings: GraphSettings;
  loaders: Loaders;
  /** Where this gateway is reached, for URLs it hands out. */
  origin: string;
  /** What this request has spent and may still spend. */
  budget: Budget;
  sources: ReturnType<typeof createSources>;
}

/** Rows that name their organization (v2alpha1 rows do not: the query does). */
export type Scoped<T> = T & { organizationId: string };

function scoped<Q extends { organizationId: string }, T>(
  make: (query: Q) => OffsetSource<T, UpstreamPage<T>>,
): (query: Q) => OffsetSource<Scoped<T>, UpstreamPage<Scoped<T>>> {
  return (query) => {
    const source = make(query);
    return {
      ...source,
      // The rows are this request's own (from its DataLoader): naming their organization in place
      // keeps their shape; a spread copy per row cost more than parsing them.
      fetchPage: (page) =>
        source.fetchPage(page).then((p) => {
          for (const row of p.rows) (row as Scoped<T>).organizationId = query.organizationId;
          return p as unknown as UpstreamPage<Scoped<T>>;
        }),
    };
  };
}

/** The upstream lists as sources for the pagination adapter. */
/** A row's identity in a page-number list, so that a read meeting one twice fails (see OffsetSource). */
const byId = (row: { id: string }) => row.id;
const usageIdentity = (u: UsageStatistic) => u.id ?? `${u.date ?? ''}\u0000${u.breakdownId ?? ''}`;

function createSources(loaders: Loaders, settings: GraphSettings, budget: Budget, caller: Caller) {
  // Totals seen with one credential never plan another's reads (passthrough callers bring their own).
  const tenant = (credential: string | undefined) => (credential ? createHash('sha256').update(credential).digest('base64url') : '');
  const source =
    <Q, T, P extends UpstreamPage<T>>(name: string, loader: DataLoader<PageKey<Q>, P, string>, identity: (row: T) => string, upstream: UpstreamName = 'scaleway', pageSize = BILLING_MAX_PAGE_SIZE) =>
    (query: Q): OffsetSource<T, P> => ({
      name,
      filter: query,
      upstream,
      pageSize,
      fetchPage: (page) => loader.load({ query, page }),
      hints: settings.totalHints,
      tenant: tenant(upstream === 'scaleway' ? caller.scalewayKey : caller.scalrToken),
      identity,
      keys: settings.keys,
      budget,
    });
  return {
    invoices: scoped(source<InvoiceQuery, Invoice, UpstreamPage<Invoice>>('Organization.invoices', loaders.invoices, byId)),
    /** One project's rows are read from its organization's list and kept here (see ConsumptionQuery). */
    consumptions: (query: ConsumptionQuery, projectId?: string): OffsetSource<Consumption, ConsumptionPage> => {
      const whole = source<ConsumptionQuery, Consumption, ConsumptionPage>('Organization.consumptions', loaders.consumptions, consumptionIdentity)(query);
      if (projectId === undefined) return whole;
      const id = projectId.toLowerCase();
      return filteredSource(
        whole,
        { ...query, projectId: id },
        (row) => row.projectId?.toLowerCase() === id,
        // The upstream's discount total is of the whole organization: none for one project, as upstream.
        (rows, totalCount, first) => ({ rows, totalCount, updatedAt: first.updatedAt }),
      );
    },
    discounts: scoped(source<DiscountQuery, Discount, UpstreamPage<Discount>>('Organization.discounts', loaders.discounts, byId)),
    usage: source<UsageQuery, UsageStatistic, UpstreamPage<UsageStatistic>>('ScalrAccount.usageStatistics', loaders.usage, usageIdentity, 'scalr', settings.scalrPageSize),
  };
}

/** One budget per HTTP request: the operations of a batch share it. */
const budgets = new WeakMap<Request, Budget>();

function budgetOf(services: Services, request: Request): Budget {
  let budget = budgets.get(request);
  if (!budget) {
    const { maxUpstreamCalls, maxResponseRows, requestTimeoutMs } = services.limits;
    budgets.set(request, (budget = new Budget(maxUpstreamCalls, maxResponseRows, requestTimeoutMs, request.signal)));
  }
  return budget;
}

/** What a request spent: upstream calls made, answers taken from the cache (undefined: it ran no operation). */
export function spentBy(request: Request): { calls: number; hits: number } | undefined {
  const budget = budgets.get(request);
  return budget && { calls: budget.calls, hits: budget.hits };
}

/** The request's answer has left (see Budget.end). */
export function endBudget(request: Request): void {
  budgets.get(request)?.end();
}

export function createContext(services: Services, request: Request): Context {
  const caller = callerOf(request);
  const budget = budgetOf(services, request);
  // `Cache-Control: no-cache`: the caller wants today's figures, not the cache's.
  const refresh = /(?:^|,)\s*no-cache\s*(?:,|$)/i.test(request.headers.get('cache-control') ?? '');
  const clients = services.clientsFor(caller, budget, { refresh });
  const loaders = createLoaders(clients, services.settings);
  return {
    ...clients,
    caller,
    settings: services.settings,
    loaders,
    sources: createSources(loaders, services.settings, budget, caller),
    origin: services.settings.publicUrl ?? new URL(request.url).origin,
    budget,
  };
}
