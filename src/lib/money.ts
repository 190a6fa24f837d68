import { Decimal } from 'decimal.js';

/**
 * decimal.js rounds every arithmetic result to `precision` significant digits (20 by default): a
 * sum of amounts above 10¹¹ with nine decimals would silently lose its nanos. 200 digits exceed
 * any sum of int64 units with nanos. A clone, so that decimal.js' global settings stay as they
 * are for anyone else in the process; its instances are Decimals, and results of their arithmetic
 * keep its precision.
 */
export const Exact = Decimal.clone({ precision: 200 });

/** An exact amount in one currency. Amounts in different currencies are never added. */
export interface Money {
  amount: Decimal;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  /** The amount in plain notation when it is at hand without a Decimal (as sent upstream). */
  readonly text?: string;
  /** The amount in nanos, when it is at hand as integers (as sent upstream). */
  inNanos?(): bigint;
}

/**
 * `units + nanos × 10⁻⁹` in plain notation, from two safe integers of the same sign, with string
 * operations only (exact, and far cheaper than a Decimal for serving a value as is).
 */
export function formatUnitsNanos(units: number, nanos: number): string {
  const whole = `${units < 0 || nanos < 0 ? '-' : ''}${Math.abs(units)}`;
  if (nanos === 0) return whole;
  // Nine digits, then without trailing zeros; by char codes (served once per amount, 500 a page).
  const digits = String(Math.abs(nanos));
  const fraction = '000000000'.slice(digits.length) + digits;
  let end = 9;
  while (fraction.charCodeAt(end - 1) === 48) end--;
  return `${whole}.${fraction.slice(0, end)}`;
}

const NANOS_PER_UNIT = 1_000_000_000n;

/**
 * Builds the exact amount `units + nanos × 10⁻⁹` of a `google.type.Money`, in integer arithmetic:
 * no float ever holds the value. Throws a RangeError when the parts break the Money rules
 * (|nanos| ≥ 10⁹, or nanos with the opposite sign of a non-zero units).
 */
export function decimalFromUnitsNanos(units: bigint, nanos: bigint): Decimal {
  if (nanos <= -NANOS_PER_UNIT || nanos >= NANOS_PER_UNIT) throw new RangeError(`nanos ${nanos} out of range`);
  if ((units > 0n && nanos < 0n) || (units < 0n && nanos > 0n)) {
    throw new RangeError(`units ${units} and nanos ${nanos} have opposite signs`);
  }
  return new Exact(`${units * NANOS_PER_UNIT + nanos}e-9`);
}

/** The inverse of {@link decimalFromUnitsNanos}; rounds half-even to the nano. */
export function unitsNanosFromDecimal(amount: Decimal): { units: bigint; nanos: bigint } {
  // Through text, not `times(1e9)`: decimal.js arithmetic rounds to 20 significant digits.
  const total = BigInt(amount.toFixed(9, Decimal.ROUND_HALF_EVEN).replace('.', ''));
  return { units: total / NANOS_PER_UNIT, nanos: total % NANOS_PER_UNIT };
}

/**
 * An exact decimal number as text in plain notation (what the Decimal scalar serves), for values
 * the gateway only passes on: no Decimal is built for them.
 */
export type DecimalText = string;

const plainCanonical = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Exact decimal source text (plain or exponent notation) → {@link DecimalText}, as `formatDecimal` would print it. */
export function decimalText(text: string): DecimalText {
  return plainCanonical.test(text) && text !== '-0' ? text : formatDecimal(new Exact(text));
}

/** Plain notation, never exponent: decimal.js' `toString()` prints 1e-9 for a nano. */
export function formatDecimal(amount: Decimal): string {
  return amount.toFixed();
}

/** Exact sums, one per currency, in order of first appearance: amounts in different currencies are never added. */
export function sumByCurrency(amounts: Iterable<Money>): Money[] {
  const sums = new Map<string, Decimal>();
  for (const { amount, currency } of amounts) sums.set(currency, (sums.get(currency) ?? new Exact(0)).plus(amount));
  return [...sums].map(([currency, amount]) => ({ currency, amount }));
}
