/**
 * A report's window and its buckets, in microseconds since the epoch, half-open [start, end).
 * Buckets follow the calendar in UTC (days, ISO weeks from Monday 00:00, months), cut to the window
 * at both ends; NONE is one bucket, the window itself.
 */
export type Granularity = 'NONE' | 'DAY' | 'WEEK' | 'MONTH';

export interface Bucket {
  start: bigint;
  end: bigint;
}

const DAY_MS = 86_400_000;
export const US_PER_MS = 1000n;

/** The first calendar boundary of `granularity` strictly after `ms`. */
function nextBoundary(ms: number, granularity: Exclude<Granularity, 'NONE'>): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = Date.UTC(y, m, d.getUTCDate());
  if (granularity === 'DAY') return day + DAY_MS;
  if (granularity === 'MONTH') return Date.UTC(y, m + 1, 1);
  // ISO weeks start on Monday: getUTCDay() is 0 on Sunday.
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return day + (7 - sinceMonday) * DAY_MS;
}

/** Every bucket of [from, to) in order (from < to, both whole milliseconds). */
export function bucketsOf(from: bigint, to: bigint, granularity: Granularity): Bucket[] {
  if (granularity === 'NONE') return [{ start: from, end: to }];
  const out: Bucket[] = [];
  let start = from;
  while (start < to) {
    const boundary = BigInt(nextBoundary(Number(start / US_PER_MS), granularity)) * US_PER_MS;
    const end = boundary < to ? boundary : to;
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** The index of the bucket holding instant `t` (buckets contiguous and sorted), or -1 outside them. */
export function bucketIndex(buckets: readonly Bucket[], t: bigint): number {
  let lo = 0;
  let hi = buckets.length - 1;
  if (hi < 0 || t < buckets[0]!.start || t >= buckets[hi]!.end) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (buckets[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The sub-windows a report reads concurrently: [from, to) cut at UTC midnights into at most `most`
 * pieces of whole days (the first and last may be partial), as evenly as the days allow. A pure
 * function of the window, so that the same report reads the same pages (and hits the cache).
 */
export function subWindows(from: bigint, to: bigint, most: number): Bucket[] {
  const days = bucketsOf(from, to, 'DAY');
  const pieces = Math.max(1, Math.min(most, days.length));
  const out: Bucket[] = [];
  for (let i = 0; i < pieces; i++) {
    const first = Math.floor((i * days.length) / pieces);
    const last = Math.floor(((i + 1) * days.length) / pieces) - 1;
    out.push({ start: days[first]!.start, end: days[last]!.end });
  }
  return out;
}
