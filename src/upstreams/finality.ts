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
 * A page of an invoice list is closed when its filter takes only closed periods (their start before
 * the previous month's) and every invoice on it is paid: a new invoice of an open period would
 * shift every page, and unpaid ones change state.
 */
export function invoicePageClosed(startedBefore: string | undefined, rows: readonly { state?: string }[], now: Date): Finality {
  const closedPeriods = startedBefore !== undefined && ms(startedBefore) <= monthStart(now, 1).getTime();
  return closedPeriods && rows.every((r) => invoiceClosed(r) === 'closed') ? 'closed' : 'open';
}

/** A FinOps page is closed when its window, and so every charge on it, ended before the current day (UTC). */
export function chargesClosed(endDateBefore: string, rows: readonly { endDate: string }[], now: Date): Finality {
  const today = dayStart(now).getTime();
  return ms(endDateBefore) <= today && rows.every((r) => ms(r.endDate) < today) ? 'closed' : 'open';
}

/** Scalr usage of days before the current one (UTC): runs that finished no longer change. */
export function usageClosed(to: string, now: Date): Finality {
  return ms(to) <= dayStart(now).getTime() ? 'closed' : 'open';
}
