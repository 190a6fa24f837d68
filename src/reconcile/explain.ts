import { UpstreamBadResponseError } from '../upstreams/errors.js';
import type { Invoice } from '../upstreams/scaleway/model.js';
import { toNanos } from '../reports/sums.js';
import type { ChargeTally, Sums } from './tally.js';
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

/** Worst first: the order a period's status is chosen by. */
export const SEVERITY: ReconciliationStatus[] = ['MISMATCHED', 'WITHIN_TOLERANCE', 'MATCHED'];

/**
 * The arithmetic of docs/reconciliation.md, exact in nanos. `open`: the invoice's billing period
 * has not ended. `uninvoiced`: the period's charges on no invoice yet, read for open invoices only.
 */
export function reconcile(invoice: Invoice, tally: ChargeTally, open: boolean, uninvoiced?: Sums): InvoiceReconciliation {
  const untaxed = invoice.totalUntaxed;
  if (!untaxed) throw new UpstreamBadResponseError(`scaleway sent invoice ${invoice.id} without total_untaxed: it cannot be reconciled`, { upstream: 'scaleway' });
  const currency = untaxed.currency;
  const discount = invoice.totalDiscount && invoice.totalDiscount.currency === currency ? toNanos(invoice.totalDiscount) : 0n;
  const undiscounted = invoice.totalUndiscount?.currency === currency ? invoice.totalUndiscount : undefined;
  const baseNanos = undiscounted ? toNanos(undiscounted) : toNanos(untaxed);
  const tolerance = toleranceNanos(currency, tally.count);
  const otherCurrency = [...tally.totals.keys()].some((c) => c !== currency);
  const status = (residual: bigint | undefined, delta: bigint | undefined): ReconciliationStatus => {
    if (open) return 'OPEN';
    if (tally.count === 0) return 'NO_CHARGES';
    if (delta === undefined || residual === undefined) return 'MISMATCHED';
    if (delta === 0n) return 'MATCHED';
    return (residual < 0n ? -residual : residual) <= tolerance ? 'WITHIN_TOLERANCE' : 'MISMATCHED';
  };
  if (otherCurrency) return { status: status(undefined, undefined), currency, baseNanos, toleranceNanos: tolerance, explanations: [] };

  const deltaNanos = baseNanos - (tally.totals.get(currency) ?? 0n);
  // Known causes first; rounding and the rest are what the tolerance is for.
  const known: Explanation[] = [];
  if (!undiscounted && discount !== 0n) known.push({ kind: 'DISCOUNT', nanos: discount });
  if (open && uninvoiced) known.push({ kind: 'UNINVOICED_CHARGES', nanos: uninvoiced.get(currency) ?? 0n });
  known.push({ kind: 'OUT_OF_PERIOD', nanos: -(tally.outOfPeriod.get(currency) ?? 0n) });
  let rounding = 0n;
  for (const [line, nanos] of tally.lines) if (line.endsWith(`\u0000${currency}`)) rounding += roundToSubunit(nanos, currency) - nanos;
  const explained = known.reduce((sum, e) => sum + e.nanos, 0n);
  const rest = deltaNanos - explained - rounding;
  // What a credit note's charges do not cover is the credit itself, not a gap.
  const credit = invoice.type === 'credit_note';
  const explanations = [...known, { kind: 'ROUNDING' as const, nanos: rounding }, { kind: credit ? ('CREDIT_NOTE' as const) : ('UNEXPLAINED' as const), nanos: rest }].filter(
    (e) => e.nanos !== 0n,
  );
  return { status: status(credit ? rounding : rounding + rest, deltaNanos), currency, baseNanos, deltaNanos, toleranceNanos: tolerance, explanations };
}

/** A period's status: OPEN while it runs, NO_CHARGES without any charge, else its worst invoice or its uninvoiced charges. */
export function periodStatus(open: boolean, chargeCount: number, invoices: ReconciliationStatus[], uninvoiced: Sums): ReconciliationStatus {
  if (open) return 'OPEN';
  if (chargeCount === 0 && invoices.every((s) => s === 'NO_CHARGES' || s === 'OPEN')) return 'NO_CHARGES';
  const statuses = [...invoices];
  for (const [currency, nanos] of uninvoiced) {
    if (nanos === 0n) continue;
    statuses.push((nanos < 0n ? -nanos : nanos) <= toleranceNanos(currency, chargeCount) ? 'WITHIN_TOLERANCE' : 'MISMATCHED');
  }
  return SEVERITY.find((s) => statuses.includes(s)) ?? 'MATCHED';
}
