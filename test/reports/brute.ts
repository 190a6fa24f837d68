import { Decimal } from 'decimal.js';
import type { SimCharge, SimConsumption, SimScalrAccount } from '../../src/simulator/data.js';

/**
 * Reports computed by brute force from the simulator's raw rows, written apart from src/reports
 * (decimal.js at 100 digits, no BigInt, no shared code), following the documented rules: the
 * window cut into day-aligned sub-windows, each charge clamped to its sub-window as the simulator
 * clamps, its slice split over the buckets by time with the largest remainder to the nano.
 */
const D = Decimal.clone({ precision: 100 });
const DAY = 86_400_000;
const usOf = (text: string) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
};

export type Buckets = { start: number; end: number }[];

export function buckets(from: number, to: number, granularity: string): Buckets {
  if (granularity === 'NONE') return [{ start: from, end: to }];
  const out: Buckets = [];
  let t = from;
  while (t < to) {
    const d = new Date(t);
    const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    let next: number;
    if (granularity === 'DAY') next = day + DAY;
    else if (granularity === 'MONTH') next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    else next = day + (7 - ((d.getUTCDay() + 6) % 7)) * DAY;
    out.push({ start: t, end: Math.min(next, to) });
    t = Math.min(next, to);
  }
  return out;
}

function subWindows(from: number, to: number, split: number): Buckets {
  const days = buckets(from, to, 'DAY');
  const n = Math.min(split, days.length);
  return Array.from({ length: n }, (_, i) => ({ start: days[Math.floor((i * days.length) / n)]!.start, end: days[Math.floor(((i + 1) * days.length) / n) - 1]!.end }));
}

/** Nanos of an amount split by largest remainder over weights (µs overlaps) summing to the period. */
function largestRemainder(amount: Decimal, overlaps: bigint[], period: bigint): Decimal[] {
  const whole = amount.abs().times(1e9);
  const exact = overlaps.map((o) => whole.times(o.toString()).div(period.toString()));
  const floors = exact.map((e) => e.floor());
  let left = whole.minus(floors.reduce((a, b) => a.plus(b), new D(0))).toNumber();
  const order = exact.map((e, i) => i).sort((a, b) => exact[b]!.minus(floors[b]!).comparedTo(exact[a]!.minus(floors[a]!)) || a - b);
  for (const i of order) if (left-- > 0) floors[i] = floors[i]!.plus(1);
  return floors.map((f) => (amount.isNegative() ? f.neg() : f).div(1e9));
}

export interface Expected {
  totals: Map<string, Decimal>;
  buckets: Map<string, Decimal>[];
  groups: Map<string, { totals: Map<string, Decimal>; series: Map<string, Decimal>[] }>;
  rowCount: number;
}

const add = (m: Map<string, Decimal>, c: string, v: Decimal) => m.set(c, (m.get(c) ?? new D(0)).plus(v));

function expected(bs: Buckets): Expected {
  return { totals: new Map(), buckets: bs.map(() => new Map()), groups: new Map(), rowCount: 0 };
}

function record(e: Expected, bs: Buckets, key: string, currency: string, pieces: [number, Decimal][]) {
  e.rowCount++;
  let g = e.groups.get(key);
  if (!g) e.groups.set(key, (g = { totals: new Map(), series: bs.map(() => new Map()) }));
  for (const [i, v] of pieces) {
    add(e.totals, currency, v);
    add(e.buckets[i]!, currency, v);
    add(g.totals, currency, v);
    add(g.series[i]!, currency, v);
  }
}

export function chargeReport(charges: SimCharge[], from: number, to: number, granularity: string, key: (c: SimCharge) => string, keep: (c: SimCharge) => boolean, split = 8): Expected {
  const bs = buckets(from, to, granularity);
  const e = expected(bs);
  for (const w of subWindows(from, to, split)) {
    const after = BigInt(w.start) * 1000n;
    const before = BigInt(w.end) * 1000n;
    for (const c of charges) {
      if (!keep(c)) continue;
      const start = usOf(c.startDate);
      const end = usOf(c.endDate);
      const lo = start > after ? start : after;
      const hi = end < before - 1n ? end : before - 1n;
      if (lo > hi) continue;
      const price = lo === start && hi === end ? new D(c.price.toFixed()) : new D(c.price.toFixed()).times((hi - lo + 1n).toString()).div((end - start + 1n).toString()).toDecimalPlaces(9, Decimal.ROUND_HALF_EVEN);
      const overlaps: bigint[] = [];
      const index: number[] = [];
      bs.forEach((b, i) => {
        const o = (BigInt(b.end) * 1000n < hi + 1n ? BigInt(b.end) * 1000n : hi + 1n) - (BigInt(b.start) * 1000n > lo ? BigInt(b.start) * 1000n : lo);
        if (o > 0n) {
          overlaps.push(o);
          index.push(i);
        }
      });
      const pieces = largestRemainder(price, overlaps, hi + 1n - lo);
      record(e, bs, key(c), c.currency, pieces.map((p, k) => [index[k]!, p]));
    }
  }
  return e;
}

export function consumptionReport(rows: (period: string) => SimConsumption[], periods: string[], granularity: string, key: (c: SimConsumption) => string, keep: (c: SimConsumption) => boolean): Expected {
  const start = (p: string) => Date.UTC(Number(p.slice(0, 4)), Number(p.slice(5, 7)) - 1, 1);
  const last = periods[periods.length - 1]!;
  const bs = buckets(start(periods[0]!), Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 1), granularity);
  const e = expected(bs);
  for (const p of periods) {
    const i = bs.findIndex((b) => b.start <= start(p) && start(p) < b.end);
    for (const r of rows(p)) if (keep(r)) record(e, bs, key(r), r.currency, [[i, new D(r.value.toFixed())]]);
  }
  return e;
}

export function usageReport(account: SimScalrAccount, from: number, to: number, granularity: string, dimension: 'ENVIRONMENT' | 'WORKSPACE' | undefined) {
  const bs = buckets(from, to, granularity);
  const env = new Map(account.workspaces.map((w) => [w.id, w.environmentId]));
  const total = { runsCount: 0, runsSeconds: 0 };
  const perBucket = bs.map(() => ({ runsCount: 0, runsSeconds: 0 }));
  const groups = new Map<string, { runsCount: number; runsSeconds: number; series: { runsCount: number; runsSeconds: number }[] }>();
  for (const u of account.usage) {
    const t = Date.parse(`${u.date}T00:00:00Z`);
    if (t < from || t >= to) continue;
    const i = bs.findIndex((b) => b.start <= t && t < b.end);
    const k = dimension === 'WORKSPACE' ? u.workspaceId : dimension === 'ENVIRONMENT' ? env.get(u.workspaceId)! : '';
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { runsCount: 0, runsSeconds: 0, series: bs.map(() => ({ runsCount: 0, runsSeconds: 0 })) }));
    for (const x of [total, perBucket[i]!, g, g.series[i]!]) {
      x.runsCount += u.runsCount;
      x.runsSeconds += u.runsSeconds;
    }
  }
  return { total, perBucket, groups, buckets: bs };
}

/** Money list → map, as the graph serves it. */
export const asMap = (list: { amount: string; currency: string }[]) => new Map(list.map((m) => [m.currency, new D(m.amount)]));
export const mapText = (m: Map<string, Decimal>) => [...m].filter(([, v]) => true).sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, v]) => `${c} ${v.toFixed()}`).join(', ');
