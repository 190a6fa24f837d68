/**
 * How the page writes figures. Amounts are the graph's decimal strings, given to
 * `Intl.NumberFormat` as strings: modern engines format a numeric string exactly (every digit kept),
 * so `123.45` is never a float on its way to the screen. Pure: no DOM.
 */

const cache = new Map<string, Intl.NumberFormat>();
function formatter(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** Digits after the point in a decimal string. */
const places = (amount: string) => amount.split('.')[1]?.length ?? 0;

/** The currency's own minor digits (2 for EUR, 0 for JPY). */
export function minorDigits(currency: string, locale?: string): number {
  return formatter(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Intl takes a numeric string exactly; its types say number (they predate Intl.NumberFormat v3). */
const exactly = (amount: string) => amount as unknown as number;

/** An amount exactly as the graph gave it: at least the currency's minor digits, and every digit it has (`€81.584901552`). */
export function money(amount: string, currency: string, locale?: string): string {
  const minor = minorDigits(currency, locale);
  return formatter(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: Math.max(minor, places(amount)) }).format(exactly(amount));
}

/** The parts of {@link money}, for a page that sets the digits past the currency's minor ones apart. */
export function moneyParts(amount: string, currency: string, locale?: string): Intl.NumberFormatPart[] {
  const minor = minorDigits(currency, locale);
  return formatter(locale, { style: 'currency', currency, minimumFractionDigits: minor, maximumFractionDigits: Math.max(minor, places(amount)) }).formatToParts(exactly(amount));
}

/** An estimate (the run rate): rounded to the currency's minor digits by Intl (half away from zero). */
export function moneyRounded(amount: string, currency: string, locale?: string): string {
  return formatter(locale, { style: 'currency', currency }).format(exactly(amount));
}

/** A whole number (runs, seconds), grouped. */
export function integer(value: number, locale?: string): string {
  return formatter(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A share for display (`12.3%`); `–` when there is none. */
export function percent(fraction: number | undefined, locale?: string): string {
  return fraction === undefined ? '–' : formatter(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(fraction);
}

/** A UTC day of the graph (`2026-12-01T00:00:00Z`) as `2026-12-01`; a month as `2026-12`. */
export const day = (instant: string) => instant.slice(0, 10);
export const month = (instant: string) => instant.slice(0, 7);
