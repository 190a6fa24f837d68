/**
 * An RFC 3339 timestamp as microseconds since the epoch, exactly: a JS Date keeps milliseconds
 * only, and Scaleway's inclusive period ends are `…23:59:59.999999Z`.
 */
export function timestampMicros(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  // Date.parse reads the shape checked above as ISO 8601 (NaN for an hour or a month out of range),
  // but rolls a day past the month's end over into the next month: that day is refused here.
  const ms = m && dayExists(m[1]!) ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 timestamp: ${text}`);
  const fraction = (m![2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(fraction);
}

/** A day past its month's end (or day 0) rolls over to another day of the month; a month out of range Date.parse refuses. */
function dayExists(dateTime: string): boolean {
  const [y, mo, d] = dateTime.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
}

/** UTC text of a microsecond instant; the fraction only when there is one. */
export function microsTimestamp(us: bigint): string {
  const base = new Date(Number(us / 1000n)).toISOString().slice(0, 19);
  const fraction = us % 1_000_000n;
  return fraction === 0n ? `${base}Z` : `${base}.${String(fraction).padStart(6, '0')}Z`;
}
