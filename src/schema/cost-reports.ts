import { builder } from '../builder.js';
import { badInput } from '../errors.js';
import { type ChargeDimension, chargeReport } from '../reports/charges.js';
import { type ConsumptionDimension, consumptionReport, periodsBetween } from '../reports/consumption.js';
import { US_PER_MS } from '../reports/window.js';
import { offsetConnection } from '../pagination/offset.js';
import { OrganizationRef } from './organization.js';
import { allowanceOf, chargeReadingOf, checkGroupBy, CostGranularityEnum, CostReportRef, sharedSums } from './report.js';

/** Longest window of a charge report, days (as the Scalr usage window). */
const MAX_CHARGE_DAYS = 366;
/** Longest consumption report, months. */
const MAX_PERIODS = 24;
/** Most values of a filter list (resource ids: split over several upstream calls). */
const MAX_LIST = 100;
const MAX_RESOURCE_IDS = 1000;

const ChargeDimensionEnum = builder.enumType('ChargeDimension', {
  description: 'What charges can be grouped by.',
  values: {
    PROJECT: { description: 'The project (id, and `project_name` as name).' },
    RESOURCE: { description: 'The resource (id, and its name when the product sends one).' },
    SKU: { description: 'The SKU the charge is priced with.' },
    INVOICE: { description: 'The invoice the charge is on (null id until invoiced).' },
  },
});

const ConsumptionDimensionEnum = builder.enumType('ConsumptionDimension', {
  description: 'What consumption can be grouped by.',
  values: {
    PROJECT: { description: 'The project (id, and its name).' },
    CATEGORY: { description: 'The invoice category, e.g. `Compute`.' },
    PRODUCT: { description: 'The product, e.g. `PRO2-XXS`.' },
    SKU: { description: 'The SKU.' },
  },
});

const ChargeReportFilterInput = builder.inputType('ChargeReportFilter', {
  description: 'Which charges a report sums; lists are combined with AND, each matches any of its values.',
  fields: (t) => ({
    projectIds: t.field({ type: ['UUID'], description: 'Only these projects (not empty).' }),
    resourceIds: t.stringList({ description: 'Only these resources (not empty; at most 1,000, read in several upstream calls).' }),
    resourceNames: t.stringList({ description: 'Only resources with these names (not empty).' }),
    skus: t.stringList({ description: 'Only these SKUs (not empty).' }),
    invoiceIds: t.stringList({ description: 'Only charges on these invoices (not empty).' }),
  }),
});

const ConsumptionReportFilterInput = builder.inputType('ConsumptionReportFilter', {
  description: 'Which consumption rows a report sums (kept in the gateway: the list is read by organization).',
  fields: (t) => ({
    projectIds: t.field({ type: ['UUID'], description: 'Only these projects of the organization (not empty).' }),
    categories: t.stringList({ description: 'Only these categories, e.g. `Compute` (not empty).' }),
  }),
});

/** A filter list: absent, or 1..max values, sorted and without repeats (equal filters share reads). */
function list(values: readonly string[] | null | undefined, argument: string, max = MAX_LIST): string[] | undefined {
  if (values == null) return undefined;
  if (values.length === 0) throw badInput(`\`${argument.split('.').pop()}: []\` would match nothing; omit it to mean all`, argument);
  if (values.length > max) throw badInput(`\`${argument.split('.').pop()}\` takes at most ${max} values`, argument);
  if (values.some((v) => v === '')) throw badInput(`\`${argument.split('.').pop()}\` takes no empty value`, argument);
  return [...new Set(values)].sort();
}

const us = (date: Date) => BigInt(date.getTime()) * US_PER_MS;

builder.objectFields(OrganizationRef, (t) => ({
  chargeReport: t.field({
    type: CostReportRef,
    description:
      'Exact totals of FinOps charges over [from, to) by time bucket and by up to two dimensions. Charges are read clamped to the window; a charge spanning several buckets is split by time to the nano, its pieces summing exactly to it. Reads every page of the window (counted against the request’s upstream calls).',
    args: {
      from: t.arg({ type: 'DateTime', required: true, description: 'Start of the window, inclusive.' }),
      to: t.arg({ type: 'DateTime', required: true, description: `End of the window, exclusive; at most ${MAX_CHARGE_DAYS} days after \`from\`.` }),
      granularity: t.arg({ type: CostGranularityEnum, defaultValue: 'NONE', description: 'Width of the buckets.' }),
      groupBy: t.arg({ type: [ChargeDimensionEnum], defaultValue: [], description: 'At most two dimensions, none repeated.' }),
      filter: t.arg({ type: ChargeReportFilterInput, description: 'Which charges.' }),
    },
    resolve: (org, args, ctx) => {
      if (args.to <= args.from) throw badInput('`to` must be after `from`', 'to');
      if (args.to.getTime() - args.from.getTime() > MAX_CHARGE_DAYS * 86_400_000) throw badInput(`The window may span at most ${MAX_CHARGE_DAYS} days`, 'to');
      const groupBy = checkGroupBy<ChargeDimension>(args.groupBy);
      const f = args.filter ?? {};
      const filter = {
        projectIds: list(f.projectIds?.map((id) => id.toLowerCase()), 'filter.projectIds'),
        resourceIds: list(f.resourceIds, 'filter.resourceIds', MAX_RESOURCE_IDS),
        resourceNames: list(f.resourceNames, 'filter.resourceNames'),
        skus: list(f.skus, 'filter.skus'),
        invoiceIds: list(f.invoiceIds, 'filter.invoiceIds'),
      };
      const granularity = args.granularity ?? 'NONE';
      const query = { organizationId: org.id, from: us(args.from), to: us(args.to), granularity, groupBy, filter };
      const identity = { report: 'charges', organizationId: org.id, from: args.from.toISOString(), to: args.to.toISOString(), granularity, groupBy, filter };
      return {
        from: args.from,
        to: args.to,
        granularity,
        identity,
        sums: sharedSums(ctx, identity, () =>
          chargeReport(query, chargeReadingOf(ctx)),
        ),
      };
    },
  }),
  consumptionReport: t.field({
    type: CostReportRef,
    description:
      'Exact totals of consumption from `fromPeriod` to `toPeriod` (inclusive months) by month and by up to two dimensions. Reads every page of each month’s consumption list (counted against the request’s upstream calls).',
    args: {
      fromPeriod: t.arg({ type: 'BillingPeriod', required: true, description: 'First month, `YYYY-MM`.' }),
      toPeriod: t.arg({ type: 'BillingPeriod', required: true, description: `Last month, inclusive; at most ${MAX_PERIODS} months in all.` }),
      granularity: t.arg({ type: CostGranularityEnum, defaultValue: 'MONTH', description: 'MONTH or NONE: consumption is monthly, so DAY and WEEK are refused.' }),
      groupBy: t.arg({ type: [ConsumptionDimensionEnum], defaultValue: [], description: 'At most two dimensions, none repeated.' }),
      filter: t.arg({ type: ConsumptionReportFilterInput, description: 'Which rows.' }),
    },
    resolve: (org, args, ctx) => {
      if (args.toPeriod < args.fromPeriod) throw badInput('`toPeriod` must not be before `fromPeriod`', 'toPeriod');
      const periods = periodsBetween(args.fromPeriod, args.toPeriod);
      if (periods.length > MAX_PERIODS) throw badInput(`A consumption report spans at most ${MAX_PERIODS} months`, 'toPeriod');
      const granularity = args.granularity ?? 'MONTH';
      if (granularity !== 'MONTH' && granularity !== 'NONE') throw badInput('Consumption is monthly: `granularity` must be MONTH or NONE', 'granularity');
      const groupBy = checkGroupBy<ConsumptionDimension>(args.groupBy);
      const f = args.filter ?? {};
      const projectIds = list(f.projectIds?.map((id) => id.toLowerCase()), 'filter.projectIds');
      const categories = list(f.categories, 'filter.categories');
      const [fy, fm] = args.fromPeriod.split('-').map(Number) as [number, number];
      const [ty, tm] = args.toPeriod.split('-').map(Number) as [number, number];
      const identity = { report: 'consumption', organizationId: org.id, periods: [args.fromPeriod, args.toPeriod], granularity, groupBy, projectIds, categories };
      return {
        from: new Date(Date.UTC(fy, fm - 1, 1)),
        to: new Date(Date.UTC(ty, tm, 1)),
        granularity,
        identity,
        sums: sharedSums(ctx, identity, () =>
          consumptionReport(
            { periods, granularity, groupBy, filter: { projectIds: projectIds && new Set(projectIds), categories: categories && new Set(categories) } },
            // The whole list of the month, by organization: a project filter is kept here, never sent.
            (billingPeriod) => offsetConnection(ctx.sources.consumptions({ organizationId: org.id, billingPeriod, orderBy: 'updated_at_desc' }), {}).all(),
            allowanceOf(ctx),
          ),
        ),
      };
    },
  }),
}));
