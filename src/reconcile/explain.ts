import { UpstreamBadResponseError } from '../upstreams/errors.js';
import type { Money } from '../lib/money.js';
import type { Invoice } from '../upstreams/scaleway/model.js';
import { type Sums, toNanos } from '../reports/sums.js';
import type { ChargeTally } from './tally.js';
import { roundToSubunit, toleranceNanos } from './tolerance.js';

export type ReconciliationStatus = 'MATCHED' | 'WITHIN_TOLERANCE' | 'MISMATCHED' | 'OPEN' | 'NO_CHARGES';
export type ExplanationKind = 'ROUNDING' | 'DISCOUNT' | 'UNINVOICED_CHARGES' | 'OUT_OF_PERIOD' | 'CREDIT_NOTE' | 'UNEXPLAINED';

export interface Explanation {
  kind: ExplanationKind;
  nanos: bigint;
}

export interface InvoiceReconciliation {
  status: ReconciliationStatus;
  currency: string;
  /** What the charges are compared with: `total_undiscount`, else `total_untaxed` (the discount is then an explanation). */
  baseNanos: bigint;
  /** base − charges in the invoice's currency; undefined when the charges are in another currency. */
  deltaNanos?: bigint;
  toleranceNanos: bigint;
  /** In this order; zero amounts left out; they sum exactly to the delta. */
  explanations: Explanation[];
}

/** Most invoices a period's reconciliation lists; more is refused, not cut (the cost limit counts this many). */
export const MAX_PERIOD_INVOICES = 100;

/** Worst first: the order a period's status is chosen by. */
export const SEVERITY: ReconciliationStatus[] = ['MISMATCHED', 'WITHIN_TOLERANCE', 'MATCHED'];

/** An invoice's `total_untaxed`; without it an invoice cannot be reconciled, nor summed into a period. */
export function untaxedOf(invoice: Invoice): Money {
  if (!invoice.totalUntaxed) throw new UpstreamBadResponseError(`scaleway sent invoice ${invoice.id} without total_untaxed`, { upstream: 'scaleway' });
  return invoice.totalUntaxed;
}

/**
 * The arithmetic of docs/reconciliation.md, exact in nanos. `open`: the invoice's billing period
 * has not ended, or it is a draft. `uninvoiced`: the period's charges on no invoice yet, read for
 * open periodic invoices only.
 */
export function reconcile(invoice: Invoice, tally: ChargeTally, open: boolean, uninvoiced?: Sums): InvoiceReconciliation {
  const untaxed = untaxedOf(invoice);
  const currency = untaxed.currency;
  const discount = invoice.totalDiscount && invoice.totalDiscount.currency === currency ? toNanos(invoice.totalDiscount) : 0n;
  const undiscounted = invoice.totalUndiscount?.currency === currency ? invoice.totalUndiscount : undefined;
  const baseNanos = undiscounted ? toNanos(undiscounted) : toNanos(untaxed);
  const tolerance = toleranceNanos(currency, tally.count);
  const otherCurrency = [...tally.totals.keys()].some((c) => c !== currency);
  const abs = (n: bigint) => (n < 0n ? -n : n);
  const deltaNanos = otherCurrency ? undefined : baseNanos - (tally.totals.get(currency) ?? 0n);
  const status = (residual: bigint): ReconciliationStatus => {
    if (open) return 'OPEN';
    if (tally.count === 0) return 'NO_CHARGES';
    if (deltaNanos === undefined) return 'MISMATCHED';
    if (deltaNanos === 0n) return 'MATCHED';
    return abs(deltaNanos) <= tolerance || abs(residual) <= tolerance ? 'WITHIN_TOLERANCE' : 'MISMATCHED';
  };
  if (deltaNanos === undefined || deltaNanos === 0n) return { status: status(0n), currency, baseNanos, deltaNanos, toleranceNanos: tolerance, explanations: [] };

  // Facts first (the invoice's own discount, an open month's uninvoiced charges), then rounding.
  const known: Explanation[] = [];
  if (!undiscounted && discount !== 0n) known.push({ kind: 'DISCOUNT', nanos: discount });
  if (open && uninvoiced?.get(currency)) known.push({ kind: 'UNINVOICED_CHARGES', nanos: uninvoiced.get(currency)! });
  let rounding = 0n;
  for (const [line, nanos] of tally.lines) if (line.endsWith(`\u0000${currency}`)) rounding += roundToSubunit(nanos, currency) - nanos;
  let rest = deltaNanos - known.reduce((sum, e) => sum + e.nanos, 0n) - rounding;
  // Charges outside the period are a guess (that the invoice left them out): counted only where they narrow the gap.
  const outside = -(tally.outOfPeriod.get(currency) ?? 0n);
  if (outside !== 0n && abs(rest - outside) < abs(rest)) {
    known.push({ kind: 'OUT_OF_PERIOD', nanos: outside });
    rest -= outside;
  }
  // A credit note no charge names is its credit; with charges it is reconciled as any invoice.
  const credit = invoice.type === 'credit_note' && tally.count === 0;
  const explanations = [...known, { kind: 'ROUNDING' as const, nanos: rounding }, { kind: credit ? ('CREDIT_NOTE' as const) : ('UNEXPLAINED' as const), nanos: rest }].filter(
    (e) => e.nanos !== 0n,
  );
  return { status: status(credit ? rounding : rounding + rest), currency, baseNanos, deltaNanos, toleranceNanos: tolerance, explanations };
}

/** A period's status: OPEN while it runs, NO_CHARGES without any charge, else its worst invoice or its uninvoiced charges. */
export function periodStatus(open: boolean, chargeCount: number, invoices: ReconciliationStatus[], uninvoiced: Sums): ReconciliationStatus {
  // A closed month whose invoice is still a draft is still changing.
  if (open || invoices.includes('OPEN')) return 'OPEN';
  if (chargeCount === 0 && invoices.every((s) => s === 'NO_CHARGES' || s === 'OPEN')) return 'NO_CHARGES';
  const statuses = [...invoices];
  for (const [currency, nanos] of uninvoiced) {
    if (nanos === 0n) continue;
    statuses.push((nanos < 0n ? -nanos : nanos) <= toleranceNanos(currency, chargeCount) ? 'WITHIN_TOLERANCE' : 'MISMATCHED');
  }
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'MATCHED';
}
