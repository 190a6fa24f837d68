import type { Finality } from '../fleet/pages.js';

/**
 * When an upstream answer can no longer change, so that the cache keeps it long
 * (`CACHE_TTL_CLOSED_SECONDS`); anything else is `open` (`CACHE_TTL_OPEN_SECONDS`). Each rule is
 * conservative: a wrong `closed` would serve stale bills for a day, a wrong `open` costs a call.
 */

/** 00:00 UTC of the first day of the month `monthsBack` months before `now`'s. */
function monthStart(now: Date, monthsBack: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
}

/** 00:00 UTC of `now`'s day. */
function dayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const ms = (rfc3339: string) => Date.parse(rfc3339);
const DAY_MS = 86_400_000;

/**
 * A billing period is closed once the month after it has ended too: the previous month's
 * consumption is recomputed until its invoice is issued, early in the current month.
 */
export function periodClosed(billingPeriod: string, now: Date): Finality {
  const [year, month] = billingPeriod.split('-').map(Number) as [number, number];
  return Date.UTC(year, month - 1, 1) < monthStart(now, 1).getTime() ? 'closed' : 'open';
}

/** A paid invoice no longer changes (drafts, issued and unknown states may). */
export function invoiceClosed(invoice: { state?: string }): Finality {
  return invoice.state === 'paid' ? 'closed' : 'open';
}

/**
 * A FinOps page is closed when its window, and so every charge on it, ended before yesterday (UTC):
 * a day's charges may still be computed after midnight, so the day before today stays open too.
 * A clamped page may hold a slice of a charge still running (a month's, prorated from a price that
 * grows until it ends): it is closed only once its window ended before the previous month began.
 */
export function chargesClosed(query: { endDateBefore: string; clampToTimeRange: boolean }, rows: readonly { endDate: string }[], now: Date): Finality {
  const end = ms(query.endDateBefore);
  const before = query.clampToTimeRange ? Math.min(dayStart(now).getTime() - DAY_MS, monthStart(now, 1).getTime()) : dayStart(now).getTime() - DAY_MS;
  return end <= before && rows.every((r) => ms(r.endDate) < before) ? 'closed' : 'open';
}

/**
 * Scalr usage of a window that ended before yesterday (UTC): whether Scalr's `between:` bounds are
 * inclusive is unknown, and a run crossing midnight is counted when it finishes.
 */
export function usageClosed(to: string, now: Date): Finality {
  return ms(to) <= dayStart(now).getTime() - DAY_MS ? 'closed' : 'open';
}
