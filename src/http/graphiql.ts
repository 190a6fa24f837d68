import { readdirSync, readFileSync } from 'node:fs';

/**
 * GraphiQL's saved tabs: the example operations in operations/ (the same files codegen types),
 * each with variables that work on the day the gateway starts. The invoices tab opens first.
 */
const folder = new URL('../../operations/', import.meta.url);

const now = new Date();
const day = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back)).toISOString();
const monthStart = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString();
const period = (back: number) => monthStart(back).slice(0, 7);

const variables: Record<string, unknown> = {
  'invoices.graphql': { first: 10 },
  'consumptions.graphql': { first: 20 },
  'discounts.graphql': { first: 10 },
  'charges.graphql': { first: 25, filter: { startDateAfter: monthStart(1), endDateBefore: monthStart(0), clampToTimeRange: true } },
  'usage.graphql': { from: day(30), to: day(0), breakdownBy: 'WORKSPACE', first: 50 },
  'charge-report.graphql': { from: monthStart(0), to: day(-1), granularity: 'DAY', groupBy: ['PROJECT'], first: 10 },
  'consumption-report.graphql': { fromPeriod: period(11), toPeriod: period(0), groupBy: ['CATEGORY'], first: 20 },
  'usage-report.graphql': { from: day(30), to: day(0), granularity: 'DAY', groupBy: ['WORKSPACE'], first: 20 },
  'invoice-reconciliation.graphql': { first: 6, skus: 5 },
  'period-reconciliation.graphql': { billingPeriod: period(1) },
  'focus-rows.graphql': { billingPeriod: period(1), grain: 'CONSUMPTION', first: 50 },
};

const order = Object.keys(variables);

export const examples: { query: string; variables: string }[] = readdirSync(folder)
  .filter((name) => name.endsWith('.graphql'))
  .sort((a, b) => (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1))
  .map((name) => ({
    query: readFileSync(new URL(name, folder), 'utf8'),
    variables: JSON.stringify(variables[name] ?? {}, null, 2),
  }));
