import { GraphQLSafeInt } from 'graphql-scalars';
import { branded, builder } from '../builder.js';
import { mayReadScalrAccount, servedIds } from '../access/caller.js';
import { type Context, requireScalr } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { UpstreamNotFoundError } from '../upstreams/errors.js';
import type { ScalrBreakdown, UsageQuery, UsageStatistic } from '../upstreams/scalr/model.js';
import { offsetConnection } from '../pagination/offset.js';

builder.addScalarType('SafeInt', GraphQLSafeInt);

/** Longest usage window: Scalr documents none; a year of daily rows per workspace is already large. */
/** Longest window of Scalr usage, days (statistics and reports). */
export const MAX_WINDOW_DAYS = 366;

interface ScalrAccountShape {
  id: string;
}

const accountIdPattern = /^acc-[a-z0-9]+$/i;

/**
 * The account an argument names (or the default). Configured accounts are checked without a call;
 * with no list configured, or with a caller's own token, the account is looked up once (Scalr
 * answers an empty list, not a 404, for usage of an account it does not know, so an unchecked id
 * would read as "no runs").
 */
async function scalrAccountFor(ctx: Context, id: string | null | undefined): Promise<ScalrAccountShape> {
  // Scalr writes its ids in lower case: one spelling, so that scopes and upstream filters agree.
  const accountId = (id ?? ctx.settings.defaultScalrAccountId)?.toLowerCase();
  if (!accountId) throw badInput('No Scalr account id given and no default configured (SCALR_ACCOUNT_ID)', 'id');
  if (!accountIdPattern.test(accountId)) throw badInput('A Scalr account id looks like `acc-…`', 'id');
  // "Not served" and "not yours" are one answer, disclosing nothing.
  const missing = () => notFound(id == null ? 'Scalr account not found (the default account)' : `Scalr account ${accountId} not found`);
  if (!mayReadScalrAccount(ctx.caller, ctx.settings, accountId)) throw missing();
  // A configured list is checked by the gateway's own token; a caller's own token (passthrough)
  // may see fewer accounts, and Scalr would answer "no usage" for one it cannot see.
  if (ctx.settings.scalrAccountIds && ctx.caller.scalrToken === undefined) return { id: accountId };
  try {
    await ctx.loaders.scalrAccounts.load(accountId);
  } catch (error) {
    // Scalr answers 404 for an account that does not exist or that this token may not see.
    if (error instanceof UpstreamNotFoundError) throw missing();
    throw error;
  }
  return { id: accountId };
}

const ScalrBreakdownEnum = builder.enumType('ScalrBreakdown', {
  description: 'What usage is broken down by.',
  values: {
    ENVIRONMENT: { value: 'environment', description: 'One row per environment (per day).' },
    WORKSPACE: { value: 'workspace', description: 'One row per workspace (per day).' },
    ACCOUNT: { value: 'account', description: 'One row per account (per day): for Control Tower parent accounts.' },
  } satisfies Record<string, { value: ScalrBreakdown; description: string }>,
});

const ScalrUsageStatisticRef = builder.objectRef<UsageStatistic>('ScalrUsageStatistic').implement({
  description: 'Terraform runs that finished in one UTC day (or, with `total`, the whole window), for the account or one breakdown entity.',
  fields: (t) => ({
    date: t.expose('date', { type: 'Date', nullable: true, description: 'The day; null on `total` rows.' }),
    breakdownId: t.exposeString('breakdownId', { nullable: true, description: 'Id of the breakdown entity (`env-…`, `ws-…`, `acc-…`); null without breakdown.' }),
    breakdownName: t.exposeString('breakdownName', { nullable: true, description: 'Name of the breakdown entity, as Scalr last knew it.' }),
    runsCount: t.exposeInt('runsCount', { description: 'Runs that finished (not necessarily all billable).' }),
    runsSeconds: t.exposeInt('runsSeconds', { description: 'Total duration of those runs, in seconds.' }),
  }),
});

export const ScalrAccountRef = builder.loadableNode('ScalrAccount', {
  description: 'A Scalr account: its Terraform run usage.',
  id: { resolve: (a: ScalrAccountShape) => a.id },
  // Not found or not the caller's: null with NOT_FOUND for that id alone; any other failure (Scalr
  // not configured, unreachable) is that id's error too, never a silent null.
  load: (ids: string[], ctx: Context): Promise<(ScalrAccountShape | Error)[]> => Promise.all(ids.map((id) => scalrAccountFor(ctx, id).catch((error: unknown) => error as Error))),
  fields: (t) => ({
    accountId: t.exposeString('id', { description: 'The Scalr account id (`acc-…`).' }),
  }),
});

/** An argument instant as Scalr's filter takes it. */
export const rfc3339 = (date: Date) => date.toISOString().replace('.000Z', 'Z');

builder.objectField(ScalrAccountRef, 'usageStatistics', (t) =>
  t.connection(
    {
      type: ScalrUsageStatisticRef,
      description: 'Daily usage in [from, to). With total: true, one row for the whole window (per breakdown entity).',
      args: {
        from: t.arg({ type: 'DateTime', required: true, description: 'Start of the window (UTC).' }),
        to: t.arg({ type: 'DateTime', required: true, description: `End of the window, exclusive; at most ${MAX_WINDOW_DAYS} days after \`from\`.` }),
        breakdownBy: t.arg({ type: ScalrBreakdownEnum, description: 'Break usage down by environment, workspace or account.' }),
        total: t.arg.boolean({ defaultValue: false, description: 'One row for the whole window (per breakdown entity) instead of one per day.' }),
      },
      resolve: (account, args, ctx) => {
        if (args.to <= args.from) throw badInput('`to` must be after `from`', 'to');
        if (args.to.getTime() - args.from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
          throw badInput(`The window may span at most ${MAX_WINDOW_DAYS} days`, 'to');
        }
        requireScalr(ctx.scalr);
        const query: UsageQuery = {
          accountId: account.id,
          from: rfc3339(args.from),
          to: rfc3339(args.to),
          breakdownBy: args.breakdownBy ?? undefined,
          total: args.total ?? false,
        };
        return offsetConnection(ctx.sources.usage(query), args);
      },
    },
    {
      name: 'ScalrUsageStatisticConnection',
      description: 'A page of usage rows.',
      fields: (t) => ({
        totalCount: t.int({ description: 'Number of rows over all pages.', resolve: (c) => c.totalCount }),
        totalRunsCount: t.field({
          type: 'SafeInt',
          description: 'Sum of `runsCount` over every row of the window (all pages, not only this one).',
          resolve: async (c) => (await c.all()).reduce((sum, row) => sum + row.runsCount, 0),
        }),
        totalRunsSeconds: t.field({
          type: 'SafeInt',
          description: 'Sum of `runsSeconds` over every row of the window (all pages, not only this one).',
          resolve: async (c) => (await c.all()).reduce((sum, row) => sum + row.runsSeconds, 0),
        }),
      }),
    },
    { name: 'ScalrUsageStatisticEdge', description: 'A usage row and its cursor.' },
  ),
);

builder.queryFields((t) => ({
  servedScalrAccounts: t.field({
    type: [ScalrAccountRef],
    description:
      'The Scalr accounts this caller may read on this gateway, as configured (no upstream call): the default first, then by id. Empty when Scalr is not configured; a gateway with no list of accounts lists its default only, or the caller’s own list when its token has one; a caller with its own Scalr token (passthrough) is offered the default only.',
    resolve: (_root, _args, ctx) =>
      // No Scalr client (no SCALR_TOKEN): nothing to offer; every Scalr field would say so.
      !ctx.scalr
        ? []
        : servedIds(ctx.settings.defaultScalrAccountId, ctx.settings.scalrAccountIds, ctx.caller.scalrAccounts, ctx.caller.scalrToken !== undefined)
            .filter((id) => accountIdPattern.test(id) && mayReadScalrAccount(ctx.caller, ctx.settings, id))
            .map((id) => ({ id })),
  }),
  scalrAccount: t.field({
    type: ScalrAccountRef,
    nullable: true,
    description: 'id defaults to the configured Scalr account (SCALR_ACCOUNT_ID).',
    args: { id: t.arg.id({ description: 'Scalr account id (`acc-…`); omit for the default account.' }) },
    resolve: (_root, args, ctx) => scalrAccountFor(ctx, args.id == null ? undefined : String(args.id)),
  }),
}));
