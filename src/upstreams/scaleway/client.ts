import type { BillingApiVersion } from '../../config/upstreams.js';
import { UUID } from '../../lib/uuid.js';
import { UnsupportedQueryError, UpstreamBadResponseError } from '../errors.js';
import { invoiceClosed, periodClosed } from '../finality.js';
import type { UpstreamHttp } from '../http.js';
import { parsed, type ScalewayConnection, scalewayHttp } from './http.js';
import type {
  ConsumptionPage,
  ConsumptionQuery,
  Discount,
  DiscountQuery,
  Invoice,
  InvoiceFile,
  InvoiceQuery,
  Page,
  PageRequest,
  Tax,
  TaxQuery,
} from './model.js';
import {
  consumptionPageV2beta1,
  consumptionsV2alpha1,
  discount,
  invoiceV2alpha1,
  invoiceV2beta1,
  page,
  scwFile,
  tax,
} from './unmarshal.js';

/** The largest `page_size` the Billing lists accept; larger is refused with 400 `invalid_arguments`. */
export const BILLING_MAX_PAGE_SIZE = 100;

export interface ScalewayBillingOptions extends ScalewayConnection {
  version: BillingApiVersion;
  /** Invoice PDFs on a pool of their own: a slow reader of a file never holds a connection the graph needs. */
  pdf?: Pick<ScalewayConnection, 'dispatcher' | 'gate'>;
}

/**
 * Scaleway Billing API client, one method per endpoint, domain objects out. v2beta1 is the
 * current API; v2alpha1 (`SCW_BILLING_API_VERSION=v2alpha1`) is served through the same methods,
 * emulating what it lacks (consumption paging) and refusing what it cannot express.
 */
export class ScalewayBillingClient {
  readonly version: BillingApiVersion;
  private readonly http: UpstreamHttp;
  private readonly files: UpstreamHttp;
  private readonly now: () => Date;
  private readonly base: string;

  constructor(options: ScalewayBillingOptions) {
    this.version = options.version;
    this.now = options.now ?? (() => new Date());
    this.base = `/billing/${options.version}`;
    this.http = scalewayHttp(options);
    // Files are streamed through, never cached; their own pool bounds them (a slow reader holds no shared slot).
    this.files = options.pdf ? scalewayHttp({ ...options, ...options.pdf, cache: undefined, limiter: undefined }) : this.http;
  }

  /** `GET /invoices`. */
  async listInvoices(query: InvoiceQuery, pageRequest: PageRequest): Promise<Page<Invoice>> {
    const alpha = this.version === 'v2alpha1';
    if (alpha && query.type === 'credit_note') {
      throw new UnsupportedQueryError('Billing API v2alpha1 has no credit notes', 'invoiceType');
    }
    return this.http.getParsed(
      `${this.base}/invoices`,
      {
        organization_id: query.organizationId,
        [alpha ? 'started_after' : 'billing_period_start_after']: query.startedAfter,
        [alpha ? 'started_before' : 'billing_period_start_before']: query.startedBefore,
        invoice_type: query.type,
        order_by: query.orderBy,
        page: pageRequest.page,
        page_size: pageRequest.pageSize,
      },
      (json) => ofOrganization(parsed(json, (v) => page(v, 'invoices', alpha ? invoiceV2alpha1 : invoiceV2beta1)), query.organizationId),
      // A list page is never final: an invoice issued later for an old period (a credit note) would
      // shift every page after it. Each invoice, read by id, is (once paid).
      { finality: () => 'open' },
    );
  }

  /** `GET /invoices/{id}` (v2beta1 only: v2alpha1 has no such endpoint). */
  async getInvoice(invoiceId: string): Promise<Invoice> {
    if (this.version === 'v2alpha1') throw new UnsupportedQueryError('Billing API v2alpha1 cannot get one invoice', 'id');
    invoicePath(invoiceId);
    return this.http.getParsed(`${this.base}/invoices/${encodeURIComponent(invoiceId)}`, {}, (json) => parsed(json, (v) => invoiceV2beta1(v, '$')), { finality: invoiceClosed });
  }

  /**
   * `GET /consumptions` (v2beta1). On v2alpha1, `GET /consumption` returns the whole current month
   * at once: filters and pages are applied here, and other billing periods are refused.
   */
  async listConsumptions(query: ConsumptionQuery, pageRequest: PageRequest): Promise<ConsumptionPage> {
    if (this.version === 'v2alpha1') return this.consumptionsV2alpha1(query, pageRequest);
    return this.http.getParsed(
      `${this.base}/consumptions`,
      {
        // The upstream takes exactly one of organization_id and project_id: always the organization.
        organization_id: query.organizationId,
        billing_period: query.billingPeriod,
        category_name: query.categoryName,
        order_by: query.orderBy,
        page: pageRequest.page,
        page_size: pageRequest.pageSize,
      },
      (json) => parsed(json, consumptionPageV2beta1),
      // The one float of the page: the discount total.
      { exact: ['total_discount_untaxed_value'], finality: () => periodClosed(query.billingPeriod, this.now()) },
    );
  }

  private async consumptionsV2alpha1(query: ConsumptionQuery, pageRequest: PageRequest): Promise<ConsumptionPage> {
    if (query.billingPeriod !== billingPeriodOf(this.now())) {
      throw new UnsupportedQueryError('Billing API v2alpha1 serves only the current billing period', 'billingPeriod');
    }
    if (!query.orderBy.startsWith('updated_at')) {
      throw new UnsupportedQueryError('Billing API v2alpha1 cannot order consumption', 'orderBy');
    }
    // The current month only: open.
    const all = await this.http.getParsed(`${this.base}/consumption`, { organization_id: query.organizationId }, (json) => parsed(json, consumptionsV2alpha1));
    const rows = all.rows.filter((r) => !query.categoryName || r.categoryName === query.categoryName);
    const start = (pageRequest.page - 1) * pageRequest.pageSize;
    return { rows: rows.slice(start, start + pageRequest.pageSize), totalCount: rows.length, updatedAt: all.updatedAt };
  }

  /** `GET /taxes` (v2beta1): a billing period's tax lines. Values are JSON floats upstream, parsed exactly. */
  async listTaxes(query: TaxQuery, pageRequest: PageRequest): Promise<Page<Tax>> {
    if (this.version === 'v2alpha1') throw new UnsupportedQueryError('Billing API v2alpha1 has no taxes endpoint', 'billingPeriod');
    return this.http.getParsed(
      `${this.base}/taxes`,
      { organization_id: query.organizationId, billing_period: query.billingPeriod, page: pageRequest.page, page_size: pageRequest.pageSize },
      (json) => parsed(json, (v) => page(v, 'taxes', tax)),
      { exact: true, finality: () => periodClosed(query.billingPeriod, this.now()) },
    );
  }

  /** `GET /discounts`. Values are JSON floats upstream: parsed exactly from their source text. */
  async listDiscounts(query: DiscountQuery, pageRequest: PageRequest): Promise<Page<Discount>> {
    if (this.version === 'v2alpha1' && !query.orderBy.startsWith('creation_date')) {
      throw new UnsupportedQueryError('Billing API v2alpha1 orders discounts by creation date only', 'orderBy');
    }
    // Discounts are used up as bills come: open.
    return this.http.getParsed(
      `${this.base}/discounts`,
      { organization_id: query.organizationId, order_by: query.orderBy, page: pageRequest.page, page_size: pageRequest.pageSize },
      (json) => ofOrganization(parsed(json, (v) => page(v, 'discounts', discount)), query.organizationId),
      { exact: true },
    );
  }

  /**
   * `GET /invoices/{id}/download?file_type=pdf`. v2beta1 with `dl=1` answers with the file itself,
   * streamed through; v2alpha1 answers with a base64 file object, which has to be read whole.
   */
  async downloadInvoice(invoiceId: string): Promise<InvoiceFile> {
    invoicePath(invoiceId);
    const path = `${this.base}/invoices/${encodeURIComponent(invoiceId)}/download`;
    if (this.version === 'v2alpha1') {
      const file = parsed(await this.files.getJson(path, { file_type: 'pdf' }), scwFile);
      return { contentType: file.contentType, filename: file.name, body: [new Uint8Array(file.content)] };
    }
    const res = await this.files.get(path, { file_type: 'pdf', dl: 1 });
    const type = res.headers['content-type'];
    return {
      // Only a media type as such is passed on to the caller's answer.
      contentType: typeof type === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/pdf',
      filename: filenameOf(res.headers['content-disposition']),
      body: res.body,
      streaming: res.streaming,
    };
  }
}

/**
 * A page whose rows all belong to the organization asked for (rows that name none pass): a row of
 * another organization is never served, and means the upstream did not scope the list as asked.
 */
export function ofOrganization<P extends { rows: { organizationId?: string }[] }>(page: P, organizationId: string): P {
  for (const row of page.rows) {
    if (row.organizationId !== undefined && row.organizationId.toLowerCase() !== organizationId.toLowerCase()) {
      throw new UpstreamBadResponseError('Scaleway answered rows of another organization than the one asked for', { upstream: 'scaleway', status: 200 });
    }
  }
  return page;
}

/** Invoice ids are UUIDs: anything else (`..`, say) would name another upstream path. */
function invoicePath(invoiceId: string): void {
  if (!UUID.test(invoiceId)) throw new UnsupportedQueryError('An invoice id is a UUID', 'id');
}

/** `YYYY-MM` of an instant, in UTC. */
export function billingPeriodOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** The file name an upstream's `Content-Disposition` gives, decoded; undefined when it gives none (or garbles it). */
function filenameOf(disposition: string | string[] | undefined): string | undefined {
  if (typeof disposition !== 'string') return undefined;
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}
