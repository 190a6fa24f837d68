import { createHash } from 'node:crypto';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { builder } from '../builder.js';
import { type Context, eachKey, stableKey } from '../context.js';
import { badInput } from '../errors.js';
import { chunks } from '../lib/chunks.js';
import { timestampMicros } from '../lib/time.js';
import { UpstreamBadRequestError } from '../upstreams/errors.js';
import type { Charge, ChargeOrder, ChargeQuery } from '../upstreams/scaleway/model.js';
import { MoneyRef } from './money.js';
import { OrganizationRef } from './organization.js';
import { forwardCount, tokenConnection, type TokenWindow } from '../pagination/connection.js';
import { decodeTokenCursor, tokenContext } from '../pagination/cursor.js';
import { readShared, type StreamConsumer } from '../pagination/shared-read.js';
import { readTokenWindow, type TokenSource } from '../pagination/token.js';

const ChargeRef = builder.objectRef<Charge>('Charge').implement({
  description:
    'A raw FinOps charge of one resource over a period. FinOps figures are raw: they may differ slightly from consumption and invoices (rounding, aggregation); never present their sum as an invoice total.',
  fields: (t) => ({
    projectId: t.expose('projectId', { type: 'UUID', nullable: true, description: 'Project of the resource.' }),
    projectName: t.exposeString('projectName', { nullable: true, description: 'Name of the project.' }),
    resourceId: t.exposeString('resourceId', { nullable: true, description: 'The resource that incurred the charge (not always a UUID).' }),
    resourceName: t.exposeString('resourceName', { nullable: true, description: 'Only present when the product sends it upstream.' }),
    sku: t.exposeString('sku', { nullable: true, description: 'The SKU the charge is priced with.' }),
    invoiceId: t.exposeString('invoiceId', { nullable: true, description: 'The invoice that includes the charge; null until invoiced.' }),
    price: t.expose('price', { type: MoneyRef, description: 'Price of the charge (prorated when clamped), exact to the nano.' }),
    startDate: t.expose('startDate', { type: 'DateTime', description: 'Start of the charge period (of the slice, when clamped).' }),
    endDate: t.expose('endDate', { type: 'DateTime', description: 'End of the charge period, inclusive, as the upstream sends it.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true, description: 'When the upstream last recomputed the charge.' }),
  }),
});

const ChargeOrderEnum = builder.enumType('ChargeOrder', {
  description: 'Order of charges.',
  values: {
    START_DATE_ASC: { value: 'start_date_asc', description: 'Oldest first (the upstream default).' },
    START_DATE_DESC: { value: 'start_date_desc', description: 'Newest first.' },
  } satisfies Record<string, { value: ChargeOrder; description: string }>,
});

const ChargeFilterInput = builder.inputType('ChargeFilter', {
  description: 'Which charges: a time window (required) and optional filters, all combined with AND.',
  fields: (t) => ({
    startDateAfter: t.field({ type: 'DateTime', required: true, description: 'Start of the window: charges starting at or after it (or overlapping it, when clamped).' }),
    endDateBefore: t.field({ type: 'DateTime', required: true, description: 'End of the window, exclusive: charges ending before it (or overlapping it, when clamped).' }),
    clampToTimeRange: t.boolean({
      defaultValue: false,
      description: 'true: cut charges that overlap the window to the slice inside it; false: only charges wholly inside it.',
    }),
    resourceIds: t.stringList({ description: 'Only these resources (split into several upstream calls past the per-call limit; not empty).' }),
    resourceNames: t.stringList({ description: 'Only resources with these names (not empty).' }),
    projectIds: t.field({ type: ['UUID'], description: 'Only these projects (not empty).' }),
    skus: t.stringList({ description: 'Only these SKUs (not empty).' }),
    invoiceIds: t.stringList({ description: 'Only charges on these invoices (not empty).' }),
    orderBy: t.field({ type: ChargeOrderEnum, defaultValue: 'start_date_asc', description: 'Order by start date.' }),
  }),
});

/** Longest list accepted for the filters that are not split into several calls. */
const MAX_LIST = 100;
/** Longest `resourceIds`: past the upstream's per-call limit it costs one call stream per chunk. */
const MAX_RESOURCE_IDS = 1000;

const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

/** Validated, normalized upstream query (sorted lists, so that equal filters share cursors and calls). */
function chargeQuery(organizationId: string, filter: typeof ChargeFilterInput.$inferInput): ChargeQuery {
  if (filter.startDateAfter >= filter.endDateBefore) throw badInput('`endDateBefore` must be after `startDateAfter`', 'filter.endDateBefore');
  const list = (name: 'resourceNames' | 'projectIds' | 'skus' | 'invoiceIds' | 'resourceIds', max = MAX_LIST) => {
    const values = filter[name];
    if (values == null) return undefined;
    if (values.length === 0) throw badInput(`\`${name}: []\` would match nothing; omit it to mean all`, `filter.${name}`);
    if (values.length > max) throw badInput(`\`${name}\` takes at most ${max} values`, `filter.${name}`);
    return sortedUnique(name === 'projectIds' ? values.map((v) => v.toLowerCase()) : values);
  };
  return {
    organizationId,
    startDateAfter: filter.startDateAfter.toISOString(),
    endDateBefore: filter.endDateBefore.toISOString(),
    clampToTimeRange: filter.clampToTimeRange ?? false,
    resourceIds: list('resourceIds', MAX_RESOURCE_IDS),
    resourceNames: list('resourceNames'),
    projectIds: list('projectIds'),
    skus: list('skus'),
    invoiceIds: list('invoiceIds'),
    orderBy: filter.orderBy ?? 'start_date_asc',
  };
}

/** A charge's content, digested: the charge has no id, and tied rows are told apart by what they hold. */
function chargeIdentity(c: Charge): string {
  return createHash('sha256').update(stableKey(c)).digest('base64url').slice(0, 11);
}

/** The upstream calls behind a query: one token stream per chunk of `resourceIds`, merged in start-date order. */
function chargeSource(ctx: Context, query: ChargeQuery): TokenSource<Charge> & { queries: ChargeQuery[] } {
  const size = ctx.settings.finopsMaxIdsPerCall;
  const queries = query.resourceIds ? chunks(query.resourceIds, size).map((resourceIds) => ({ ...query, resourceIds })) : [query];
  const descending = query.orderBy === 'start_date_desc';
  return {
    name: 'Organization.charges',
    // The chunk size decides which stream a position belongs to: part of every cursor's signature.
    filter: { query, chunk: size },
    upstream: 'scaleway',
    streams: queries.length,
    queries,
    fetchPage: (stream, token) => ctx.loaders.chargePages.load({ query: queries[stream]!, token }),
    order: (c) => (descending ? -timestampMicros(c.startDate) : timestampMicros(c.startDate)),
    identity: chargeIdentity,
    isStaleToken: (error) => error instanceof UpstreamBadRequestError && error.argument === 'page_token',
    limits: ctx.settings.tokenPageLimits,
    keys: ctx.settings.keys,
    budget: ctx.budget,
  };
}

interface WindowKey {
  query: ChargeQuery;
  count: number;
}

/**
 * First pages of charge connections, batched per request: connections that differ only by
 * `resourceIds` (20 aliases, one resource each) are served by one read filtering on all their
 * resources, split per connection; equal queries are read once for the largest `first`.
 */
const windowLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<WindowKey, TokenWindow<Charge>, string>(
      async (keys) => {
        const groups = new Map<string, WindowKey[]>();
        for (const key of keys) {
          const group = stableKey({ ...key.query, resourceIds: key.query.resourceIds ? 'some' : 'all' });
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        const results = new Map<WindowKey, Promise<TokenWindow<Charge>>>();
        for (const members of groups.values()) {
          const clusters = new Map<string, WindowKey[]>();
          for (const key of members) {
            const ids = stableKey(key.query.resourceIds ?? null);
            clusters.set(ids, [...(clusters.get(ids) ?? []), key]);
          }
          const list = [...clusters.values()];
          const counts = list.map((c) => Math.max(...c.map((k) => k.count)));
          const alone = (i: number) => readTokenWindow(chargeSource(ctx, list[i]![0]!.query), undefined, counts[i]!);
          // Several clusters all filter by resource (a connection without that filter is a cluster alone).
          const ids = (i: number) => list[i]![0]!.query.resourceIds ?? [];
          const shared = chargeSource(ctx, { ...members[0]!.query, resourceIds: sortedUnique(list.flatMap((_, i) => ids(i))) });
          // Streams (one call each at least) when each connection reads alone.
          const aloneStreams = list.reduce((sum, _, i) => sum + Math.ceil(ids(i).length / ctx.settings.finopsMaxIdsPerCall), 0);
          // One read for them all, when it takes fewer streams than reading alone (a few resources per
          // connection, not a thousand each) and at most twice their first pages: past that it gives up,
          // and a connection it did not serve whole reads on its own, the others meanwhile.
          const windows: Promise<TokenWindow<Charge>[]> =
            list.length === 1 || shared.streams >= aloneStreams
              ? Promise.all(list.map((_, i) => alone(i)))
              : readShared(
                  { ...shared, limits: { ...shared.limits, pages: Math.min(shared.limits.pages, 2 * aloneStreams) } },
                  list.map((cluster, i): StreamConsumer<Charge> => {
                    const ids = new Set(cluster[0]!.query.resourceIds);
                    return { count: counts[i]!, owns: (row) => ids.has(row.resourceId ?? '') };
                  }),
                ).then((shared) => Promise.all(shared.map((w, i) => w ?? alone(i))));
          list.forEach((cluster, i) => {
            for (const key of cluster) {
              results.set(
                key,
                windows.then((all) => {
                  const w = all[i]!;
                  return { rows: w.rows.slice(0, key.count), hasNextPage: w.hasNextPage || w.rows.length > key.count };
                }),
              );
            }
          });
        }
        return eachKey((key: WindowKey) => results.get(key)!)(keys);
      },
      { cacheKeyFn: (key) => stableKey(key) },
    ),
);

builder.objectField(OrganizationRef, 'charges', (t) =>
  t.connection(
    {
      type: ChargeRef,
      description:
        'FinOps raw charges (Scaleway Billing FinOps `GET /charges`); forward pagination only (the upstream pages by token). `last`/`before` are refused.',
      args: { filter: t.arg({ type: ChargeFilterInput, required: true, description: 'The window and filters.' }) },
      resolve: (org, args, ctx) => {
        const first = forwardCount(args);
        const query = chargeQuery(org.id, args.filter);
        const source = chargeSource(ctx, query);
        if (args.after != null) {
          const start = decodeTokenCursor(source.keys, tokenContext(source.name, source.filter), source.streams, args.after);
          return tokenConnection(source, () => readTokenWindow(source, start, first), true);
        }
        return tokenConnection(source, () => windowLoader(ctx).load({ query, count: first }), false);
      },
    },
    { name: 'ChargeConnection', description: 'A page of charges.' },
    { name: 'ChargeEdge', description: 'A charge and its cursor.' },
  ),
);
