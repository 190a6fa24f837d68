import type { Consumption } from '../upstreams/scaleway/model.js';
import { type CostKey, CostSums, ReportAllowance, toNanos } from './sums.js';
import { bounded } from './walks.js';
import { bucketIndex, bucketsOf, US_PER_MS } from './window.js';

export type ConsumptionDimension = 'PROJECT' | 'CATEGORY' | 'PRODUCT' | 'SKU';

export interface ConsumptionReportQuery {
  /** Billing periods `YYYY-MM`, in order, each month once. */
  periods: string[];
  granularity: 'NONE' | 'MONTH';
  groupBy: ConsumptionDimension[];
  /** Kept in the gateway (the list is read by organization): lower-case project ids, category names. */
  filter: { projectIds?: ReadonlySet<string>; categories?: ReadonlySet<string> };
}

const keyOf: Record<ConsumptionDimension, (c: Consumption) => CostKey> = {
  PROJECT: (c) => ({ dimension: 'PROJECT', id: c.projectId ?? null, name: c.projectName ?? null }),
  CATEGORY: (c) => ({ dimension: 'CATEGORY', id: c.categoryName ?? null, name: null }),
  PRODUCT: (c) => ({ dimension: 'PRODUCT', id: c.productName ?? null, name: null }),
  SKU: (c) => ({ dimension: 'SKU', id: c.sku ?? null, name: null }),
};

/** 00:00 UTC of a billing period's first day, µs; `next` the month after. */
export function periodStart(period: string, next = false): bigint {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return BigInt(Date.UTC(y, m - 1 + (next ? 1 : 0), 1)) * US_PER_MS;
}

/** The billing periods from `from` to `to`, inclusive. */
export function periodsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const p = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (p > to) return out;
    out.push(p);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * A consumption report: each billing period's whole list (every page) is read, its rows kept by the
 * filter and summed into its month's bucket. Consumption is monthly: a row is never split.
 */
export async function consumptionReport(query: ConsumptionReportQuery, readPeriod: (period: string) => Promise<Consumption[]>, allowance: ReportAllowance = new ReportAllowance()): Promise<CostSums> {
  const from = periodStart(query.periods[0]!);
  const to = periodStart(query.periods[query.periods.length - 1]!, true);
  const buckets = bucketsOf(from, to, query.granularity);
  const sums = new CostSums(buckets, allowance);
  const { projectIds, categories } = query.filter;
  await bounded(
    query.periods.map((period) => async () => {
      const bucket = bucketIndex(buckets, periodStart(period));
      for (const row of await readPeriod(period)) {
        // A row without a project (or category) is never one of those asked for.
        if (projectIds && (row.projectId === undefined || !projectIds.has(row.projectId.toLowerCase()))) continue;
        if (categories && (row.categoryName === undefined || !categories.has(row.categoryName))) continue;
        sums.add(
          query.groupBy.map((d) => keyOf[d](row)),
          row.value.currency,
          [[bucket, toNanos(row.value)]],
        );
      }
    }),
    4,
  );
  return sums;
}
