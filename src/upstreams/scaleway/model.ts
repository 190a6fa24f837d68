import type { DecimalText, Money } from '../../lib/money.js';
import type { Page } from '../../lib/page.js';

/** Domain objects of the Scaleway Billing API, the same for v2beta1 and v2alpha1. Dates are RFC 3339 UTC text. */

export type InvoiceType = 'periodic' | 'purchase' | 'credit_note' | 'unknown';

export type InvoiceOrder =
  | `${'start_date' | 'issued_date' | 'due_date' | 'invoice_number' | 'total_untaxed' | 'total_taxed' | 'invoice_type'}_${'asc' | 'desc'}`;

export interface Invoice {
  id: string;
  /** v2beta1 only. */
  organizationId?: string;
  organizationName?: string;
  type: InvoiceType;
  /** Open set upstream (`draft`, `issued`, `paid`, …); v2beta1 only. */
  state?: string;
  /** Undefined until the invoice is issued (the upstream sends 0). */
  number?: number;
  startDate?: string;
  stopDate?: string;
  billingPeriod?: string;
  issuedDate?: string;
  dueDate?: string;
  totalUntaxed?: Money;
  totalTaxed?: Money;
  totalTax?: Money;
  totalDiscount?: Money;
  totalUndiscount?: Money;
  sellerName?: string;
}

export type ConsumptionOrder = `${'updated_at' | 'category_name'}_${'asc' | 'desc'}`;

export interface Consumption {
  projectId?: string;
  projectName?: string;
  categoryName?: string;
  productName?: string;
  /** The price reference label ("PRO2-XS - FR-PAR-1"), not a user's resource. */
  resourceName?: string;
  sku?: string;
  unit?: string;
  billedQuantity?: DecimalText;
  consumerId?: string;
  /** The consumer organization's name (sent since 2026-07). */
  organizationName?: string;
  value: Money;
}

/**
 * A consumption row's identity in its list: rows have no id, so one per project, SKU, currency and
 * what describes them (never their figures, which are recomputed). A list read twice over is one
 * whose rows' identities repeat.
 */
export function consumptionIdentity(c: Consumption): string {
  return [c.projectId, c.categoryName, c.productName, c.resourceName, c.sku, c.unit, c.consumerId, c.value.currency].join('\u0000');
}

export type DiscountMode = 'rate' | 'value' | 'splittable' | 'unknown';
export type DiscountFilterType =
  | 'category_name'
  | 'product_name'
  | 'product_range'
  | 'resource_name'
  | 'region'
  | 'zone'
  | 'product'
  | 'product_category'
  | 'product_offer'
  | 'product_reference'
  | 'unknown';
export type DiscountOrder = `${'creation_date' | 'start_date' | 'stop_date'}_${'asc' | 'desc'}`;

/** A tax line of a billing period (`GET /taxes`); the upstream's floats, exactly. */
export interface Tax {
  description?: string;
  /** ISO 4217, a string of its own upstream (not a Money). */
  currency: string;
  /** 0.2 is 20 %. */
  rate?: DecimalText;
  totalTaxValue: DecimalText;
}

export interface TaxQuery {
  organizationId: string;
  /** `YYYY-MM`. */
  billingPeriod: string;
}

export interface Discount {
  id: string;
  organizationId?: string;
  description: string;
  mode: DiscountMode;
  /** The upstream's JSON float, exactly, in plain notation. A discount carries no currency. */
  value: DecimalText;
  valueUsed: DecimalText;
  valueRemaining: DecimalText;
  creationDate?: string;
  startDate?: string;
  stopDate?: string;
  couponDescription?: string;
  filters: { type: DiscountFilterType; value: string; exclude: boolean }[];
}

export type { Page, TokenPage } from '../../lib/page.js';

export interface ConsumptionPage extends Page<Consumption> {
  /** When Scaleway last computed the figures. */
  updatedAt?: string;
  /** Sum of all discounts, untaxed; sent only without category or project filter. */
  totalDiscountUntaxed?: DecimalText;
}

export interface InvoiceQuery {
  organizationId: string;
  /** Billing period start ≥ this instant. */
  startedAfter?: string;
  /** Billing period start < this instant. */
  startedBefore?: string;
  type?: Exclude<InvoiceType, 'unknown'>;
  orderBy: InvoiceOrder;
}

/**
 * Always read by organization: the upstream's `project_id` scope would serve any project the key
 * can read, whatever organization the caller may read (the gateway filters projects itself).
 */
export interface ConsumptionQuery {
  organizationId: string;
  /** `YYYY-MM`. */
  billingPeriod: string;
  categoryName?: string;
  orderBy: ConsumptionOrder;
}

export interface DiscountQuery {
  organizationId: string;
  orderBy: DiscountOrder;
}

/** 1-based page number and size (≤ 100). */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface InvoiceFile {
  /** Call once the first bytes went to the client: from there the client sets the pace (see UpstreamResponse.streaming). */
  streaming?: () => void;
  contentType: string;
  /** From the upstream when it names the file. */
  filename?: string;
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** A raw FinOps charge. `endDate` is inclusive, as the upstream sends it. */
export interface Charge {
  organizationId?: string;
  organizationName?: string;
  projectId?: string;
  projectName?: string;
  sku?: string;
  /** Empty until invoiced. */
  invoiceId?: string;
  resourceId?: string;
  /** Only when the product sends it upstream. */
  resourceName?: string;
  price: Money;
  startDate: string;
  endDate: string;
  updatedAt?: string;
}

export type ChargeOrder = 'start_date_asc' | 'start_date_desc';

export interface ChargeQuery {
  organizationId: string;
  /** RFC 3339; minimum charge start. */
  startDateAfter: string;
  /** RFC 3339; maximum charge end. */
  endDateBefore: string;
  clampToTimeRange: boolean;
  projectIds?: string[];
  resourceIds?: string[];
  resourceNames?: string[];
  skus?: string[];
  invoiceIds?: string[];
  orderBy: ChargeOrder;
}
