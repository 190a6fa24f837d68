import { describe, expect, it } from 'vitest';
import { splitByTime } from '../../src/reports/split.js';
import { bucketsOf, subWindows } from '../../src/reports/window.js';
import { useStack } from '../helpers/stack.js';
import * as brute from './brute.js';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

describe('splitByTime', () => {
  it('splits an amount into pieces that sum exactly to it, each within a nano of its exact share', () => {
    const buckets = bucketsOf(us('2026-03-01T00:00:00Z'), us('2026-05-01T00:00:00Z'), 'DAY');
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const amount = BigInt(next()) * BigInt(next() % 1000) * (next() % 2 ? -1n : 1n);
      const start = buckets[0]!.start + BigInt(next() % 50) * 86_400_000_000n + BigInt(next());
      const end = start + 1n + BigInt(next() % 5) * 86_400_000_000n + BigInt(next());
      const first = buckets.findIndex((b) => b.end > start);
      const pieces = splitByTime(amount, start, end, buckets, first);
      expect(pieces.reduce((s, [, n]) => s + n, 0n)).toBe(amount);
      for (const [b, n] of pieces) {
        const bucket = buckets[b]!;
        const overlap = (bucket.end < end ? bucket.end : end) - (bucket.start > start ? bucket.start : start);
        const exact = Number(amount) * (Number(overlap) / Number(end - start));
        expect(Math.abs(Number(n) - exact)).toBeLessThanOrEqual(1 + Math.abs(exact) * 1e-12);
      }
    }
  });

  it('gives the nanos left over to the largest remainders, the earlier bucket on a tie', () => {
    const buckets = bucketsOf(us('2026-03-01T00:00:00Z'), us('2026-03-04T00:00:00Z'), 'DAY');
    // 10 nanos over three equal days: 3.33… each, the one left over to the first.
    expect(splitByTime(10n, buckets[0]!.start, buckets[2]!.end, buckets, 0)).toEqual([[0, 4n], [1, 3n], [2, 3n]]);
    expect(splitByTime(-10n, buckets[0]!.start, buckets[2]!.end, buckets, 0)).toEqual([[0, -4n], [1, -3n], [2, -3n]]);
    // One day and two: 3.33… and 6.66…, the nano left over to the larger remainder (the later bucket).
    expect(splitByTime(10n, 0n, 3n, [{ start: 0n, end: 1n }, { start: 1n, end: 3n }], 0)).toEqual([[0, 3n], [1, 7n]]);
    expect(splitByTime(10n, 0n, 3n, [{ start: 0n, end: 2n }, { start: 2n, end: 3n }], 0)).toEqual([[0, 7n], [1, 3n]]);
    // Shares 0.25, 1.25 and 0.5 of a nano: the one left over to the largest remainder (0.5); shares
    // 0.67, 1.67, 0.67: the two left over to equal remainders, the earlier buckets first.
    const days = bucketsOf(us('2026-03-01T00:00:00Z'), us('2026-03-06T00:00:00Z'), 'DAY');
    const fifth = (days[0]!.end - days[0]!.start) / 5n;
    expect(splitByTime(2n, days[0]!.start + fifth * 4n, days[2]!.start + fifth * 2n, days, 0)).toEqual([[0, 0n], [1, 1n], [2, 1n]]);
    expect(splitByTime(3n, days[0]!.start + fifth * 3n, days[2]!.start + fifth * 2n, days, 0)).toEqual([[0, 1n], [1, 2n], [2, 0n]]);
    expect(splitByTime(0n, days[0]!.start, days[4]!.end, days, 0)).toEqual([0, 1, 2, 3, 4].map((i) => [i, 0n]));
    // Only the buckets it overlaps, from the first one given.
    expect(splitByTime(7n, days[3]!.start, days[3]!.end, days, 3)).toEqual([[3, 7n]]);
    expect(splitByTime(7n, days[3]!.start, days[3]!.end, days, 0)).toEqual([[3, 7n]]);
  });
});

describe('buckets and sub-windows', () => {
  it('cuts ISO weeks on Mondays, months on the 1st, and the window’s ends, in UTC', () => {
    const weeks = bucketsOf(us('2026-11-04T12:00:00Z'), us('2026-11-20T00:00:00Z'), 'WEEK').map((b) => new Date(Number(b.start / 1000n)).toISOString());
    expect(weeks).toEqual(['2026-11-04T12:00:00.000Z', '2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z']);
    expect(bucketsOf(us('2025-12-15T00:00:00Z'), us('2026-02-02T00:00:00Z'), 'MONTH')).toHaveLength(3);
  });

  it('cuts a window into at most n day-aligned sub-windows that cover it', () => {
    const from = us('2026-11-01T06:00:00Z');
    const to = us('2026-11-30T18:00:00Z');
    const pieces = subWindows(from, to, 8);
    expect(pieces).toHaveLength(8);
    expect(pieces[0]!.start).toBe(from);
    expect(pieces.at(-1)!.end).toBe(to);
    for (let i = 1; i < pieces.length; i++) {
      expect(pieces[i]!.start).toBe(pieces[i - 1]!.end);
      expect(pieces[i]!.start % 86_400_000_000n).toBe(0n);
    }
    expect(subWindows(from, us('2026-11-02T00:00:00Z'), 8)).toHaveLength(1);
  });
});

describe('REPORT_SPLIT=1', () => {
  const stack = useStack({ now: new Date('2026-12-02T10:00:00Z'), finopsPageSize: 1000, reportSplit: 1, simulator: { chargesPerOrg: 3000 } });
  it('reads the window as one clamped walk: the totals of a plain walk, one row per charge', async () => {
    const org = stack.sim.data.organizations[0]!;
    const charges = stack.sim.data.charges.get(org.id)!;
    stack.sim.resetLog();
    const res = await stack.query(`{ organization { chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z", granularity: DAY) { rowCount totals { amount currency } buckets { totals { amount currency } } } } }`);
    const report = res.data.organization.chargeReport;
    const want = brute.chargeReport(charges, Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z'), 'DAY', () => '', () => true, 1);
    expect(report.rowCount).toBe(want.rowCount);
    expect(report.rowCount).toBe(charges.filter((c) => c.startDate < '2026-12' && c.endDate >= '2026-11').length);
    // One walk, serial: as many pages of 1,000 as the month holds.
    expect(stack.sim.log).toHaveLength(Math.ceil(report.rowCount / 1000));
    expect(brute.mapText(brute.asMap(report.totals))).toBe(brute.mapText(want.totals));
    expect(report.buckets.map((b: any) => brute.mapText(brute.asMap(b.totals)))).toEqual(want.buckets.map(brute.mapText));
  });
});
