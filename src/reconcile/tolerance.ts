import { Decimal } from 'decimal.js';
import { Exact } from '../lib/money.js';

/**
 * ISO 4217 minor units where they are not 2 (the list as of 2024). Written out rather than read from
 * Intl: the runtime's CLDR data differs from ISO for some codes (IQD, LBP, RSD, …) and between versions.
 */
const MINOR_UNITS: Record<string, number> = {
  ...Object.fromEntries(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'].map((c) => [c, 0])),
  ...Object.fromEntries(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].map((c) => [c, 3])),
  CLF: 4,
  UYW: 4,
};

/** Decimal places of a currency's subunit (ISO 4217 minor units: EUR 2, JPY 0, BHD 3); 2 for any other code. */
export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency] ?? 2;
}

const NANOS = 1_000_000_000n;

/** One subunit in nanos (EUR: 0.01 = 10,000,000 nanos). */
export function subunitNanos(currency: string): bigint {
  return NANOS / 10n ** BigInt(Math.min(9, minorUnits(currency)));
}

/**
 * FOCUS 1.4's rounding tolerance for reconciling `rows` rows to an invoice:
 * max(100 × subunit, 0.5 × √rows × subunit), in nanos, rounded up to the nano (√rows is rarely exact).
 */
export function toleranceNanos(currency: string, rows: number): bigint {
  const subunit = subunitNanos(currency);
  const floor = 100n * subunit;
  const scaled = BigInt(new Exact(rows).sqrt().times(0.5).times(subunit.toString()).toDecimalPlaces(0, Decimal.ROUND_CEIL).toFixed());
  return scaled > floor ? scaled : floor;
}

/** `nanos` rounded half away from zero to the currency's subunit (the rule assumed for invoice lines). */
export function roundToSubunit(nanos: bigint, currency: string): bigint {
  const unit = subunitNanos(currency);
  const abs = nanos < 0n ? -nanos : nanos;
  const rounded = ((abs + unit / 2n) / unit) * unit;
  return nanos < 0n ? -rounded : rounded;
}
