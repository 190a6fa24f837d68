import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/lib/money.js';
import { periodsBetween, periodStart } from '../../src/reports/consumption.js';
import { compareKeys, type CostKey, CostSums, groupId, moneyOf, NanoMoney, orderGroups, ReportAllowance, toNanos } from '../../src/reports/sums.js';
import { orderUsageGroups, usageSums } from '../../src/reports/usage.js';
import { bounded, SharedWalks } from '../../src/reports/walks.js';
import { bucketIndex, bucketsOf } from '../../src/reports/window.js';

const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
const key = (dimension: string, id: string | null, name: string | null = null): CostKey => ({ dimension, id, name });

describe('nanos', () => {
  it('reads amounts from their text or their Decimal, and prints them back exactly', () => {
    expect(toNanos({ currency: 'EUR', amount: new Exact('0'), text: '-12.5' })).toBe(-12_500_000_000n);
    expect(toNanos({ currency: 'EUR', amount: new Exact('0'), text: '7' })).toBe(7_000_000_000n);
    expect(toNanos({ currency: 'EUR', amount: new Exact('0.000000001') })).toBe(1n);
    expect(toNanos({ currency: 'EUR', amount: new Exact('-0.1') })).toBe(-100_000_000n);
    expect(() => toNanos({ currency: 'EUR', amount: new Exact('0'), text: '0.0000000001' })).toThrow(RangeError);
    const cases: [bigint, string][] = [[0n, '0'], [1n, '0.000000001'], [-1n, '-0.000000001'], [12_340_000_000n, '12.34'], [-5_000_000_000n, '-5'], [123456789012345678901234567n, '123456789012345678.901234567']];
    for (const [n, text] of cases) {
      const m = new NanoMoney('EUR', n);
      expect(m.text).toBe(text);
      expect(m.amount.toFixed()).toBe(text);
    }
  });
});

describe('CostSums', () => {
  const buckets = bucketsOf(us('2026-11-01T00:00:00Z'), us('2026-11-04T00:00:00Z'), 'DAY');

  it('sums per currency, per bucket, per group and per cell, never across currencies', () => {
    const sums = new CostSums(buckets);
    sums.add([key('PROJECT', 'a', 'A')], 'EUR', [[0, 5n], [1, 5n]]);
    sums.add([key('PROJECT', 'a', null)], 'USD', [[1, 7n]]);
    sums.add([key('PROJECT', null)], 'EUR', [[2, -3n]]);
    expect(sums.rowCount).toBe(3);
    expect(moneyOf(sums.totals).map((m) => `${m.currency} ${m.text}`)).toEqual(['EUR 0.000000007', 'USD 0.000000007']);
    expect(sums.byBucket.map((b) => moneyOf(b).map((m) => `${m.currency} ${m.nanos}`))).toEqual([['EUR 5'], ['EUR 5', 'USD 7'], ['EUR -3']]);
    const a = sums.groups.get(groupId([key('PROJECT', 'a')]))!;
    expect(a.keys[0]!.name).toBe('A');
    expect([...a.cells.keys()]).toEqual([0, 1]);
    expect(moneyOf(a.cells.get(1)).map((m) => m.nanos)).toEqual([5n, 7n]);
    expect(sums.groups.size).toBe(2);
    expect(moneyOf(undefined)).toEqual([]);
    // Read complete: adding after would leave what was read stale.
    expect(() => sums.add([key('PROJECT', 'a')], 'EUR', [[0, 1n]])).toThrow(/after it was read/);
  });

  it('fills a name a first row left out, and keeps the first one given', () => {
    const sums = new CostSums(buckets);
    sums.add([key('RESOURCE', 'r')], 'EUR', [[0, 1n]]);
    sums.add([key('RESOURCE', 'r', 'first')], 'EUR', [[0, 1n]]);
    sums.add([key('RESOURCE', 'r', 'second')], 'EUR', [[0, 1n]]);
    expect(sums.groups.get(groupId([key('RESOURCE', 'r')]))!.keys[0]!.name).toBe('first');
  });

  it('tells a missing id from every string', () => {
    expect(groupId([key('SKU', null)])).not.toBe(groupId([key('SKU', '')]));
    expect(groupId([key('SKU', null)])).not.toBe(groupId([key('SKU', 'null')]));
    expect(groupId([key('A', 'x'), key('B', 'y')])).not.toBe(groupId([key('A', 'x\u0000\u0002y')]));
  });

  it('refuses past its bounds on groups and cells, with QUERY_TOO_COSTLY', () => {
    const groups = new CostSums(buckets, new ReportAllowance({ groups: 2, cells: 100 }));
    groups.add([key('P', '1')], 'EUR', [[0, 1n]]);
    groups.add([key('P', '2')], 'EUR', [[0, 1n]]);
    groups.add([key('P', '2')], 'EUR', [[1, 1n]]);
    expect(() => groups.add([key('P', '3')], 'EUR', [[0, 1n]])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', limit: 2 }) }));
    const cells = new CostSums(buckets, new ReportAllowance({ groups: 100, cells: 2 }));
    cells.add([key('P', '1')], 'EUR', [[0, 1n], [1, 1n]]);
    cells.add([key('P', '1')], 'EUR', [[1, 1n]]);
    expect(() => cells.add([key('P', '1')], 'EUR', [[2, 1n]])).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', limit: 2 }) }));
  });
});

describe('group order', () => {
  const g = (id: string | null, totals: Record<string, bigint>, name: string | null = null) => ({ keys: [key('P', id, name)], totals: new Map(Object.entries(totals)) });

  it('TOTAL_DESC: by each currency in code order, larger first, a missing currency as 0, then keys', () => {
    const groups = [g('a', { USD: 5n }), g('b', { EUR: 1n, USD: 1n }), g('c', { EUR: 1n, USD: 9n }), g('d', { EUR: 3n }), g('e', { EUR: -2n }), g('f', {})];
    expect(orderGroups(groups, 'TOTAL_DESC', ['USD', 'EUR']).map((x) => x.keys[0]!.id)).toEqual(['d', 'c', 'b', 'a', 'f', 'e']);
  });

  it('KEY_ASC: by ids, a missing id last, then names', () => {
    const groups = [g(null, { EUR: 9n }), g('b', {}), g('a', {}, 'z'), g('a', {}, 'y'), g('a', {}, null)];
    expect(orderGroups(groups, 'KEY_ASC', ['EUR']).map((x) => `${x.keys[0]!.id}/${x.keys[0]!.name}`)).toEqual(['a/y', 'a/z', 'a/null', 'b/null', 'null/null']);
    expect(compareKeys([key('P', 'a'), key('S', 'b')], [key('P', 'a'), key('S', 'c')])).toBeLessThan(0);
    expect(compareKeys([key('P', 'a')], [key('P', 'a')])).toBe(0);
  });
});

describe('usage sums', () => {
  const row = (date: string | undefined, id: string, runsCount: number, runsSeconds: number, name?: string) => ({ date, breakdownId: id, breakdownName: name, runsCount, runsSeconds });

  it('sums runs by bucket and group, and orders by run-seconds, then runs, then keys', () => {
    const sums = usageSums(us('2026-11-01T00:00:00Z'), us('2026-11-15T00:00:00Z'), 'WEEK', 'WORKSPACE', [
      row('2026-11-01', 'ws-b', 2, 100),
      row('2026-11-02', 'ws-a', 1, 100, 'alpha'),
      row('2026-11-09', 'ws-a', 3, 50),
      row('2026-11-14', 'ws-c', 9, 100),
    ]);
    expect(sums.total).toEqual({ runsCount: 15, runsSeconds: 350 });
    expect(sums.byBucket).toEqual([{ runsCount: 2, runsSeconds: 100 }, { runsCount: 1, runsSeconds: 100 }, { runsCount: 12, runsSeconds: 150 }]);
    const ordered = orderUsageGroups([...sums.groups.values()], 'TOTAL_DESC');
    expect(ordered.map((x) => x.keys[0]!.id)).toEqual(['ws-a', 'ws-c', 'ws-b']);
    expect(ordered[0]!.keys[0]!.name).toBe('alpha');
    expect(orderUsageGroups([...sums.groups.values()], 'KEY_ASC').map((x) => x.keys[0]!.id)).toEqual(['ws-a', 'ws-b', 'ws-c']);
    expect(ordered[0]!.cells.get(1)).toEqual({ runsCount: 1, runsSeconds: 100 });
  });

  it('refuses a row without a date or outside the window as a bad upstream answer', () => {
    const from = us('2026-11-01T00:00:00Z');
    const to = us('2026-11-02T00:00:00Z');
    expect(() => usageSums(from, to, 'DAY', undefined, [row(undefined, '', 1, 1)])).toThrow(expect.objectContaining({ upstream: 'scalr', message: expect.stringMatching(/without a date/) }));
    expect(() => usageSums(from, to, 'DAY', undefined, [row('2026-11-02', '', 1, 1)])).toThrow(expect.objectContaining({ upstream: 'scalr', message: expect.stringMatching(/outside the window/) }));
    expect(() => usageSums(from, to, 'DAY', undefined, [row('2026-10-31', '', 1, 1)])).toThrow(/outside the window/);
    expect(usageSums(from, to, 'DAY', undefined, [row('2026-11-01', '', 1, 1)]).groups.get('')!.keys).toEqual([]);
  });
});

describe('periods and buckets', () => {
  it('lists the billing periods between two, across years', () => {
    expect(periodsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodsBetween('2026-03', '2026-03')).toEqual(['2026-03']);
    expect(periodStart('2026-12', true)).toBe(us('2027-01-01T00:00:00Z'));
  });

  it('finds the bucket of an instant, or none outside', () => {
    const buckets = bucketsOf(us('2026-11-01T00:00:00Z'), us('2026-11-04T00:00:00Z'), 'DAY');
    expect(bucketIndex(buckets, us('2026-11-01T00:00:00Z'))).toBe(0);
    expect(bucketIndex(buckets, us('2026-11-02T00:00:00Z') - 1n)).toBe(0);
    expect(bucketIndex(buckets, us('2026-11-03T12:00:00Z'))).toBe(2);
    expect(bucketIndex(buckets, us('2026-11-04T00:00:00Z'))).toBe(-1);
    expect(bucketIndex(buckets, us('2026-10-31T23:00:00Z'))).toBe(-1);
    expect(bucketIndex([], 0n)).toBe(-1);
    expect(bucketsOf(1n, 5n, 'NONE')).toEqual([{ start: 1n, end: 5n }]);
  });
});

describe('shared walks', () => {
  it('runs one walk for the subscribers of one tick, each getting every page', async () => {
    const walks = new SharedWalks<number>();
    let runs = 0;
    const walk = async (emit: (n: number) => void) => {
      runs++;
      for (const n of [1, 2, 3]) emit(n);
    };
    const a: number[] = [];
    const b: number[] = [];
    await Promise.all([walks.join('k', walk, (n) => a.push(n)), walks.join('k', walk, (n) => b.push(n))]);
    expect([runs, a, b]).toEqual([1, [1, 2, 3], [1, 2, 3]]);
    // Once started, a later subscriber gets a walk of its own.
    await walks.join('k', walk, () => {});
    expect(runs).toBe(2);
  });

  it('fails one subscriber alone when its own handler throws, and stops the walk when nobody is left', async () => {
    const walks = new SharedWalks<number>();
    let emitted = 0;
    const walk = async (emit: (n: number) => void) => {
      for (const n of [1, 2, 3]) {
        emitted++;
        emit(n);
      }
    };
    const good: number[] = [];
    const [bad, ok] = await Promise.allSettled([
      walks.join('k', walk, (n) => {
        if (n === 2) throw new Error('mine');
      }),
      walks.join('k', walk, (n) => good.push(n)),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: new Error('mine') });
    expect(ok.status).toBe('fulfilled');
    expect(good).toEqual([1, 2, 3]);
    emitted = 0;
    await expect(walks.join('j', walk, () => { throw new Error('alone'); })).rejects.toThrow('alone');
    expect(emitted).toBe(1);
    await expect(walks.join('x', async () => { throw new Error('upstream'); }, () => {})).rejects.toThrow('upstream');
  });

  it('runs tasks at most `width` at once, and stops starting them after a failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number, fail = false) => async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (fail) throw new Error(`task ${i}`);
    };
    await bounded([0, 1, 2, 3, 4].map((i) => task(i)), 2);
    expect([peak, started.length]).toEqual([2, 5]);
    started.length = 0;
    await expect(bounded([task(0, true), task(1), task(2), task(3), task(4)], 1)).rejects.toThrow('task 0');
    expect(started).toEqual([0]);
    await bounded([], 3);
  });
});
