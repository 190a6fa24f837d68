import { UpstreamBadResponseError } from '../upstreams/errors.js';
import { chunks } from '../lib/chunks.js';
import { timestampMicros } from '../lib/time.js';
import type { Charge, ChargeQuery } from '../upstreams/scaleway/model.js';
import { type CostKey, CostSums, idPart, ReportAllowance, toNanos } from './sums.js';
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
  /** One upstream page of charges (clamped to the query's window), row by row as it arrives. */
  eachPage(query: ChargeQuery, token: string | undefined, onRow: (charge: Charge) => void): Promise<{ nextToken?: string; rows: number }>;
  /** Most pages one walk follows, and empty pages in a row (as for the charges connection). */
  limits: { pages: number; emptyPages: number };
  /** Sub-windows read at once, at most. */
  split: number;
  /** Resource ids per upstream call: a longer filter is read as several walks. */
  idsPerCall: number;
  walks: SharedWalks<Charge>;
  /** What the reports of the request may hold, together. */
  allowance?: ReportAllowance;
}

const keyOf: Record<ChargeDimension, (c: Charge) => CostKey> = {
  PROJECT: (c) => ({ dimension: 'PROJECT', id: c.projectId ?? null, name: c.projectName ?? null }),
  RESOURCE: (c) => ({ dimension: 'RESOURCE', id: c.resourceId ?? null, name: c.resourceName ?? null }),
  SKU: (c) => ({ dimension: 'SKU', id: c.sku ?? null, name: null }),
  INVOICE: (c) => ({ dimension: 'INVOICE', id: c.invoiceId ?? null, name: null }),
};

/** The row field each dimension's id is. */
const idField = { PROJECT: 'projectId', RESOURCE: 'resourceId', SKU: 'sku', INVOICE: 'invoiceId' } as const satisfies Record<ChargeDimension, keyof Charge>;

const iso = (us: bigint) => new Date(Number(us / US_PER_MS)).toISOString();

/**
 * A charge report: the window is cut into day-aligned sub-windows (see `subWindows`), each read as
 * its own walk of clamped pages, concurrently; every charge is summed as it arrives. A charge is
 * spread over the buckets it overlaps by time (`splitByTime`): over its period as sent, cut to the
 * sub-window it was read for (the same whether or not the upstream rewrites a clamped charge's
 * dates; its price is the slice's either way).
 */
export async function chargeReport(query: ChargeReportQuery, reading: ChargeReading): Promise<CostSums> {
  const buckets = bucketsOf(query.from, query.to, query.granularity);
  const sums = new CostSums(buckets, reading.allowance ?? new ReportAllowance());
  const keys = (c: Charge) => query.groupBy.map((d) => keyOf[d](c));
  // The group's id straight from the row's fields: no key objects for a row of a known group.
  const [first, second] = query.groupBy.map((d) => idField[d]);
  const id = (c: Charge) => (first === undefined ? '' : second === undefined ? idPart(c[first]) : idPart(c[first]) + idPart(c[second]));
  // Rows of a window share few instants (a day's charges start at its midnight): each parsed once.
  const instants = new Map<string, bigint>();
  const micros = (text: string) => {
    let us = instants.get(text);
    if (us === undefined) {
      if (instants.size > 10_000) instants.clear();
      instants.set(text, (us = timestampMicros(text)));
    }
    return us;
  };
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
      return reading.walks.join(JSON.stringify(upstream), (emit) => walk(upstream, reading, emit), (charge) => addRow(charge, window, buckets, sums, { id, keys, micros }));
    }),
  );
  await bounded(tasks, reading.split);
  return sums;
}

/** Follows one query's tokens to the end, within the page bounds (reports and reconciliation). */
export async function walk(query: ChargeQuery, reading: Pick<ChargeReading, 'eachPage' | 'limits'>, emit: (charge: Charge) => void): Promise<void> {
  const { pages, emptyPages } = reading.limits;
  let token: string | undefined;
  let empty = 0;
  for (let n = 1; ; n++) {
    if (n > pages) throw new UpstreamBadResponseError(`scaleway needed more than ${pages} pages for one walk of charges (MAX_TOKEN_PAGES); ask for less: a narrower window, a filter, fewer invoices`, { upstream: 'scaleway' });
    const page = await reading.eachPage(query, token, emit);
    if (!page.nextToken) return;
    empty = page.rows === 0 ? empty + 1 : 0;
    if (empty > emptyPages) throw new UpstreamBadResponseError(`scaleway answered more than ${emptyPages} empty pages in a row, each with a next token (MAX_EMPTY_TOKEN_PAGES)`, { upstream: 'scaleway' });
    token = page.nextToken;
  }
}

interface RowReading {
  id(c: Charge): string;
  keys(c: Charge): CostKey[];
  micros(text: string): bigint;
}

function addRow(charge: Charge, window: Bucket, buckets: readonly Bucket[], sums: CostSums, row: RowReading): void {
  const start = row.micros(charge.startDate);
  // The end is inclusive, to the microsecond.
  const end = row.micros(charge.endDate) + 1n;
  const from = start > window.start ? start : window.start;
  const to = end < window.end ? end : window.end;
  if (from >= to) {
    throw new UpstreamBadResponseError(`scaleway answered a charge (${charge.startDate} – ${charge.endDate}) outside the window asked for`, { upstream: 'scaleway' });
  }
  const first = bucketIndex(buckets, from);
  const nanos = toNanos(charge.price);
  // Most charges lie in one bucket: one piece, no split.
  const pieces: (readonly [number, bigint])[] = to <= buckets[first]!.end ? [[first, nanos]] : splitByTime(nanos, from, to, buckets, first);
  sums.addTo(row.id(charge), () => row.keys(charge), charge.price.currency, pieces);
}
