import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { offsetConnection } from '../pagination/offset.js';
import type { ConnectionArgs } from '../pagination/connection.js';
import type { Budget } from '../lib/budget.js';
import { SharedWalks } from '../reports/walks.js';
import type { Charge, ChargeQuery } from '../upstreams/scaleway/model.js';
import { type CostKey, type CostSums, type GroupOrder, type GroupSums, moneyOf, type NanoMoney, orderGroups, ReportAllowance } from '../reports/sums.js';
import { orderUsageGroups, type Runs, type UsageGroup, type UsageSums } from '../reports/usage.js';
import type { Bucket, Granularity } from '../reports/window.js';
import { microsTimestamp } from '../lib/time.js';
import { MoneyRef } from './money.js';
import { badInput } from '../errors.js';

/**
 * The report types shared by the cost and usage reports: granularity, keys, buckets, groups. A report
 * resolves to a lazy object: its window and granularity cost nothing, anything else reads (once).
 */

export const CostGranularityEnum = builder.enumType('CostGranularity', {
  description: 'Width of a report’s time buckets, on the UTC calendar; the first and last bucket are cut to the window.',
  values: {
    NONE: { description: 'One bucket: the whole window.' },
    DAY: { description: 'Days, from 00:00 UTC.' },
    WEEK: { description: 'ISO weeks, from Monday 00:00 UTC.' },
    MONTH: { description: 'Calendar months, from the 1st 00:00 UTC.' },
  },
});

export const CostGroupOrderEnum = builder.enumType('CostGroupOrder', {
  description: 'Order of a report’s groups.',
  values: {
    TOTAL_DESC: {
      description:
        'Largest first, without converting currencies: on the total in each of the report’s currencies in turn, by currency code (a currency a group has none of counts as 0); equal totals by KEY_ASC. Usage reports: most run-seconds, then most runs.',
    },
    KEY_ASC: { description: 'By the keys’ ids in order (a missing id last), then their names.' },
  },
});

/** The report's rules on `groupBy`, before any call: at most two keys, none repeated. */
export function checkGroupBy<D extends string>(groupBy: readonly D[] | null | undefined): D[] {
  const keys = [...(groupBy ?? [])];
  if (keys.length > 2) throw badInput('`groupBy` takes at most two dimensions', 'groupBy');
  if (new Set(keys).size !== keys.length) throw badInput('`groupBy` names a dimension twice', 'groupBy');
  return keys;
}

/** An instant as the graph serves upstream ones: RFC 3339 UTC, a fraction only when there is one. */
const instant = (us: bigint) => microsTimestamp(us);

export const CostKeyRef = builder.objectRef<CostKey>('CostKey').implement({
  description: 'One key of a group: a dimension and its value in the rows.',
  fields: (t) => ({
    dimension: t.exposeString('dimension', { description: 'The dimension, as named in `groupBy` (e.g. `PROJECT`).' }),
    id: t.exposeString('id', { nullable: true, description: 'Its value: the project id, resource id, SKU, invoice id, category, product, environment or workspace id; null for rows without one.' }),
    name: t.exposeString('name', { nullable: true, description: 'Its name where the rows give one (the project’s, the resource’s, the workspace’s), as first seen.' }),
  }),
});

export const CostBucketRef = builder.objectRef<{ bucket: Bucket; totals: NanoMoney[] }>('CostBucket').implement({
  description: 'A time bucket of a report and its exact totals per currency.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Start of the bucket, inclusive.', resolve: (b) => instant(b.bucket.start) }),
    end: t.field({ type: 'DateTime', description: 'End of the bucket, exclusive.', resolve: (b) => instant(b.bucket.end) }),
    totals: t.field({ type: [MoneyRef], description: 'Exact sums per currency, by currency code; empty when nothing was spent.', resolve: (b) => b.totals }),
  }),
});

interface CostGroupShape {
  group: GroupSums;
  buckets: readonly Bucket[];
}

export const CostGroupRef = builder.objectRef<CostGroupShape>('CostGroup').implement({
  description: 'The rows sharing one value of each `groupBy` dimension (with no `groupBy`: all of them, and no keys).',
  fields: (t) => ({
    keys: t.field({ type: [CostKeyRef], description: 'One per `groupBy` dimension, in its order.', resolve: (g) => g.group.keys }),
    totals: t.field({ type: [MoneyRef], description: 'Exact sums per currency over the window.', resolve: (g) => moneyOf(g.group.totals) }),
    series: t.field({
      type: [CostBucketRef],
      description: 'Every bucket of the window, in order; empty ones have no totals.',
      resolve: (g) => g.buckets.map((bucket, i) => ({ bucket, totals: moneyOf(g.group.cells.get(i)) })),
    }),
  }),
});

/** What a cost report field resolves to. */
export interface CostReportShape {
  from: Date;
  to: Date;
  granularity: Granularity;
  /** The report's arguments: what its groups' cursors are signed for. */
  identity: unknown;
  sums(): Promise<CostSums>;
}

/** Rows in memory (a report's groups) as a Relay connection, paged by signed offsets. */
export function groupConnection<G>(ctx: Context, name: string, identity: unknown, order: GroupOrder, ordered: () => Promise<G[]>, args: ConnectionArgs) {
  let sorted: Promise<G[]> | undefined;
  const all = () => (sorted ??= ordered());
  return offsetConnection<G, { rows: G[]; totalCount: number }>(
    {
      name,
      filter: { identity, order },
      upstream: 'scaleway',
      pageSize: 500,
      fetchPage: async (page) => {
        const groups = await all();
        return { rows: groups.slice((page - 1) * 500, page * 500), totalCount: groups.length };
      },
      keys: ctx.settings.keys,
      budget: ctx.budget,
    },
    args,
  );
}

export const CostReportRef = builder.objectRef<CostReportShape>('CostReport').implement({
  description: 'Exact totals of a window by time bucket and by group. Every amount is an exact sum of the rows (FinOps charges split across buckets by time, to the nano); amounts in different currencies are never added.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the window, inclusive.', resolve: (r) => microsTimestamp(BigInt(r.from.getTime()) * 1000n) }),
    to: t.field({ type: 'DateTime', description: 'End of the window, exclusive.', resolve: (r) => microsTimestamp(BigInt(r.to.getTime()) * 1000n) }),
    granularity: t.field({ type: CostGranularityEnum, description: 'Width of the buckets.', resolve: (r) => r.granularity }),
    totals: t.field({ type: [MoneyRef], description: 'Exact sums per currency over the window, by currency code.', resolve: async (r) => moneyOf((await r.sums()).totals) }),
    buckets: t.field({
      type: [CostBucketRef],
      description: 'Every bucket of the window in order, empty ones included (no totals); they sum exactly to `totals`.',
      resolve: async (r) => {
        const sums = await r.sums();
        return sums.buckets.map((bucket, i) => ({ bucket, totals: moneyOf(sums.byBucket[i]) }));
      },
    }),
    rowCount: t.int({ description: 'Upstream rows summed (after the filter).', resolve: async (r) => (await r.sums()).rowCount }),
    groups: t.connection(
      {
        type: CostGroupRef,
        description: 'The groups of `groupBy`, with their totals and series.',
        args: { orderBy: t.arg({ type: CostGroupOrderEnum, defaultValue: 'TOTAL_DESC', description: 'Order of the groups.' }) },
        resolve: (r, args, ctx) => {
          const order = args.orderBy ?? 'TOTAL_DESC';
          return groupConnection(
            ctx,
            'CostReport.groups',
            r.identity,
            order,
            async () => {
              const sums = await r.sums();
              return orderGroups([...sums.groups.values()], order, [...sums.totals.keys()]).map((group) => ({ group, buckets: sums.buckets }));
            },
            args,
          );
        },
      },
      {
        name: 'CostGroupConnection',
        description: 'A page of a report’s groups.',
        fields: (t) => ({ totalCount: t.int({ description: 'Number of groups.', resolve: (c) => c.totalCount }) }),
      },
      { name: 'CostGroupEdge', description: 'A group and its cursor.' },
    ),
  }),
});

const runsOf = (r: Runs | undefined) => r ?? { runsCount: 0, runsSeconds: 0 };

export const UsageBucketRef = builder.objectRef<{ bucket: Bucket; runs: Runs }>('UsageBucket').implement({
  description: 'A time bucket of a usage report.',
  fields: (t) => ({
    start: t.field({ type: 'DateTime', description: 'Start of the bucket, inclusive.', resolve: (b) => instant(b.bucket.start) }),
    end: t.field({ type: 'DateTime', description: 'End of the bucket, exclusive.', resolve: (b) => instant(b.bucket.end) }),
    runsCount: t.field({ type: 'SafeInt', description: 'Runs that finished in the bucket.', resolve: (b) => b.runs.runsCount }),
    runsSeconds: t.field({ type: 'SafeInt', description: 'Their duration, seconds.', resolve: (b) => b.runs.runsSeconds }),
  }),
});

export const UsageGroupRef = builder.objectRef<{ group: UsageGroup; buckets: readonly Bucket[] }>('UsageGroup').implement({
  description: 'The usage of one environment or workspace (with no `groupBy`: of the account, and no keys).',
  fields: (t) => ({
    keys: t.field({ type: [CostKeyRef], description: 'One per `groupBy` dimension.', resolve: (g) => g.group.keys }),
    runsCount: t.field({ type: 'SafeInt', description: 'Runs over the window.', resolve: (g) => g.group.runsCount }),
    runsSeconds: t.field({ type: 'SafeInt', description: 'Run-seconds over the window.', resolve: (g) => g.group.runsSeconds }),
    series: t.field({
      type: [UsageBucketRef],
      description: 'Every bucket of the window, in order (zeros where nothing ran).',
      resolve: (g) => g.buckets.map((bucket, i) => ({ bucket, runs: runsOf(g.group.cells.get(i)) })),
    }),
  }),
});

export interface UsageReportShape {
  from: Date;
  to: Date;
  granularity: Granularity;
  identity: unknown;
  sums(): Promise<UsageSums>;
}

export const UsageReportRef = builder.objectRef<UsageReportShape>('UsageReport').implement({
  description: 'Scalr runs and run-seconds of a window by day, week or month and by environment or workspace; exact integer sums of Scalr’s daily rows.',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', description: 'Start of the window, inclusive.', resolve: (r) => microsTimestamp(BigInt(r.from.getTime()) * 1000n) }),
    to: t.field({ type: 'DateTime', description: 'End of the window, exclusive.', resolve: (r) => microsTimestamp(BigInt(r.to.getTime()) * 1000n) }),
    granularity: t.field({ type: CostGranularityEnum, description: 'Width of the buckets.', resolve: (r) => r.granularity }),
    totalRunsCount: t.int({ description: 'Runs over the window.', resolve: async (r) => (await r.sums()).total.runsCount }),
    totalRunsSeconds: t.int({ description: 'Run-seconds over the window.', resolve: async (r) => (await r.sums()).total.runsSeconds }),
    buckets: t.field({
      type: [UsageBucketRef],
      description: 'Every bucket of the window in order; they sum exactly to the totals.',
      resolve: async (r) => {
        const sums = await r.sums();
        return sums.buckets.map((bucket, i) => ({ bucket, runs: sums.byBucket[i]! }));
      },
    }),
    groups: t.connection(
      {
        type: UsageGroupRef,
        description: 'The groups of `groupBy`, with their totals and series.',
        args: { orderBy: t.arg({ type: CostGroupOrderEnum, defaultValue: 'TOTAL_DESC', description: 'Order of the groups.' }) },
        resolve: (r, args, ctx) => {
          const order = args.orderBy ?? 'TOTAL_DESC';
          return groupConnection(
            ctx,
            'UsageReport.groups',
            r.identity,
            order,
            async () => {
              const sums = await r.sums();
              return orderUsageGroups([...sums.groups.values()], order).map((group) => ({ group, buckets: sums.buckets }));
            },
            args,
          );
        },
      },
      {
        name: 'UsageGroupConnection',
        description: 'A page of a usage report’s groups.',
        fields: (t) => ({ totalCount: t.int({ description: 'Number of groups.', resolve: (c) => c.totalCount }) }),
      },
      { name: 'UsageGroupEdge', description: 'A group and its cursor.' },
    ),
  }),
});

/**
 * What the reports of one HTTP request share: every operation of a batch too (keyed by the request's
 * budget, which they share): one memory allowance, the sums of equal reports, the charge walks.
 */
const perRequest = new WeakMap<Budget, { allowance: ReportAllowance; shared: Map<string, Promise<unknown>>; walks: SharedWalks<Charge> }>();

function requestState(ctx: Context) {
  let state = perRequest.get(ctx.budget);
  if (!state) perRequest.set(ctx.budget, (state = { allowance: new ReportAllowance(ctx.settings.reportBounds), shared: new Map(), walks: new SharedWalks() }));
  return state;
}

/** What the reports of one request may hold, together. */
export const allowanceOf = (ctx: Context) => requestState(ctx).allowance;

/** The charge walks of one request, shared by reports over the same pages. */
export const walksOf = (ctx: Context) => requestState(ctx).walks;

/**
 * A report's sums, made once per request for its arguments (`identity`) on first use: aliases of
 * one report share them, and so do not multiply its memory or its reading.
 */
export function sharedSums<T>(ctx: Context, identity: unknown, make: () => Promise<T>): () => Promise<T> {
  const key = JSON.stringify(identity);
  return () => {
    const shared = requestState(ctx).shared;
    let sums = shared.get(key) as Promise<T> | undefined;
    if (!sums) shared.set(key, (sums = make()));
    return sums;
  };
}

/** How the reports and the reconciliation of a request read FinOps charges. */
export function chargeReadingOf(ctx: Context) {
  return {
    eachPage: (q: ChargeQuery, token: string | undefined, onRow: (charge: Charge) => void) => ctx.finops.eachCharge(q, ctx.settings.finopsPageSize, token, onRow),
    limits: ctx.settings.tokenPageLimits,
    split: ctx.settings.reportSplit,
    idsPerCall: ctx.settings.finopsMaxIdsPerCall,
    walks: walksOf(ctx),
    allowance: allowanceOf(ctx),
  };
}
