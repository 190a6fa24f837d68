import type { DecimalText } from '../lib/money.js';
import { builder } from '../builder.js';
import { badInput } from '../errors.js';
import { billingPeriodOf } from '../upstreams/scaleway/client.js';
import type { Consumption, ConsumptionOrder } from '../upstreams/scaleway/model.js';
import { sumByCurrency } from '../lib/money.js';
import { MoneyRef } from './money.js';
import { OrganizationRef } from './organization.js';
import { offsetConnection } from '../pagination/offset.js';

const ConsumptionRef = builder.objectRef<Consumption>('Consumption').implement({
  description: 'Consumption of one product in one project over a billing period (the figures invoices are made of).',
  fields: (t) => ({
    projectId: t.expose('projectId', { type: 'UUID', nullable: true, description: 'Project that consumed.' }),
    projectName: t.exposeString('projectName', { nullable: true, description: 'Name of the project, when the upstream sends it.' }),
    categoryName: t.exposeString('categoryName', { nullable: true, description: 'Invoice category, e.g. `Compute`.' }),
    productName: t.exposeString('productName', { nullable: true, description: 'Product, e.g. `PRO2-XXS`.' }),
    resourceName: t.exposeString('resourceName', { nullable: true, description: 'Price reference label (e.g. `PRO2-XS - FR-PAR-1`), not a user resource name (v2beta1).' }),
    sku: t.exposeString('sku', { nullable: true, description: 'SKU the consumption is priced with.' }),
    unit: t.exposeString('unit', { nullable: true, description: 'Unit of `billedQuantity`, e.g. `minute` (v2beta1).' }),
    billedQuantity: t.expose('billedQuantity', { type: 'Decimal', nullable: true, description: 'Billed quantity in `unit` (v2beta1).' }),
    consumerId: t.exposeString('consumerId', { nullable: true, description: 'Organization id of the consumer (v2beta1).' }),
    value: t.expose('value', { type: MoneyRef, description: 'Amount consumed, untaxed.' }),
  }),
});

const ConsumptionOrderEnum = builder.enumType('ConsumptionOrder', {
  description: 'Order of consumption rows.',
  values: {
    UPDATED_AT_DESC: { value: 'updated_at_desc', description: 'Most recently updated first (the upstream default).' },
    UPDATED_AT_ASC: { value: 'updated_at_asc', description: 'Least recently updated first.' },
    CATEGORY_NAME_ASC: { value: 'category_name_asc', description: 'By category, A to Z.' },
    CATEGORY_NAME_DESC: { value: 'category_name_desc', description: 'By category, Z to A.' },
  } satisfies Record<string, { value: ConsumptionOrder; description: string }>,
});

const billingPeriodPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

builder.objectField(OrganizationRef, 'consumptions', (t) =>
  t.connection(
    {
      type: ConsumptionRef,
      description: 'Billing period defaults to the current month (UTC).',
      args: {
        billingPeriod: t.arg.string({ description: 'Month as `YYYY-MM`; defaults to the current month (UTC).' }),
        categoryName: t.arg.string({ description: 'Only this category, e.g. `Compute`.' }),
        projectId: t.arg({
          type: 'UUID',
          description: "Only this project of the organization (read from the organization's rows: a project of another organization matches nothing).",
        }),
        orderBy: t.arg({ type: ConsumptionOrderEnum, defaultValue: 'updated_at_desc', description: 'Sort order.' }),
      },
      resolve: (org, args, ctx) => {
        if (args.billingPeriod != null && !billingPeriodPattern.test(args.billingPeriod)) {
          throw badInput('`billingPeriod` must be a month as YYYY-MM, such as 2026-07', 'billingPeriod');
        }
        if (args.categoryName === '') throw badInput('`categoryName` must not be empty', 'categoryName');
        const connection = offsetConnection(
          ctx.sources.consumptions(
            {
              organizationId: org.id,
              billingPeriod: args.billingPeriod ?? billingPeriodOf(ctx.settings.now()),
              categoryName: args.categoryName ?? undefined,
              orderBy: args.orderBy ?? 'updated_at_desc',
            },
            args.projectId ?? undefined,
          ),
          args,
        );
        // Getters, not values: only a selected field may cause an upstream call.
        return Object.defineProperties(connection, {
          updatedAt: { get: () => connection.anchor().then((p) => p.updatedAt ?? null) },
          totalDiscountUntaxed: { get: () => connection.anchor().then((p) => p.totalDiscountUntaxed ?? null) },
        }) as typeof connection & { updatedAt: Promise<string | null>; totalDiscountUntaxed: Promise<DecimalText | null> };
      },
    },
    {
      name: 'ConsumptionConnection',
      description: 'A page of consumption rows.',
      fields: (t) => ({
        totalCount: t.int({ description: 'Number of rows matching the arguments, over all pages.', resolve: (c) => c.totalCount }),
        updatedAt: t.field({
          type: 'DateTime',
          nullable: true,
          description: 'When the upstream last computed these figures (consumption is not real time).',
          resolve: (c) => c.updatedAt,
        }),
        totalDiscountUntaxed: t.field({
          type: 'Decimal',
          nullable: true,
          description:
            'Sum of all discounts of the period, untaxed, as the upstream computes it (in the billing currency; it names none). Null with a category or project filter, and on v2alpha1.',
          resolve: (c) => c.totalDiscountUntaxed,
        }),
        totals: t.field({
          type: [MoneyRef],
          description:
            'Exact sum of `value` over every row matching the arguments (all pages, not only this one), one entry per currency. Reads every upstream page.',
          resolve: async (c) => sumByCurrency((await c.all()).map((row) => row.value)),
        }),
      }),
    },
    { name: 'ConsumptionEdge', description: 'A consumption row and its cursor.' },
  ),
);
