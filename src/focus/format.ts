import { type DecimalText, formatDecimal, type Money } from '../lib/money.js';
import { timestampMicros } from '../lib/time.js';

/**
 * Values in FOCUS's formats. Decimals: plain notation that always carries a decimal point
 * (`12.0`, never `12`, `1e-9` or `+1`), so that a CSV reader typing columns from their values
 * (DuckDB, the FOCUS validator's engine) reads a Decimal column as decimal, not integer.
 * Date/times: `YYYY-MM-DDTHH:mm:ssZ`, no fraction.
 */

/** Plain decimal text (as the gateway holds amounts) in FOCUS form. */
export function focusDecimal(text: DecimalText): string {
  const plain = text === '-0' ? '0' : text;
  return plain.includes('.') ? plain : `${plain}.0`;
}

export function focusMoney(money: Money): string {
  return focusDecimal(money.text ?? formatDecimal(money.amount));
}

const US_PER_SECOND = 1_000_000n;

/** An instant in µs as FOCUS text, truncated to the second. */
function secondText(seconds: bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}Z`;
}

/** A timestamp truncated to the second (a start, or an instant such as `updated_at`). */
export function focusInstant(text: string): string {
  const us = timestampMicros(text);
  // Floor, also before 1970.
  return secondText(us >= 0n ? us / US_PER_SECOND : -((-us + US_PER_SECOND - 1n) / US_PER_SECOND));
}

/**
 * An inclusive end (Scaleway's `…T23:59:59.999999Z`) as FOCUS's exclusive one: 1 µs later, rounded
 * up to the second (`…T00:00:00Z` of the next day).
 */
export function focusExclusiveEnd(inclusive: string): string {
  const us = timestampMicros(inclusive) + 1n;
  return secondText(us >= 0n ? (us + US_PER_SECOND - 1n) / US_PER_SECOND : -(-us / US_PER_SECOND));
}

/** A billing period `YYYY-MM` as [its first instant, the next month's) in FOCUS text. */
export function periodBounds(billingPeriod: string): { start: string; end: string } {
  const [y, m] = billingPeriod.split('-').map(Number) as [number, number];
  const at = (month: number) => `${new Date(Date.UTC(y, month, 1)).toISOString().slice(0, 19)}Z`;
  return { start: at(m - 1), end: at(m) };
}
