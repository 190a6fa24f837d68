import type { Bucket } from './window.js';

/**
 * Splits an amount (nanos) spent evenly over [start, end) µs among the buckets it overlaps, in
 * proportion to each overlap, rounded to the nano by largest remainder so that the pieces sum
 * exactly to the amount: each bucket gets ⌊|a| × overlap ÷ period⌋, and the nanos left over go one
 * each to the buckets with the largest remainders (the earlier bucket first on a tie); the sign is
 * the amount's. The interval must lie within the buckets' span. Returns [bucket index, nanos] pairs
 * in bucket order, zero pieces included.
 */
export function splitByTime(amount: bigint, start: bigint, end: bigint, buckets: readonly Bucket[], first: number): [number, bigint][] {
  const period = end - start;
  const negative = amount < 0n;
  const whole = negative ? -amount : amount;
  const pieces: [number, bigint][] = [];
  const remainders: bigint[] = [];
  let given = 0n;
  for (let i = first; i < buckets.length && buckets[i]!.start < end; i++) {
    const b = buckets[i]!;
    const overlap = (b.end < end ? b.end : end) - (b.start > start ? b.start : start);
    if (overlap <= 0n) continue;
    const share = whole * overlap;
    const q = share / period;
    pieces.push([i, q]);
    remainders.push(share % period);
    given += q;
  }
  let left = whole - given;
  if (left > 0n) {
    // At most one nano per piece is left over; largest remainders first, earlier buckets on ties
    // (the sort is stable: ties keep their bucket order).
    const order = remainders.map((_, k) => k).sort((a, b) => (remainders[a]! > remainders[b]! ? -1 : remainders[a]! < remainders[b]! ? 1 : 0));
    for (const k of order) {
      if (left === 0n) break;
      pieces[k]![1] += 1n;
      left -= 1n;
    }
  }
  if (negative) for (const p of pieces) p[1] = -p[1];
  return pieces;
}
