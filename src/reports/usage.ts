import { UpstreamBadResponseError } from '../upstreams/errors.js';
import type { UsageStatistic } from '../upstreams/scalr/model.js';
import { compareKeys, type CostKey, groupId, type GroupOrder, ReportAllowance } from './sums.js';
import { type Bucket, bucketIndex, bucketsOf, type Granularity, US_PER_MS } from './window.js';

export type ScalrUsageDimension = 'ENVIRONMENT' | 'WORKSPACE';

/** Runs that finished, and their seconds. */
export interface Runs {
  runsCount: number;
  runsSeconds: number;
}

export interface UsageGroup extends Runs {
  keys: CostKey[];
  cells: Map<number, Runs>;
}

const add = (to: Runs, row: Runs) => {
  to.runsCount += row.runsCount;
  to.runsSeconds += row.runsSeconds;
};

/** Sums of a usage report as rows arrive: over the window, per bucket, per group and (group, bucket). */
export class UsageSums {
  readonly total: Runs = { runsCount: 0, runsSeconds: 0 };
  readonly byBucket: Runs[];
  readonly groups = new Map<string, UsageGroup>();

  constructor(
    readonly buckets: readonly Bucket[],
    private readonly dimension: ScalrUsageDimension | undefined,
    private readonly allowance: ReportAllowance = new ReportAllowance(),
  ) {
    this.byBucket = buckets.map(() => ({ runsCount: 0, runsSeconds: 0 }));
  }

  add(row: UsageStatistic): void {
    if (!row.date) throw new UpstreamBadResponseError('scalr answered a usage row without a date', { upstream: 'scalr' });
    const [y, m, d] = row.date.split('-').map(Number) as [number, number, number];
    const bucket = bucketIndex(this.buckets, BigInt(Date.UTC(y, m - 1, d)) * US_PER_MS);
    if (bucket < 0) throw new UpstreamBadResponseError(`scalr answered usage of ${row.date}, outside the window asked for`, { upstream: 'scalr' });
    const keys: CostKey[] = this.dimension ? [{ dimension: this.dimension, id: row.breakdownId ?? null, name: row.breakdownName ?? null }] : [];
    const id = groupId(keys);
    let group = this.groups.get(id);
    if (!group) {
      this.allowance.group();
      this.groups.set(id, (group = { keys, runsCount: 0, runsSeconds: 0, cells: new Map() }));
    } else if (group.keys[0] && group.keys[0].name === null && row.breakdownName) group.keys[0] = { ...group.keys[0], name: row.breakdownName };
    add(this.total, row);
    add(this.byBucket[bucket]!, row);
    add(group, row);
    let cell = group.cells.get(bucket);
    if (!cell) {
      this.allowance.cell();
      group.cells.set(bucket, (cell = { runsCount: 0, runsSeconds: 0 }));
    }
    add(cell, row);
  }
}


/** TOTAL_DESC: more run-seconds first, then more runs, then KEY_ASC. */
export function orderUsageGroups(groups: UsageGroup[], order: GroupOrder): UsageGroup[] {
  return groups.sort((a, b) => (order === 'TOTAL_DESC' ? b.runsSeconds - a.runsSeconds || b.runsCount - a.runsCount : 0) || compareKeys(a.keys, b.keys));
}

/** A usage report over the rows of one read (daily rows, broken down by the one dimension asked for, if any). */
export function usageSums(from: bigint, to: bigint, granularity: Granularity, dimension: ScalrUsageDimension | undefined, rows: Iterable<UsageStatistic>, allowance?: ReportAllowance): UsageSums {
  const sums = new UsageSums(bucketsOf(from, to, granularity), dimension, allowance);
  for (const row of rows) sums.add(row);
  return sums;
}
