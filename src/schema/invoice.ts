import { builder } from '../builder.js';
import type { Context, Scoped } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { UpstreamNotFoundError } from '../upstreams/errors.js';
import type { Invoice, InvoiceOrder, InvoiceQuery, InvoiceType } from '../upstreams/scaleway/model.js';
import { MoneyRef } from './money.js';
import { signPdfLink } from '../access/pdf-link.js';
import { UUID } from '../lib/uuid.js';
import { canRead, OrganizationRef } from './organization.js';
import { offsetConnection } from '../pagination/offset.js';
import { sortOrderValues } from './sort-order.js';

/** An invoice with the organization it was listed for (v2alpha1 invoices do not name it). */
export type InvoiceShape = Scoped<Invoice>;

const InvoiceTypeEnum = builder.enumType('InvoiceType', {
  description: 'Kind of invoice.',
  values: {
    PERIODIC: { value: 'periodic', description: 'The monthly invoice of consumption.' },
    PURCHASE: { value: 'purchase', description: 'A one-off purchase.' },
    CREDIT_NOTE: { value: 'credit_note', description: 'A credit note (negative amounts). Billing API v2beta1 only.' },
    UNKNOWN: { value: 'unknown', description: 'A kind this gateway does not know yet; never valid as a filter.' },
  } as const,
});

const InvoiceOrderEnum = builder.enumType('InvoiceOrder', {
  description: 'Order of invoices, as the upstream sorts them (unissued invoices count as the highest number and dates).',
  values: sortOrderValues<'START_DATE' | 'ISSUED_DATE' | 'DUE_DATE' | 'INVOICE_NUMBER' | 'TOTAL_UNTAXED' | 'TOTAL_TAXED' | 'INVOICE_TYPE', InvoiceOrder>([
    'START_DATE',
    'ISSUED_DATE',
    'DUE_DATE',
    'INVOICE_NUMBER',
    'TOTAL_UNTAXED',
    'TOTAL_TAXED',
    'INVOICE_TYPE',
  ]),
});

/** Global ids carry the organization so that a lookup is scoped before any upstream call. */
const splitKey = (key: string) => {
  const [organizationId = '', invoiceId = ''] = key.split('/');
  return { organizationId, invoiceId };
};

async function loadInvoices(keys: readonly string[], ctx: Context): Promise<(InvoiceShape | Error)[]> {
  return Promise.all(
    keys.map(async (key): Promise<InvoiceShape | Error> => {
      const { organizationId, invoiceId } = splitKey(key);
      const missing = notFound(`Invoice ${invoiceId} not found`);
      // Ids of our own making are UUIDs: anything else names nothing, and never reaches an upstream path.
      if (!UUID.test(organizationId) || !UUID.test(invoiceId) || !canRead(ctx, organizationId)) return missing;
      try {
        if (ctx.billing.version === 'v2beta1') {
          const invoice = await ctx.billing.getInvoice(invoiceId);
          // Never serve an invoice of another organization under this one's id.
          return invoice.organizationId === organizationId ? (invoice as InvoiceShape) : missing;
        }
        // v2alpha1 has no get-invoice endpoint: look through the organization's list (one walk per request).
        const all = await offsetConnection(ctx.sources.invoices({ organizationId, orderBy: 'invoice_number_desc' }), {}).all();
        const invoice = all.find((i) => i.id === invoiceId);
        return invoice ?? missing;
      } catch (error) {
        return error instanceof UpstreamNotFoundError ? missing : (error as Error);
      }
    }),
  );
}

export const InvoiceRef = builder.loadableNode('Invoice', {
  description: 'A Scaleway invoice.',
  id: { resolve: (i: InvoiceShape) => `${i.organizationId}/${i.id}` },
  load: loadInvoices,
  fields: (t) => ({
    invoiceId: t.field({ type: 'UUID', description: 'The Scaleway invoice id.', resolve: (i) => i.id }),
    number: t.exposeInt('number', { nullable: true, description: 'Invoice number; null until the invoice is issued.' }),
    invoiceType: t.field({ type: InvoiceTypeEnum, description: 'Kind of invoice.', resolve: (i) => i.type }),
    state: t.exposeString('state', { nullable: true, description: 'Upstream state, an open set (`draft`, `issued`, `paid`, …). Billing API v2beta1 only.' }),
    organizationName: t.exposeString('organizationName', { nullable: true, description: 'Name of the billed organization (v2beta1).' }),
    sellerName: t.exposeString('sellerName', { nullable: true, description: 'The issuing entity, e.g. `Scaleway SAS` (v2beta1).' }),
    startDate: t.expose('startDate', { type: 'DateTime', nullable: true, description: 'Start of the invoiced period.' }),
    stopDate: t.expose('stopDate', { type: 'DateTime', nullable: true, description: 'End of the invoiced period, inclusive (v2beta1).' }),
    billingPeriod: t.expose('billingPeriod', { type: 'DateTime', nullable: true, description: 'First instant of the billed month (v2beta1).' }),
    issuedDate: t.expose('issuedDate', { type: 'DateTime', nullable: true, description: 'When it was issued; null until then.' }),
    dueDate: t.expose('dueDate', { type: 'DateTime', nullable: true, description: 'Payment due date; null until issued.' }),
    totalUntaxed: t.expose('totalUntaxed', { type: MoneyRef, nullable: true, description: 'Total before tax, discounts applied.' }),
    totalTaxed: t.expose('totalTaxed', { type: MoneyRef, nullable: true, description: 'Total with tax.' }),
    totalTax: t.expose('totalTax', { type: MoneyRef, nullable: true, description: 'Tax amount (v2beta1).' }),
    totalDiscount: t.expose('totalDiscount', { type: MoneyRef, nullable: true, description: 'Discounts applied, negative (v2beta1).' }),
    totalUndiscount: t.expose('totalUndiscount', { type: MoneyRef, nullable: true, description: 'Total before tax and before discounts (v2beta1).' }),
    downloadUrl: t.string({
      description:
        'A gateway URL that streams the invoice PDF: signed and expiring (PDF_URL_TTL_SECONDS), so that a browser opens it without a token. Ask again for a fresh one.',
      resolve: (i, _args, ctx) => {
        const expires = Math.floor(ctx.settings.now().getTime() / 1000) + ctx.settings.pdfLinkTtlSeconds;
        return `${ctx.origin}/invoices/${encodeURIComponent(i.id)}.pdf?${signPdfLink(ctx.settings.keys, { invoiceId: i.id, organizationId: i.organizationId, expires })}`;
      },
    }),
  }),
});

builder.objectField(OrganizationRef, 'invoices', (t) =>
  t.connection(
    {
      type: InvoiceRef,
      description: 'Invoices of this organization (Scaleway Billing `GET /invoices`).',
      args: {
        startedAfter: t.arg({ type: 'DateTime', description: 'Only invoices whose period starts at or after this instant.' }),
        startedBefore: t.arg({ type: 'DateTime', description: 'Only invoices whose period starts before this instant.' }),
        invoiceType: t.arg({ type: InvoiceTypeEnum, description: 'Only invoices of this kind (not UNKNOWN).' }),
        orderBy: t.arg({ type: InvoiceOrderEnum, defaultValue: 'start_date_desc', description: 'Sort order.' }),
      },
      resolve: (org, args, ctx) => {
        if (args.startedAfter && args.startedBefore && args.startedAfter >= args.startedBefore) {
          throw badInput('`startedBefore` must be after `startedAfter`', 'startedBefore');
        }
        if (args.invoiceType === 'unknown') throw badInput('UNKNOWN is an output value only; omit `invoiceType` to list every kind', 'invoiceType');
        const query: InvoiceQuery = {
          organizationId: org.id,
          startedAfter: args.startedAfter?.toISOString(),
          startedBefore: args.startedBefore?.toISOString(),
          type: (args.invoiceType ?? undefined) as Exclude<InvoiceType, 'unknown'> | undefined,
          orderBy: args.orderBy ?? 'start_date_desc',
        };
        return offsetConnection(ctx.sources.invoices(query), args);
      },
    },
    {
      name: 'InvoiceConnection',
      description: 'A page of invoices.',
      fields: (t) => ({
        totalCount: t.int({ description: 'Number of invoices matching the arguments, over all pages.', resolve: (c) => c.totalCount }),
      }),
    },
    { name: 'InvoiceEdge', description: 'An invoice and its cursor.' },
  ),
);
