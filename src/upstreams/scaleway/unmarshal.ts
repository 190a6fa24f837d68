import type { JsonValue } from '../../lib/json.js';
import { retryAfterMs } from '../pool.js';
import {
  array,
  boolean,
  decimal,
  integer,
  object,
  optionalDecimal,
  optionalMoney,
  optionalString,
  optionalTimestamp,
  optionalUuid,
  string,
  timestamp,
  money,
  uuid,
  WireShapeError,
} from '../wire-reader.js';
import {
  errorClassForStatus,
  UpstreamBadRequestError,
  UpstreamForbiddenError,
  UpstreamNotFoundError,
  UpstreamRateLimitedError,
  UpstreamUnauthenticatedError,
  UpstreamUnavailableError,
  type UpstreamError,
  upstreamMessage,
} from '../errors.js';
import type {
  Charge,
  Consumption,
  ConsumptionPage,
  Discount,
  DiscountFilterType,
  DiscountMode,
  Invoice,
  InvoiceType,
  Page,
  Tax,
  TokenPage,
} from './model.js';

/** Wire → domain for Scaleway Billing v2beta1 and v2alpha1. Unknown enum values map to `unknown`, never a crash. */

const invoiceTypes: Record<string, InvoiceType> = {
  periodic: 'periodic',
  purchase: 'purchase',
  credit_note: 'credit_note',
};

function invoiceType(value: JsonValue | undefined, path: string, key: string): InvoiceType {
  return invoiceTypes[optionalString(value, path, key) ?? ''] ?? 'unknown';
}

/**
 * v2beta1 `Invoice`, or v2alpha1's (`invoice_type` instead of `type`, and no organization, state or
 * breakdown). One object literal with every key, always in the same order: V8 gives all rows one
 * shape. (An object spread here cost 8 µs a row, more than parsing the JSON.)
 */
function invoice(value: JsonValue | undefined, path: string, alpha: boolean): Invoice {
  const o = object(value, path);
  const number = o.number === null || o.number === undefined ? 0 : integer(o.number, path, 'number');
  return {
    id: uuid(o.id, path, 'id'),
    organizationId: alpha ? undefined : optionalUuid(o.organization_id, path, 'organization_id'),
    organizationName: alpha ? undefined : optionalString(o.organization_name, path, 'organization_name'),
    type: alpha ? invoiceType(o.invoice_type, path, 'invoice_type') : invoiceType(o.type, path, 'type'),
    state: alpha ? undefined : optionalString(o.state, path, 'state'),
    number: number === 0 ? undefined : number,
    startDate: optionalTimestamp(o.start_date, path, 'start_date'),
    stopDate: alpha ? undefined : optionalTimestamp(o.stop_date, path, 'stop_date'),
    billingPeriod: alpha ? undefined : optionalTimestamp(o.billing_period, path, 'billing_period'),
    issuedDate: optionalTimestamp(o.issued_date, path, 'issued_date'),
    dueDate: optionalTimestamp(o.due_date, path, 'due_date'),
    totalUntaxed: optionalMoney(o.total_untaxed, path, 'total_untaxed'),
    totalTaxed: optionalMoney(o.total_taxed, path, 'total_taxed'),
    totalTax: alpha ? undefined : optionalMoney(o.total_tax, path, 'total_tax'),
    totalDiscount: alpha ? undefined : optionalMoney(o.total_discount, path, 'total_discount'),
    totalUndiscount: alpha ? undefined : optionalMoney(o.total_undiscount, path, 'total_undiscount'),
    sellerName: alpha ? undefined : optionalString(o.seller_name, path, 'seller_name'),
  };
}

export const invoiceV2beta1 = (value: JsonValue | undefined, path: string): Invoice => invoice(value, path, false);
export const invoiceV2alpha1 = (value: JsonValue | undefined, path: string): Invoice => invoice(value, path, true);

/** `{<key>: T[], total_count}` of every page-number list. */
export function page<T>(value: JsonValue, key: string, row: (v: JsonValue, path: string) => T): Page<T> {
  const o = object(value, '$');
  return {
    rows: array(o[key], `$.${key}`).map((v, i) => row(v, `$.${key}[${i}]`)),
    totalCount: integer(o.total_count, '$.total_count'),
  };
}

/** v2beta1 consumption row. */
function consumptionV2beta1(value: JsonValue | undefined, path: string): Consumption {
  const o = object(value, path);
  return {
    value: money(o.value, path, 'value'),
    productName: optionalString(o.product_name, path, 'product_name'),
    resourceName: optionalString(o.resource_name, path, 'resource_name'),
    sku: optionalString(o.sku, path, 'sku'),
    projectId: optionalUuid(o.project_id, path, 'project_id'),
    projectName: optionalString(o.project_name, path, 'project_name'),
    categoryName: optionalString(o.category_name, path, 'category_name'),
    unit: optionalString(o.unit, path, 'unit'),
    billedQuantity: optionalDecimal(o.billed_quantity, path, 'billed_quantity'),
    consumerId: optionalString(o.consumer_id, path, 'consumer_id'),
    organizationName: optionalString(o.organization_name, path, 'organization_name'),
  };
}

export function consumptionPageV2beta1(value: JsonValue): ConsumptionPage {
  const o = object(value, '$');
  return {
    ...page(value, 'consumptions', consumptionV2beta1),
    updatedAt: optionalTimestamp(o.updated_at, '$.updated_at'),
    totalDiscountUntaxed: optionalDecimal(o.total_discount_untaxed_value, '$.total_discount_untaxed_value'),
  };
}

/** v2beta1 tax line: floats kept as their source text, the currency a three-letter code. */
export function tax(value: JsonValue | undefined, path: string): Tax {
  const o = object(value, path);
  const currency = string(o.currency, path, 'currency');
  if (!/^[A-Z]{3}$/.test(currency)) throw new WireShapeError(path, 'an ISO 4217 currency code', 'currency');
  return {
    description: optionalString(o.description, path, 'description'),
    currency,
    rate: optionalDecimal(o.rate, path, 'rate'),
    totalTaxValue: decimal(o.total_tax_value, path, 'total_tax_value'),
  };
}

/** v2alpha1 `GET /consumption`: the whole current month, unpaged; `description`/`category`/`operation_path` naming. */
export function consumptionsV2alpha1(value: JsonValue): { rows: Consumption[]; updatedAt?: string } {
  const o = object(value, '$');
  const rows = array(o.consumptions, '$.consumptions').map((v, i): Consumption => {
    const path = `$.consumptions[${i}]`;
    const r = object(v, path);
    return {
      value: money(r.value, `${path}.value`),
      productName: optionalString(r.description, `${path}.description`),
      projectId: optionalUuid(r.project_id, `${path}.project_id`),
      categoryName: optionalString(r.category, `${path}.category`),
      sku: optionalString(r.operation_path, `${path}.operation_path`),
    };
  });
  return { rows, updatedAt: optionalTimestamp(o.updated_at, '$.updated_at') };
}

const discountModes: Record<string, DiscountMode> = {
  discount_mode_rate: 'rate',
  discount_mode_value: 'value',
  discount_mode_splittable: 'splittable',
};

const discountFilterTypes = new Set<string>([
  'category_name',
  'product_name',
  'product_range',
  'resource_name',
  'region',
  'zone',
  'product',
  'product_category',
  'product_offer',
  'product_reference',
]);

/** Discount, the same in both versions but for the filter type names (both sets accepted). */
export function discount(value: JsonValue | undefined, path: string): Discount {
  const o = object(value, path);
  const coupon = o.coupon === null || o.coupon === undefined ? undefined : object(o.coupon, path, 'coupon');
  return {
    id: uuid(o.id, path, 'id'),
    organizationId: optionalUuid(o.organization_id, path, 'organization_id'),
    description: optionalString(o.description, path, 'description') ?? '',
    mode: discountModes[optionalString(o.mode, path, 'mode') ?? ''] ?? 'unknown',
    value: decimal(o.value ?? 0, path, 'value'),
    valueUsed: decimal(o.value_used ?? 0, path, 'value_used'),
    valueRemaining: decimal(o.value_remaining ?? 0, path, 'value_remaining'),
    creationDate: optionalTimestamp(o.creation_date, path, 'creation_date'),
    startDate: optionalTimestamp(o.start_date, path, 'start_date'),
    stopDate: optionalTimestamp(o.stop_date, path, 'stop_date'),
    couponDescription: coupon && optionalString(coupon.description, `${path}.coupon.description`),
    filters: array(o.filters ?? [], path, 'filters').map((f, i) => {
      const fo = object(f, `${path}.filters[${i}]`);
      const type = optionalString(fo.type, `${path}.filters[${i}].type`) ?? '';
      return {
        type: (discountFilterTypes.has(type) ? type : 'unknown') as DiscountFilterType,
        value: optionalString(fo.value, `${path}.filters[${i}].value`) ?? '',
        exclude: fo.exclude === undefined || fo.exclude === null ? false : boolean(fo.exclude, `${path}.filters[${i}].exclude`),
      };
    }),
  };
}

/** A charge not invoiced yet: what Scaleway sends then is unknown, so "", absent and the zero UUID all mean none. */
const invoiceIdOf = (id: string | undefined) => (id && id !== '00000000-0000-0000-0000-000000000000' ? id : undefined);

/** FinOps charge: all 12 documented fields; the two name fields arrived in 2026-07 and may be absent. */
export function charge(value: JsonValue | undefined, path: string): Charge {
  const o = object(value, path);
  return {
    organizationId: optionalUuid(o.organization_id, path, 'organization_id'),
    organizationName: optionalString(o.organization_name, path, 'organization_name'),
    projectId: optionalUuid(o.project_id, path, 'project_id'),
    projectName: optionalString(o.project_name, path, 'project_name'),
    sku: optionalString(o.sku, path, 'sku'),
    invoiceId: invoiceIdOf(optionalString(o.invoice_id, path, 'invoice_id')),
    resourceId: optionalString(o.resource_id, path, 'resource_id'),
    resourceName: optionalString(o.resource_name, path, 'resource_name'),
    price: money(o.price, path, 'price'),
    startDate: timestamp(o.start_date, path, 'start_date'),
    endDate: timestamp(o.end_date, path, 'end_date'),
    updatedAt: optionalTimestamp(o.updated_at, path, 'updated_at'),
  };
}

/** `{charges, next_page_token}`: the token is absent, null or empty on the last page. */
export function chargePage(value: JsonValue): TokenPage<Charge> {
  const o = object(value, '$');
  const token = optionalString(o.next_page_token, '$.next_page_token');
  return {
    rows: array(o.charges, '$.charges').map((v, i) => charge(v, `$.charges[${i}]`)),
    ...(token ? { nextToken: token } : {}),
  };
}

/** ScwFile JSON `{name, content_type, content(base64)}`. */
export function scwFile(value: JsonValue): { name: string; contentType: string; content: Buffer } {
  const o = object(value, '$');
  return {
    name: string(o.name, '$.name'),
    contentType: string(o.content_type, '$.content_type'),
    content: Buffer.from(string(o.content, '$.content'), 'base64'),
  };
}

/**
 * A Scaleway error answer → typed error, chosen from the body's `type` when there is one, from the
 * status otherwise (429s come bare: empty body, `X-Envoy-Ratelimited: true`).
 */
export function scalewayError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
): UpstreamError {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // Proxies answer 5xx and 429 with HTML or nothing; the status decides then.
  }
  // Structured fields only, and only in their documented shape: free text goes to `detail`.
  const type = typeof body.type === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(body.type) ? body.type : undefined;
  const requestId = typeof headers['x-request-id'] === 'string' ? headers['x-request-id'] : undefined;
  const named = Array.isArray(body.details) ? (body.details[0] as { argument_name?: unknown } | undefined)?.argument_name : undefined;
  const argument = typeof named === 'string' && /^[a-z][a-z0-9_.]{0,63}$/.test(named) ? named : undefined;
  const help = Array.isArray(body.details)
    ? body.details
        .map((d: { argument_name?: unknown; help_message?: unknown; reason?: unknown }) =>
          [d.argument_name, d.help_message ?? d.reason].filter((x) => typeof x === 'string').join(': '),
        )
        .filter(Boolean)
        .join('; ')
    : '';
  const words = [typeof body.message === 'string' ? body.message : undefined, help || undefined].filter(Boolean).join(' — ');
  const details = { upstream: 'scaleway' as const, status, type, requestId, argument, retryAfter: retryAfterSeconds(headers, body), detail: words || undefined };
  const message = upstreamMessage('scaleway', status, type, argument);
  const byType: Record<string, new (m: string, d: typeof details) => UpstreamError> = {
    denied_authentication: UpstreamUnauthenticatedError,
    permissions_denied: UpstreamForbiddenError,
    quotas_exceeded: UpstreamForbiddenError,
    not_found: UpstreamNotFoundError,
    expired: UpstreamNotFoundError,
    resource_expired: UpstreamNotFoundError,
    invalid_arguments: UpstreamBadRequestError,
    precondition_failed: UpstreamBadRequestError,
    too_many_requests: UpstreamRateLimitedError,
    internal_error: UpstreamUnavailableError,
  };
  const ErrorClass = (type && byType[type]) || errorClassForStatus(status);
  return new ErrorClass(message, details);
}

/** `Retry-After` (seconds or HTTP date) or the JSON `reset_seconds` of `too_many_requests`. */
export function retryAfterSeconds(
  headers: Record<string, string | string[] | undefined>,
  body: Record<string, unknown> = {},
): number | undefined {
  const ms = retryAfterMs(headers);
  if (ms !== undefined) return Math.ceil(ms / 1000);
  return typeof body.reset_seconds === 'number' ? body.reset_seconds : undefined;
}
