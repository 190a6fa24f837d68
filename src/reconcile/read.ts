import { chunks } from '../lib/chunks.js';
import { walk } from '../reports/charges.js';
import type { Charge, ChargeQuery } from '../upstreams/scaleway/model.js';
import { US_PER_MS } from '../reports/window.js';
import { timestampMicros } from '../lib/time.js';
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
  /** Months either side of an invoice's period in which its charges are looked for (late charges). */
  marginMonths: number;
}

/** The first instant (µs) of the month `months` after the one holding `us`. */
const monthShift = (us: bigint, months: number): bigint => {
  const d = new Date(Number(us / US_PER_MS));
  return BigInt(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)) * US_PER_MS;
};

/**
 * The charges on several invoices of one organization, in as few walks as the ids-per-call limit
 * allows: one query filtered by all their `invoice_ids`, over one window spanning their billing
 * periods and a margin either side (FinOps answers only a window; without dates, the current month).
 * Unclamped: a charge counts whole, on the invoice it names, if it lies within that invoice's own
 * period and margin — so what an invoice is said to hold never depends on the invoices read with it.
 * Rows are tallied as they arrive.
 */
export async function tallyCharges(organizationId: string, invoices: readonly TallyRequest[], reading: TallyReading): Promise<Map<string, ChargeTally>> {
  const own = new Map(
    invoices.map((i) => [i.invoiceId, { tally: new ChargeTally(i.periodStart, i.periodEnd), from: monthShift(i.periodStart, -reading.marginMonths), to: monthShift(i.periodEnd - 1n, reading.marginMonths + 1) }]),
  );
  const tallies = new Map([...own].map(([id, o]) => [id, o.tally]));
  if (invoices.length === 0) return tallies;
  const ids = [...own.keys()].sort();
  for (const invoiceIds of chunks(ids, reading.idsPerCall)) {
    const windows = invoiceIds.map((id) => own.get(id)!);
    const query: ChargeQuery = {
      organizationId,
      invoiceIds,
      startDateAfter: new Date(Number(windows.reduce((m, w) => (w.from < m ? w.from : m), windows[0]!.from) / US_PER_MS)).toISOString(),
      endDateBefore: new Date(Number(windows.reduce((m, w) => (w.to > m ? w.to : m), windows[0]!.to) / US_PER_MS)).toISOString(),
      clampToTimeRange: false,
      orderBy: 'start_date_asc',
    };
    await walk(query, reading, (charge) => {
      const mine = own.get(charge.invoiceId ?? '');
      if (!mine) return;
      if (timestampMicros(charge.startDate) >= mine.from && timestampMicros(charge.endDate) < mine.to) mine.tally.add(charge);
    });
  }
  return tallies;
}
