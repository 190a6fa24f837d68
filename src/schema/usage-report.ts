import { builder } from '../builder.js';
import { requireScalr } from '../context.js';
import { badInput } from '../errors.js';
import { offsetConnection } from '../pagination/offset.js';
import { type ScalrUsageDimension, usageSums } from '../reports/usage.js';
import { US_PER_MS } from '../reports/window.js';
import type { UsageQuery } from '../upstreams/scalr/model.js';
import { allowanceOf, checkGroupBy, CostGranularityEnum, sharedSums, UsageReportRef } from './report.js';
import { MAX_WINDOW_DAYS, rfc3339, ScalrAccountRef } from './scalr.js';

const DAY_MS = 86_400_000;

const ScalrUsageDimensionEnum = builder.enumType('ScalrUsageDimension', {
  description: 'What Scalr usage can be grouped by (Scalr breaks usage down by one of them at a time).',
  values: {
    ENVIRONMENT: { description: 'The environment (`env-…`, and its name).' },
    WORKSPACE: { description: 'The workspace (`ws-…`, and its name).' },
  },
});

builder.objectField(ScalrAccountRef, 'usageReport', (t) =>
  t.field({
    type: UsageReportRef,
    description:
      'Runs and run-seconds over [from, to) by day, week or month and by environment or workspace: sums of Scalr’s daily rows (every page of the window, counted against the request’s upstream calls). Scalr’s rows are days: `from` and `to` are whole UTC days.',
    args: {
      from: t.arg({ type: 'DateTime', required: true, description: 'First day, 00:00 UTC.' }),
      to: t.arg({ type: 'DateTime', required: true, description: `End, exclusive, 00:00 UTC; at most ${MAX_WINDOW_DAYS} days after \`from\`.` }),
      granularity: t.arg({ type: CostGranularityEnum, defaultValue: 'NONE', description: 'Width of the buckets.' }),
      groupBy: t.arg({ type: [ScalrUsageDimensionEnum], defaultValue: [], description: 'ENVIRONMENT or WORKSPACE (Scalr gives one breakdown at a time).' }),
    },
    resolve: (account, args, ctx) => {
      if (args.from.getTime() % DAY_MS !== 0) throw badInput('Scalr usage is daily: `from` must be 00:00 UTC of a day', 'from');
      if (args.to.getTime() % DAY_MS !== 0) throw badInput('Scalr usage is daily: `to` must be 00:00 UTC of a day', 'to');
      if (args.to <= args.from) throw badInput('`to` must be after `from`', 'to');
      if (args.to.getTime() - args.from.getTime() > MAX_WINDOW_DAYS * DAY_MS) throw badInput(`The window may span at most ${MAX_WINDOW_DAYS} days`, 'to');
      const groupBy = checkGroupBy<ScalrUsageDimension>(args.groupBy);
      if (groupBy.length > 1) throw badInput('Scalr breaks usage down by one dimension at a time: group by ENVIRONMENT or WORKSPACE', 'groupBy');
      requireScalr(ctx.scalr);
      const granularity = args.granularity ?? 'NONE';
      const dimension = groupBy[0];
      const query: UsageQuery = {
        accountId: account.id,
        from: rfc3339(args.from),
        to: rfc3339(args.to),
        breakdownBy: dimension === undefined ? undefined : dimension === 'ENVIRONMENT' ? 'environment' : 'workspace',
        total: false,
      };
      const identity = { report: 'usage', accountId: account.id, from: query.from, to: query.to, granularity, groupBy };
      return {
        from: args.from,
        to: args.to,
        granularity,
        identity,
        sums: sharedSums(ctx, identity, async () => {
          // The same read as usageStatistics over the window: shared with it in one request.
          const rows = await offsetConnection(ctx.sources.usage(query), {}).all();
          return usageSums(BigInt(args.from.getTime()) * US_PER_MS, BigInt(args.to.getTime()) * US_PER_MS, granularity, dimension, rows, allowanceOf(ctx));
        }),
      };
    },
  }),
);
