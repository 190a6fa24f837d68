import { createHash } from 'node:crypto';
import { createContextCache } from '@pothos/core';
import { builder } from '../builder.js';
import { type Context, stableKey } from '../context.js';
import { badInput } from '../errors.js';
import { FOCUS_COLUMNS, FOCUS_FIELDS, type FocusRow } from '../focus/columns.js';
import { chargeRow, consumptionRow, type FocusGrain, type PeriodFacts, periodFacts, periodRows, type SkuFacts, skuFacts } from '../focus/rows.js';
import { periodChargeQuery, periodConsumptionQuery, readPeriodInvoices, readPeriodTaxes } from '../focus/stream.js';
import type { Page } from '../lib/page.js';
import { timestampMicros } from '../lib/time.js';
import { forwardCount, tokenConnection } from '../pagination/connection.js';
import { decodeTokenCursor, tokenContext } from '../pagination/cursor.js';
import { offsetConnection, type OffsetSource } from '../pagination/offset.js';
import { readTokenWindow, type TokenSource } from '../pagination/token.js';
import { UpstreamBadRequestError } from '../upstreams/errors.js';
import { BILLING_MAX_PAGE_SIZE } from '../upstreams/scaleway/client.js';
import { consumptionIdentity, type Tax } from '../upstreams/scaleway/model.js';
import { OrganizationRef } from './organization.js';

const FocusGrainEnum = builder.enumType('FocusGrain', {
  description: 'Which Scaleway rows FOCUS rows are made of (docs/focus.md).',
  values: {
    CONSUMPTION: {
      description:
        "FOCUS-conformant (one documented deviation: Purchase rows have no quantity): one row per consumption line of the period (per project, SKU and currency), then one Tax row per tax line and one Credit row per periodic invoice discount, then, for each purchase invoice and credit note of the period, one Purchase (or correcting Credit) row for its untaxed total and one Tax row for its tax. Every row carries its invoice, so BilledCost sums to each invoice's total.",
    },
    CHARGE: {
      description:
        'FOCUS-shaped: one row per raw FinOps charge lying wholly in the period (a charge spanning two months is in neither), oldest first. Deviations: no quantities (PricingQuantity null on Usage rows), no tax, discount or purchase rows; not an invoice total. Costs as much as a report (it reads every consumption page of the month).',
    },
  } as const,
});

/** The GraphQL field of a column: its type, nullability and description from the column table. */
const FocusRowRef = builder.objectRef<FocusRow>('FocusRow').implement({
  description:
    'A FOCUS 1.3 Cost and Usage row. Each field is one FOCUS column (its name in the description), the `x…` fields the gateway’s own `x_` columns. Decimals carry a decimal point (`"12.0"`), date/times are whole seconds in UTC, period ends exclusive; a value the upstream does not give is null.',
  fields: (t) =>
    Object.fromEntries(
      FOCUS_FIELDS.map((field) => {
        const column = FOCUS_COLUMNS[field];
        const description = `FOCUS \`${column.name}\` (${column.level === 'Custom' ? 'custom column' : column.level}). ${column.description}`;
        const options = { nullable: column.nullable, description };
        const value = (row: FocusRow) => row[field];
        switch (column.type) {
          case 'Decimal':
            return [field, t.field({ ...options, type: 'Decimal', resolve: (row) => value(row) as string })];
          case 'DateTime':
            return [field, t.field({ ...options, type: 'DateTime', resolve: (row) => value(row) as string })];
          case 'Boolean':
            return [field, t.boolean({ ...options, resolve: (row) => value(row) as boolean })];
          default:
            return [field, t.string({ ...options, resolve: (row) => value(row) as string })];
        }
      }),
    ),
});

/** A period's facts and tax lines, read once per request whatever reads them. */
const periodCache = createContextCache(() => new Map<string, Promise<{ facts: PeriodFacts; taxes: Tax[] }>>());

function period(ctx: Context, organizationId: string, billingPeriod: string): Promise<{ facts: PeriodFacts; taxes: Tax[] }> {
  const cache = periodCache(ctx);
  const key = `${organizationId} ${billingPeriod}`;
  let read = cache.get(key);
  if (!read) {
    // The export's readers, with its checks: a short or long page fails, never drops a row.
    const invoices = readPeriodInvoices(ctx.billing, organizationId, billingPeriod);
    const taxes = readPeriodTaxes(ctx.billing, organizationId, billingPeriod);
    cache.set(key, (read = Promise.all([invoices, taxes]).then(([listed, t]) => ({ facts: periodFacts(organizationId, billingPeriod, listed), taxes: t }))));
  }
  return read;
}

/**
 * CONSUMPTION grain as a page-number list: page p holds consumption page p's rows (same offsets),
 * then, past the consumption's end, the tax and credit rows; its total counts both.
 */
function consumptionGrain(ctx: Context, organizationId: string, billingPeriod: string): OffsetSource<FocusRow, Page<FocusRow>> {
  const query = periodConsumptionQuery(organizationId, billingPeriod);
  const size = BILLING_MAX_PAGE_SIZE;
  // Each row's identity in the list: a read that meets one twice fails (rows moved between pages).
  const identities = new WeakMap<FocusRow, string>();
  return {
    name: 'Organization.focusRows',
    filter: { grain: 'CONSUMPTION', organizationId, billingPeriod },
    upstream: 'scaleway',
    pageSize: size,
    fetchPage: async (page) => {
      const [p, { facts, taxes }] = await Promise.all([ctx.loaders.consumptions.load({ query, page }), period(ctx, organizationId, billingPeriod)]);
      const rows = p.rows.map((c) => {
        const row = consumptionRow(c, facts, p.updatedAt);
        identities.set(row, consumptionIdentity(c));
        return row;
      });
      const extra = periodRows(facts, taxes);
      extra.forEach((row, i) => identities.set(row, `period ${i}`));
      // The extra rows' offsets are [consumption total, total).
      const from = Math.max((page - 1) * size, p.totalCount) - p.totalCount;
      const to = Math.min(page * size, p.totalCount + extra.length) - p.totalCount;
      if (to > from && (page - 1) * size + p.rows.length >= p.totalCount) rows.push(...extra.slice(from, to));
      return { rows, totalCount: p.totalCount + extra.length };
    },
    identity: (row) => identities.get(row) ?? '',
    keys: ctx.settings.keys,
    budget: ctx.budget,
  };
}

/** A FOCUS row's content, digested: what tells tied rows apart in a cursor (charges have no id). */
const rowIdentity = (row: FocusRow) => createHash('sha256').update(stableKey(row)).digest('base64url').slice(0, 11);

/** The charges of the month, one token stream, as FOCUS rows; the SKU facts from the month's consumption (all pages, once per request). */
function chargeGrain(ctx: Context, organizationId: string, billingPeriod: string): TokenSource<FocusRow> {
  const query = periodChargeQuery(organizationId, billingPeriod);
  let skus: Promise<SkuFacts> | undefined;
  const facts = () => (skus ??= offsetConnection(ctx.sources.consumptions(periodConsumptionQuery(organizationId, billingPeriod)), {}).all().then(skuFacts));
  return {
    name: 'Organization.focusRows',
    filter: { grain: 'CHARGE', query, chunk: ctx.settings.finopsPageSize },
    upstream: 'scaleway',
    streams: 1,
    fetchPage: async (_stream, token) => {
      const [page, known] = await Promise.all([ctx.loaders.chargePages.load({ query, token }), facts()]);
      return { rows: page.rows.map((c) => chargeRow(c, organizationId, known, false)), nextToken: page.nextToken };
    },
    order: (row) => timestampMicros(row.chargePeriodStart),
    identity: rowIdentity,
    isStaleToken: (error) => error instanceof UpstreamBadRequestError && error.argument === 'page_token',
    limits: ctx.settings.tokenPageLimits,
    keys: ctx.settings.keys,
    budget: ctx.budget,
  };
}

builder.objectField(OrganizationRef, 'focusRows', (t) =>
  t.connection(
    {
      type: FocusRowRef,
      description:
        'The billing period’s costs as FOCUS 1.3 Cost and Usage rows (docs/focus.md), the same rows as `GET /export/focus.csv`. CONSUMPTION grain pages both ways and has a `totalCount`; CHARGE grain pages forward only (FinOps tokens).',
      args: {
        billingPeriod: t.arg({ type: 'BillingPeriod', required: true, description: 'The month, `YYYY-MM` (UTC); not after the current one.' }),
        grain: t.arg({ type: FocusGrainEnum, defaultValue: 'CONSUMPTION', description: 'Consumption lines (conformant, reconciles to the invoice) or raw FinOps charges.' }),
      },
      resolve: (org, args, ctx) => {
        if (args.billingPeriod > ctx.settings.now().toISOString().slice(0, 7)) throw badInput('`billingPeriod` is in the future: nothing is billed yet', 'billingPeriod');
        // The gateway's configuration, not an argument, is what is wrong: no argument is named.
        if (ctx.billing.version !== 'v2beta1') throw badInput('FOCUS rows need Billing API v2beta1 (taxes and past periods): this gateway is configured for v2alpha1 (SCW_BILLING_API_VERSION)');
        const grain: FocusGrain = args.grain ?? 'CONSUMPTION';
        if (grain === 'CONSUMPTION') return offsetConnection(consumptionGrain(ctx, org.id, args.billingPeriod), args);
        const first = forwardCount(args);
        const source = chargeGrain(ctx, org.id, args.billingPeriod);
        const start = args.after == null ? undefined : decodeTokenCursor(source.keys, tokenContext(source.name, source.filter), source.streams, args.after);
        // Getters, not values: a spread would read the window even when no edge is selected.
        return Object.defineProperty(tokenConnection(source, () => readTokenWindow(source, start, first), start !== undefined), 'totalCount', { get: () => Promise.resolve(null) }) as ReturnType<typeof tokenConnection<FocusRow>> & {
          totalCount: Promise<number | null>;
        };
      },
    },
    {
      name: 'FocusRowConnection',
      description: 'A page of FOCUS rows.',
      fields: (t) => ({
        totalCount: t.int({
          nullable: true,
          description: 'Rows of the period at CONSUMPTION grain (consumption lines, tax lines, discounts, purchase invoices and credit notes with their taxes), over all pages; null at CHARGE grain (FinOps charges have no count).',
          resolve: (c) => c.totalCount,
        }),
      }),
    },
    { name: 'FocusRowEdge', description: 'A FOCUS row and its cursor.' },
  ),
);
