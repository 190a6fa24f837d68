import { UpstreamBadResponseError } from '../upstreams/errors.js';
import { timestampMicros } from '../lib/time.js';
import type { Charge, ChargeQuery, TokenPage } from '../upstreams/scaleway/model.js';
import { type CostKey, CostSums, ReportAllowance, toNanos } from './sums.js';
import { splitByTime } from './split.js';
import { bounded, type SharedWalks } from './walks.js';
import { type Bucket, bucketIndex, bucketsOf, type Granularity, subWindows, US_PER_MS } from './window.js';

export type ChargeDimension = 'PROJECT' | 'RESOURCE' | 'SKU' | 'INVOICE';

export interface ChargeReportQuery {
  organizationId: string;
  /** µs, half-open. */
  from: bigint;
  to: bigint;
  granularity: Granularity;
  groupBy: ChargeDimension[];
  filter: Pick<ChargeQuery, 'projectIds' | 'resourceIds' | 'resourceNames' | 'skus' | 'invoiceIds'>;
}

export interface ChargeReading {
  /** One upstream page of charges (clamped to the query's window). */
  fetchPage(query: ChargeQuery, token: string | undefined): Promise<TokenPage<Charge>>;
  /** Most pages one walk follows, and empty pages in a row (as for the charges connection). */
  limits: { pages: number; emptyPages: number };
  /** Sub-windows read at once, at most. */
  split: number;
  /** Resource ids per upstream call: a longer filter is read as several walks. */
  idsPerCall: number;
  walks: SharedWalks<TokenPage<Charge>>;
  /** What the reports of the request may hold, together. */
  allowance?: ReportAllowance;
}

const keyOf: Record<ChargeDimension, (c: Charge) => CostKey> = {
  PROJECT: (c) => ({ dimension: 'PROJECT', id: c.projectId ?? null, name: c.projectName ?? null }),
  RESOURCE: (c) => ({ dimension: 'RESOURCE', id: c.resourceId ?? null, name: c.resourceName ?? null }),
  SKU: (c) => ({ dimension: 'SKU', id: c.sku ?? null, name: null }),
  INVOICE: (c) => ({ dimension: 'INVOICE', id: c.invoiceId ?? null, name: null }),
};

const iso = (us: bigint) => new Date(Number(us / US_PER_MS)).toISOString();

function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * A charge report: the window is cut into day-aligned sub-windows (see `subWindows`), each read as
 * its own walk of clamped pages, concurrently; every page is summed as it arrives. A charge is
 * spread over the buckets it overlaps by time (`splitByTime`): over its period as sent, cut to the
 * sub-window it was read for (the same whether or not the upstream rewrites a clamped charge's
 * dates; its price is the slice's either way).
 */
export async function chargeReport(query: ChargeReportQuery, reading: ChargeReading): Promise<CostSums> {
  const buckets = bucketsOf(query.from, query.to, query.granularity);
  const sums = new CostSums(buckets, reading.allowance ?? new ReportAllowance());
  const keys = (c: Charge) => query.groupBy.map((d) => keyOf[d](c));
  const idChunks = query.filter.resourceIds ? chunks(query.filter.resourceIds, reading.idsPerCall) : [undefined];
  const tasks = subWindows(query.from, query.to, reading.split).flatMap((window) =>
    idChunks.map((resourceIds) => () => {
      const upstream: ChargeQuery = {
        organizationId: query.organizationId,
        startDateAfter: iso(window.start),
        endDateBefore: iso(window.end),
        clampToTimeRange: true,
        ...query.filter,
        resourceIds,
        orderBy: 'start_date_asc',
      };
      return reading.walks.join(JSON.stringify(upstream), (emit) => walk(upstream, reading, emit), (page) => addPage(page, window, buckets, sums, keys));
    }),
  );
  await bounded(tasks, reading.split);
  return sums;
}

/** Follows one query's tokens to the end, within the page bounds. */
async function walk(query: ChargeQuery, reading: ChargeReading, emit: (page: TokenPage<Charge>) => void): Promise<void> {
  const { pages, emptyPages } = reading.limits;
  let token: string | undefined;
  let empty = 0;
  for (let n = 1; ; n++) {
    if (n > pages) throw new UpstreamBadResponseError(`scaleway needed more than ${pages} pages for one sub-window of a report (MAX_TOKEN_PAGES); ask for a narrower window or filter`, { upstream: 'scaleway' });
    const page = await reading.fetchPage(query, token);
    emit(page);
    if (!page.nextToken) return;
    empty = page.rows.length === 0 ? empty + 1 : 0;
    if (empty > emptyPages) throw new UpstreamBadResponseError(`scaleway answered more than ${emptyPages} empty pages in a row, each with a next token (MAX_EMPTY_TOKEN_PAGES)`, { upstream: 'scaleway' });
    token = page.nextToken;
  }
}

function addPage(page: TokenPage<Charge>, window: Bucket, buckets: readonly Bucket[], sums: CostSums, keys: (c: Charge) => CostKey[]): void {
  for (const charge of page.rows) {
    const start = timestampMicros(charge.startDate);
    // The end is inclusive, to the microsecond.
    const end = timestampMicros(charge.endDate) + 1n;
    const from = start > window.start ? start : window.start;
    const to = end < window.end ? end : window.end;
    if (from >= to) {
      throw new UpstreamBadResponseError(`scaleway answered a charge (${charge.startDate} – ${charge.endDate}) outside the window asked for`, { upstream: 'scaleway' });
    }
    const first = bucketIndex(buckets, from);
    sums.add(keys(charge), charge.price.currency, splitByTime(toNanos(charge.price), from, to, buckets, first));
  }
}
