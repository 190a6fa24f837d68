/**
 * An RFC 3339 timestamp as microseconds since the epoch, exactly: a JS Date keeps milliseconds
 * only, and Scaleway's inclusive period ends are `…23:59:59.999999Z`.
 */
export function timestampMicros(text: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${text}`);
  const fraction = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1000n + BigInt(fraction);
}

/** UTC text of a microsecond instant; the fraction only when there is one. */
export function microsTimestamp(us: bigint): string {
  const base = new Date(Number(us / 1000n)).toISOString().slice(0, 19);
  const fraction = us % 1_000_000n;
  return fraction === 0n ? `${base}Z` : `${base}.${String(fraction).padStart(6, '0')}Z`;
}
