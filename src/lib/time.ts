/**
 * An RFC 3339 timestamp as microseconds since the epoch, exactly: a JS Date keeps milliseconds
 * only, and Scaleway's inclusive period ends are `…23:59:59.999999Z`.
 */
export function timestampMicros(text: string): bigint {
  // RFC 3339's ranges (no hour 24, which Date.parse would read as the next day; no leap second).
  const m = /^(\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d)(?:\.(\d+))?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i.exec(text);
  // Date.parse reads the shape checked above as ISO 8601 (NaN for an hour or a month out of range),
  // but rolls a day past the month's end over into the next month: that day is refused here.
  const ms = m && dayExists(m[1]!) ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 timestamp: ${text}`);
  const fraction = (m![2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(fraction);
}

/** Whether the date of `YYYY-MM-DD…` exists: a day past its month's end (or day 0) would roll over to another; a month out of range Date.parse refuses. */
export function dayExists(dateTime: string): boolean {
  const [y, mo, d] = dateTime.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

/** UTC text of a microsecond instant; the fraction only when there is one. */
export function microsTimestamp(us: bigint): string {
  const base = new Date(Number(us / 1000n)).toISOString().slice(0, 19);
  const fraction = us % 1_000_000n;
  return fraction === 0n ? `${base}Z` : `${base}.${String(fraction).padStart(6, '0')}Z`;
}
