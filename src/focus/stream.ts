import { badInput } from '../errors.js';
import { UpstreamBadResponseError } from '../upstreams/errors.js';
import { BILLING_MAX_PAGE_SIZE, type ScalewayBillingClient } from '../upstreams/scaleway/client.js';
import type { ScalewayFinOpsClient } from '../upstreams/scaleway/finops.js';
import { type ChargeQuery, type Consumption, type ConsumptionPage, type ConsumptionQuery, consumptionIdentity, type Invoice, type Page, type Tax } from '../upstreams/scaleway/model.js';
import type { FocusRow } from './columns.js';
import { periodBounds } from './format.js';
import { chargeRow, consumptionRow, type FocusGrain, periodFacts, periodInvoiceQuery, periodRows, skuFacts } from './rows.js';

/**
 * A billing period's FOCUS rows read from the upstream in order, in batches (a consumption page, or
 * a few hundred charges of a FinOps page as it arrives); the next page is asked for only once the
 * reader has taken the last batch of the one before (the reader sets the pace): the CSV export holds
 * a page at most, never the month. The order is the connection's, so that both answer
 * the same rows: consumption by category (then the tax lines and the discounts), charges by start.
 */

export interface FocusQuery {
  organizationId: string;
  /** `YYYY-MM`. */
  billingPeriod: string;
  grain: FocusGrain;
}

export interface FocusReading {
  billing: ScalewayBillingClient;
  finops: ScalewayFinOpsClient;
  /** FinOps `page_size`. */
  finopsPageSize: number;
  /** Empty FinOps pages in a row, each with a next token, before the upstream is called broken. */
  maxEmptyPages: number;
}

/** Charge rows handed on at a time while a page arrives. */
const BATCH = 50;

/** The consumption order both the export and the connection read (stabler than `updated_at`, which moves as figures are recomputed). */
export const FOCUS_CONSUMPTION_ORDER = 'category_name_asc' as const;

/** The charges of a period: its whole window, unclamped (only charges wholly inside it), oldest first. */
export function periodChargeQuery(organizationId: string, billingPeriod: string): ChargeQuery {
  const { start, end } = periodBounds(billingPeriod);
  return { organizationId, startDateAfter: start, endDateBefore: end, clampToTimeRange: false, orderBy: 'start_date_asc' };
}

export function periodConsumptionQuery(organizationId: string, billingPeriod: string): ConsumptionQuery {
  return { organizationId, billingPeriod, orderBy: FOCUS_CONSUMPTION_ORDER };
}

const changed = (what: string) => new UpstreamBadResponseError(`scaleway ${what} while it was being read; retry the export`, { upstream: 'scaleway' });

/** Every page of a page-number list, in order, each checked against the first one's total. */
async function* pagesOf<T, P extends Page<T>>(fetch: (page: number) => Promise<P>, identity?: (row: T) => string, bound?: (total: number) => void): AsyncGenerator<P> {
  let total: number | undefined;
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    const p = await fetch(page);
    if (total === undefined) bound?.(p.totalCount);
    total ??= p.totalCount;
    if (p.totalCount !== total) throw changed('list changed');
    const expected = Math.max(0, Math.min(BILLING_MAX_PAGE_SIZE, total - (page - 1) * BILLING_MAX_PAGE_SIZE));
    if (p.rows.length !== expected) throw new UpstreamBadResponseError(`scaleway answered page ${page} with ${p.rows.length} rows where ${expected} were expected`, { upstream: 'scaleway' });
    if (identity) {
      for (const row of p.rows) {
        const id = identity(row);
        if (seen.has(id)) throw changed('reordered a list (a row came twice)');
        seen.add(id);
      }
    }
    yield p;
    if (page * BILLING_MAX_PAGE_SIZE >= total) return;
  }
}

async function all<T>(pages: AsyncGenerator<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  for await (const p of pages) rows.push(...p.rows);
  return rows;
}

/** The invoices a month may have (every type), read in one page; a month with more is refused, never cut. */
export const MAX_FOCUS_INVOICES = BILLING_MAX_PAGE_SIZE;

/** The billing client calls that read a period's invoices and taxes: the graph's and the export's alike. */
export type PeriodReader = Pick<ScalewayBillingClient, 'listInvoices' | 'listTaxes'>;

const fullPage = (p: number) => ({ page: p, pageSize: BILLING_MAX_PAGE_SIZE });

/**
 * Every invoice listed for a period (all types, a day's margin before: {@link periodInvoiceQuery}),
 * checked as every list is; more than MAX_FOCUS_INVOICES is BAD_USER_INPUT before a second page.
 */
export async function readPeriodInvoices(billing: PeriodReader, organizationId: string, billingPeriod: string): Promise<Invoice[]> {
  const rows: Invoice[] = [];
  const bound = (total: number) => {
    if (total > MAX_FOCUS_INVOICES) {
      throw badInput(`${billingPeriod} has more than ${MAX_FOCUS_INVOICES} invoices (${total} listed): too many for FOCUS rows; read them through \`invoices(startedAfter:, startedBefore:)\``, 'billingPeriod');
    }
  };
  for await (const p of pagesOf((n) => billing.listInvoices(periodInvoiceQuery(organizationId, billingPeriod), fullPage(n)), undefined, bound)) rows.push(...p.rows);
  return rows;
}

/** Every tax line of a period, each page checked against the total (a short or long page is UPSTREAM_BAD_RESPONSE). */
export function readPeriodTaxes(billing: PeriodReader, organizationId: string, billingPeriod: string): Promise<Tax[]> {
  return all(pagesOf((n) => billing.listTaxes({ organizationId, billingPeriod }, fullPage(n))));
}

/**
 * The rows of one organization's billing period at a grain, in batches, each row passed through
 * `form` as soon as it is made (the CSV export keeps a row's line, not the row).
 */
export async function* focusBatches<T>(reading: FocusReading, query: FocusQuery, form: (row: FocusRow) => T): AsyncGenerator<T[]> {
  const { billing, finops } = reading;
  const { organizationId, billingPeriod } = query;
  const page = (p: number) => ({ page: p, pageSize: BILLING_MAX_PAGE_SIZE });
  const consumptionPages = () =>
    pagesOf<Consumption, ConsumptionPage>((p) => billing.listConsumptions(periodConsumptionQuery(organizationId, billingPeriod), page(p)), consumptionIdentity);

  if (query.grain === 'CONSUMPTION') {
    const facts = periodFacts(organizationId, billingPeriod, await readPeriodInvoices(billing, organizationId, billingPeriod));
    for await (const p of consumptionPages()) yield p.rows.map((c) => form(consumptionRow(c, facts, p.updatedAt)));
    const taxes = await readPeriodTaxes(billing, organizationId, billingPeriod);
    yield periodRows(facts, taxes).map(form);
    return;
  }

  // Charges name no product: the month's consumption (a row per project and SKU, a few pages) does.
  const skus = skuFacts(await all(consumptionPages()));
  const charges = periodChargeQuery(organizationId, billingPeriod);
  const tokens = new Set<string>();
  let token: string | undefined;
  let empty = 0;
  for (;;) {
    // Rows are mapped as the page's bytes arrive and handed on in small batches, while the rest of
    // the page is still coming: with a reader that keeps up, no row outlives its batch.
    const rows: T[] = [];
    let done = false;
    let wake: (() => void) | undefined;
    const woken = () => {
      wake?.();
      wake = undefined;
    };
    const page = finops
      .eachCharge(charges, reading.finopsPageSize, token, (c) => {
        rows.push(form(chargeRow(c, organizationId, skus, false)));
        if (rows.length >= BATCH) woken();
      })
      .finally(() => {
        done = true;
        woken();
      });
    // Its failure is met below, once the rows before it are handed on.
    page.catch(() => {});
    while (!done || rows.length > 0) {
      if (rows.length >= BATCH || (done && rows.length > 0)) yield rows.splice(0);
      else await new Promise<void>((resolve) => (wake = resolve));
    }
    const p = await page;
    if (!p.nextToken) return;
    empty = p.rows === 0 ? empty + 1 : 0;
    if (empty > reading.maxEmptyPages) throw new UpstreamBadResponseError(`scaleway answered more than ${reading.maxEmptyPages} empty pages in a row, each with a next token (MAX_EMPTY_TOKEN_PAGES)`, { upstream: 'scaleway' });
    // A token seen before would loop forever.
    if (tokens.has(p.nextToken)) throw new UpstreamBadResponseError('scaleway repeated a page token', { upstream: 'scaleway' });
    tokens.add(p.nextToken);
    token = p.nextToken;
  }
}
