/**
 * Exact arithmetic on the graph's decimal strings, in integer nanos (the graph's precision): the
 * sums the page derives ("other" series, the run rate) are never float sums. Pure: no DOM.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,9}))?$/;
const NANO = 1_000_000_000n;

/** A decimal string in plain notation (`-360.82`, at most 9 decimals) as integer nanos. */
export function toNanos(text: string): bigint {
  const m = DECIMAL.exec(text);
  if (!m) throw new Error(`Not a decimal of at most 9 places: ${text}`);
  const nanos = BigInt(m[2]!) * NANO + BigInt((m[3] ?? '').padEnd(9, '0'));
  return m[1] ? -nanos : nanos;
}

/** Nanos as the graph writes a decimal: plain notation, no trailing zeros (`12.5`, `0`, `-0.000000001`). */
export function fromNanos(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const fraction = (abs % NANO).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${abs / NANO}${fraction ? `.${fraction}` : ''}`;
}

/** `a × numerator ÷ denominator`, rounded to the nano, half away from zero (denominator > 0). */
export function scale(nanos: bigint, numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('denominator must be positive');
  const product = nanos * numerator;
  const abs = product < 0n ? -product : product;
  const rounded = (abs * 2n + denominator) / (denominator * 2n);
  return product < 0n ? -rounded : rounded;
}

/**
 * The month-end run rate: spend over a span of the month, extrapolated in a straight line to the
 * whole month (`amount × month ÷ span`), exact to the nano. An estimate, shown as one.
 */
export function runRate(amount: string, spanMs: number, monthMs: number): string {
  return fromNanos(scale(toNanos(amount), BigInt(monthMs), BigInt(spanMs)));
}

/** `whole − parts`, exactly (the "other" of a chart: a bucket's total less the groups shown). */
export function remainder(whole: string, parts: readonly string[]): string {
  return fromNanos(parts.reduce((left, part) => left - toNanos(part), toNanos(whole)));
}

/**
 * `part ÷ whole` as a fraction for display only (a percentage with one decimal is all it shows):
 * the one float of the page's figures, never summed. Undefined when the whole is zero.
 */
export function share(part: string, whole: string): number | undefined {
  const w = toNanos(whole);
  if (w === 0n) return undefined;
  // Ten thousandths of a percent, then one float division.
  return Number((toNanos(part) * 1_000_000n) / w) / 1_000_000;
}
