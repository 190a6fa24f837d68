import { builder } from '../builder.js';
import { UUID } from '../lib/uuid.js';
import type { Context, Scoped } from '../context.js';
import { notFound } from '../errors.js';
import type { Discount, DiscountFilterType, DiscountOrder } from '../upstreams/scaleway/model.js';
import { canRead, OrganizationRef } from './organization.js';
import { offsetConnection } from '../pagination/offset.js';
import { sortOrderValues } from './sort-order.js';

const DiscountModeEnum = builder.enumType('DiscountMode', {
  description: 'How a discount applies.',
  values: {
    RATE: { value: 'rate', description: 'A percentage off each bill.' },
    SPLITTABLE: { value: 'splittable', description: 'A fixed sum consumed across bills.' },
    VALUE: { value: 'value', description: 'An amount off a bill.' },
    UNKNOWN: { value: 'unknown', description: 'A mode this gateway does not know yet.' },
  } as const,
});

const filterTypes: Record<string, { value: DiscountFilterType; description: string }> = {
  CATEGORY_NAME: { value: 'category_name', description: 'A product category (v2beta1).' },
  PRODUCT_NAME: { value: 'product_name', description: 'A product (v2beta1).' },
  PRODUCT_RANGE: { value: 'product_range', description: 'A product range (v2beta1).' },
  RESOURCE_NAME: { value: 'resource_name', description: 'A resource (v2beta1).' },
  REGION: { value: 'region', description: 'A region.' },
  ZONE: { value: 'zone', description: 'A zone.' },
  PRODUCT: { value: 'product', description: 'A product (v2alpha1).' },
  PRODUCT_CATEGORY: { value: 'product_category', description: 'A product category (v2alpha1).' },
  PRODUCT_OFFER: { value: 'product_offer', description: 'A product offer (v2alpha1).' },
  PRODUCT_REFERENCE: { value: 'product_reference', description: 'A product reference (v2alpha1).' },
  UNKNOWN: { value: 'unknown', description: 'A filter type this gateway does not know yet.' },
};
const DiscountFilterTypeEnum = builder.enumType('DiscountFilterType', {
  description: 'What a discount filter matches. v2beta1 values first, then the v2alpha1 ones (the two API versions name them differently).',
  values: filterTypes,
});

const DiscountFilterRef = builder.objectRef<Discount['filters'][number]>('DiscountFilter').implement({
  description: 'Limits where a discount applies.',
  fields: (t) => ({
    type: t.expose('type', { type: DiscountFilterTypeEnum, description: 'What the filter matches.' }),
    value: t.exposeString('value', { description: 'The category, product, region… matched.' }),
    exclude: t.exposeBoolean('exclude', { description: 'True: the discount applies everywhere except here.' }),
  }),
});

const DiscountOrderEnum = builder.enumType('DiscountOrder', {
  description: 'Order of discounts.',
  values: sortOrderValues<'CREATION_DATE' | 'START_DATE' | 'STOP_DATE', DiscountOrder>(['CREATION_DATE', 'START_DATE', 'STOP_DATE'], (key) =>
    key === 'CREATION_DATE' ? '' : ' (v2beta1)',
  ),
});

export type DiscountShape = Scoped<Discount>;

/** Neither API version can get one discount: look it up in the organization's list (one walk per request). */
async function loadDiscounts(keys: readonly string[], ctx: Context): Promise<(DiscountShape | Error)[]> {
  return Promise.all(
    keys.map(async (key) => {
      const [organizationId = '', discountId = ''] = key.split('/');
      const missing = notFound(`Discount ${discountId} not found`);
      if (!UUID.test(organizationId) || !UUID.test(discountId) || !canRead(ctx, organizationId)) return missing;
      try {
        const all = await offsetConnection(ctx.sources.discounts({ organizationId, orderBy: 'creation_date_desc' }), {}).all();
        return all.find((d) => d.id === discountId) ?? missing;
      } catch (error) {
        return error as Error;
      }
    }),
  );
}

const DiscountRef = builder.loadableNode('Discount', {
  description: 'A discount or credit on the organization\'s bills. Its values carry no currency upstream: they are in the billing currency (or a rate).',
  id: { resolve: (d: DiscountShape) => `${d.organizationId}/${d.id}` },
  load: loadDiscounts,
  fields: (t) => ({
    discountId: t.field({ type: 'UUID', description: 'The Scaleway discount id.', resolve: (d) => d.id }),
    description: t.exposeString('description', { description: 'What the discount is.' }),
    mode: t.expose('mode', { type: DiscountModeEnum, description: 'How it applies.' }),
    value: t.expose('value', { type: 'Decimal', description: 'Total value (a rate for RATE discounts), exactly as the upstream wrote it.' }),
    valueUsed: t.expose('valueUsed', { type: 'Decimal', description: 'Part already used.' }),
    valueRemaining: t.expose('valueRemaining', { type: 'Decimal', description: 'Part still available.' }),
    creationDate: t.expose('creationDate', { type: 'DateTime', nullable: true, description: 'When it was created.' }),
    startDate: t.expose('startDate', { type: 'DateTime', nullable: true, description: 'When it starts to apply.' }),
    stopDate: t.expose('stopDate', { type: 'DateTime', nullable: true, description: 'When it stops applying; null when open-ended.' }),
    couponDescription: t.exposeString('couponDescription', { nullable: true, description: 'The coupon it came from, if any.' }),
    filters: t.expose('filters', { type: [DiscountFilterRef], description: 'Where it applies; empty means everywhere.' }),
  }),
});

builder.objectField(OrganizationRef, 'discounts', (t) =>
  t.connection(
    {
      type: DiscountRef,
      description: 'Discounts and credits of this organization (Scaleway Billing `GET /discounts`).',
      args: {
        orderBy: t.arg({ type: DiscountOrderEnum, defaultValue: 'creation_date_desc', description: 'Sort order.' }),
      },
      resolve: (org, args, ctx) => offsetConnection(ctx.sources.discounts({ organizationId: org.id, orderBy: args.orderBy ?? 'creation_date_desc' }), args),
    },
    {
      name: 'DiscountConnection',
      description: 'A page of discounts.',
      fields: (t) => ({
        totalCount: t.int({ description: 'Number of discounts, over all pages.', resolve: (c) => c.totalCount }),
      }),
    },
    { name: 'DiscountEdge', description: 'A discount and its cursor.' },
  ),
);
