import { chunks } from '../lib/chunks.js';
import { walk } from '../reports/charges.js';
import type { Charge, ChargeQuery } from '../upstreams/scaleway/model.js';
import { US_PER_MS } from '../reports/window.js';
import { ChargeTally } from './tally.js';

/** An invoice to tally, with its billing period in µs (half-open). */
export interface TallyRequest {
  invoiceId: string;
  periodStart: bigint;
  periodEnd: bigint;
}

export interface TallyReading {
  eachPage(query: ChargeQuery, token: string | undefined, onRow: (charge: Charge) => void): Promise<{ nextToken?: string; rows: number }>;
  limits: { pages: number; emptyPages: number };
  /** Invoice ids per upstream call. */
  idsPerCall: number;
  /** Months read before the earliest period and after the latest (late charges). */
  marginMonths: number;
}

const monthShift = (us: bigint, months: number) => {
  const d = new Date(Number(us / US_PER_MS));
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)).toISOString();
};

/**
 * The charges on several invoices of one organization, in as few walks as the ids-per-call limit
 * allows: one query filtered by all their `invoice_ids`, over one window spanning their billing
 * periods and a margin either side (FinOps answers only a window; without dates, the current month).
 * Unclamped: a charge counts whole, on the invoice it names. Rows are tallied as they arrive.
 */
export async function tallyCharges(organizationId: string, invoices: readonly TallyRequest[], reading: TallyReading): Promise<Map<string, ChargeTally>> {
  const tallies = new Map(invoices.map((i) => [i.invoiceId, new ChargeTally(i.periodStart, i.periodEnd)]));
  if (invoices.length === 0) return tallies;
  const from = invoices.reduce((min, i) => (i.periodStart < min ? i.periodStart : min), invoices[0]!.periodStart);
  const to = invoices.reduce((max, i) => (i.periodEnd > max ? i.periodEnd : max), invoices[0]!.periodEnd);
  const ids = [...tallies.keys()].sort();
  for (const invoiceIds of chunks(ids, reading.idsPerCall)) {
    const query: ChargeQuery = {
      organizationId,
      invoiceIds,
      startDateAfter: monthShift(from, -reading.marginMonths),
      endDateBefore: monthShift(to - 1n, reading.marginMonths + 1),
      clampToTimeRange: false,
      orderBy: 'start_date_asc',
    };
    await walk(query, reading, (charge) => tallies.get(charge.invoiceId ?? '')?.add(charge));
  }
  return tallies;
}
