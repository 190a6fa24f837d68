import { Decimal } from 'decimal.js';
import type { SimConsumption, SimData, SimDiscount, SimInvoice } from './data.js';
import { listCharges, type PageTokens } from './finops.js';
import { invoicePdf } from './pdf.js';
import { instant, invalid, type KeyScope, money, oneOf, only, organization, Refusal, UUID } from './scaleway-wire.js';
import { json, RawNumber, type Route, type SimRequest, type SimSwitches } from './http.js';

/**
 * Scaleway Billing v2beta1 and v2alpha1 as their public contracts document them (docs/upstreams.md).
 * Stricter than the real API in one way: an unknown query parameter is a 400, so a misspelt filter
 * in the gateway fails its tests instead of being silently ignored. About 300 lines: the two API
 * versions share their routes, so they are written side by side (FinOps charges are apart).
 */

const INVOICE_ORDERS = ['start_date', 'issued_date', 'due_date', 'invoice_number', 'total_untaxed', 'total_taxed', 'invoice_type'].flatMap(
  (k) => [`${k}_asc`, `${k}_desc`],
);
const DISCOUNT_ORDERS = ['creation_date', 'start_date', 'stop_date'].flatMap((k) => [`${k}_asc`, `${k}_desc`]);
const CONSUMPTION_ORDERS = ['updated_at_desc', 'updated_at_asc', 'category_name_desc', 'category_name_asc'];

/** `page` (1-based) and `page_size` (1..100); without `page_size` the whole list comes back, as observed live. */
function paginate<T>(req: SimRequest, list: T[]): { rows: T[]; total_count: number } {
  // A list reordered between two page reads (figures recomputed upstream): the same total, another order.
  const turn = req.fault?.rotate ?? 0;
  const rows = turn ? [...list.slice(turn), ...list.slice(0, turn)] : list;
  const pageText = req.query.get('page') ?? '1';
  const sizeText = req.query.get('page_size');
  const page = Number(pageText);
  if (!/^\d+$/.test(pageText) || page < 1) invalid('page', 'constraint', 'must be greater or equal to 1');
  if (sizeText === null) return { rows, total_count: rows.length };
  const size = Number(sizeText);
  if (!/^\d+$/.test(sizeText) || size < 1) invalid('page_size', 'constraint', 'must be greater or equal to 1');
  if (size > 100) invalid('page_size', 'constraint', 'must be lower or equal to 100');
  return { rows: rows.slice((page - 1) * size, page * size), total_count: rows.length };
}

/** Ascending comparison with nulls last; the `_desc` orders reverse it, so unissued invoices (number 0) come first. */
function compare(a: string | number | Decimal | null, b: string | number | Decimal | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (a instanceof Decimal && b instanceof Decimal) return a.comparedTo(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

const sorted = new WeakMap<object, Map<string, { length: number; rows: unknown[] }>>();

/**
 * {@link sortBy}, remembered per list and order: the benchmark asks for the same pages thousands
 * of times, and the simulator's own CPU must not be what it measures. A list changed in length
 * (tests edit the data) is sorted again.
 */
function sortedOnce<T>(rows: T[], order: string, key: (row: T, name: string) => string | number | Decimal | null): T[] {
  let byOrder = sorted.get(rows);
  if (!byOrder) sorted.set(rows, (byOrder = new Map()));
  const hit = byOrder.get(order);
  if (hit && hit.length === rows.length) return hit.rows as T[];
  const result = sortBy(rows, order, key);
  byOrder.set(order, { length: rows.length, rows: result });
  return result;
}

/** Sorts by `<key>_<asc|desc>`, ties broken by position so pages never overlap. */
function sortBy<T>(rows: T[], order: string, key: (row: T, name: string) => string | number | Decimal | null): T[] {
  const name = order.replace(/_(asc|desc)$/, '');
  const sign = order.endsWith('_desc') ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => sign * compare(key(a.row, name), key(b.row, name)) || a.index - b.index)
    .map((x) => x.row);
}

function invoiceKey(inv: SimInvoice, name: string): string | number | Decimal | null {
  switch (name) {
    case 'start_date':
      return Date.parse(inv.startDate);
    case 'issued_date':
      return inv.issuedDate && Date.parse(inv.issuedDate);
    case 'due_date':
      return inv.dueDate && Date.parse(inv.dueDate);
    case 'invoice_number':
      return inv.number === 0 ? null : inv.number;
    case 'total_untaxed':
      return inv.untaxed;
    case 'total_taxed':
      return inv.untaxed.plus(inv.tax);
    default:
      return inv.type;
  }
}

function discountKey(d: SimDiscount, name: string): number | null {
  const value = name === 'creation_date' ? d.creationDate : name === 'start_date' ? d.startDate : d.stopDate;
  return value === null ? null : Date.parse(value);
}

const invoiceWires = { v2beta1: new WeakMap<SimInvoice, object>(), v2alpha1: new WeakMap<SimInvoice, object>() };

/** An invoice as Scaleway sends it, built once per invoice and version (the benchmark asks thousands of times). */
function invoiceWire(inv: SimInvoice, version: 'v2beta1' | 'v2alpha1'): object {
  let wire = invoiceWires[version].get(inv);
  if (wire) return wire;
  const common = {
    id: inv.id,
    number: inv.number,
    start_date: inv.startDate,
    issued_date: inv.issuedDate,
    due_date: inv.dueDate,
    total_untaxed: money(inv.untaxed, inv.currency),
    total_taxed: money(inv.untaxed.plus(inv.tax), inv.currency),
  };
  wire =
    version === 'v2alpha1'
      ? // v2alpha1 knows no credit notes.
        { ...common, invoice_type: inv.type === 'credit_note' ? 'unknown_type' : inv.type }
      : {
          ...common,
          organization_id: inv.organizationId,
          organization_name: inv.organizationName,
          stop_date: inv.stopDate,
          billing_period: inv.billingPeriod,
          total_tax: money(inv.tax, inv.currency),
          total_discount: money(inv.discount, inv.currency),
          ...(inv.noUndiscount ? {} : { total_undiscount: money(inv.untaxed.minus(inv.discount), inv.currency) }),
          type: inv.type,
          state: inv.state,
          seller_name: 'Scaleway SAS',
        };
  invoiceWires[version].set(inv, wire);
  return wire;
}

const ALPHA_FILTER_TYPES: Record<string, string> = {
  category_name: 'product_category',
  product_name: 'product',
  product_range: 'product_offer',
  resource_name: 'product_reference',
};

function discountWire(d: SimDiscount, version: 'v2beta1' | 'v2alpha1') {
  return {
    id: d.id,
    creation_date: d.creationDate,
    organization_id: d.organizationId,
    description: d.description,
    value: new RawNumber(d.value),
    value_used: new RawNumber(d.valueUsed),
    value_remaining: new RawNumber(d.valueRemaining),
    mode: d.mode,
    start_date: d.startDate,
    stop_date: d.stopDate,
    coupon: d.coupon === null ? null : { description: d.coupon },
    filters: d.filters.map((f) => ({
      type: version === 'v2alpha1' ? (ALPHA_FILTER_TYPES[f.type] ?? f.type) : f.type,
      value: f.value,
      exclude: f.exclude,
    })),
  };
}

function consumptionWire(c: SimConsumption, organizationName: string) {
  return {
    value: money(c.value, c.currency),
    product_name: c.productName,
    resource_name: c.resourceName,
    sku: c.sku,
    project_id: c.projectId,
    project_name: c.projectName,
    category_name: c.categoryName,
    unit: c.unit,
    billed_quantity: c.billedQuantity,
    consumer_id: c.consumerId,
    organization_name: organizationName,
  };
}

/**
 * `secretKey` reads every organization; each of `scopedKeys` (key → organization ids) only its own,
 * as an IAM policy limits a Scaleway API key: a foreign organization is `permissions_denied`.
 */
export function scalewayRoutes(data: SimData, secretKey: string, tokens: PageTokens, scopedKeys: Record<string, string[]> = {}, switches: SimSwitches = { tiesByFilter: false }): Route {
  const scopes = new Map<string, KeyScope>([[secretKey, null], ...Object.entries(scopedKeys).map(([key, orgs]) => [key, new Set(orgs)] as [string, KeyScope])]);
  const allInvoices = (scope: KeyScope) => [...data.invoices.entries()].filter(([org]) => scope === null || scope.has(org)).flatMap(([, list]) => list);
  const findInvoice = (id: string, scope: KeyScope) => {
    if (!UUID.test(id)) invalid('invoice_id', 'format', 'must be a UUID');
    const invoice = allInvoices(scope).find((i) => i.id === id);
    if (!invoice) throw new Refusal(json(404, { type: 'not_found', message: 'resource is not found', resource: 'invoice', resource_id: id }));
    return invoice;
  };
  const currentPeriod = data.now.toISOString().slice(0, 7);

  const listInvoices = (req: SimRequest, version: 'v2beta1' | 'v2alpha1', scope: KeyScope) => {
    const alpha = version === 'v2alpha1';
    const [after, before] = alpha ? ['started_after', 'started_before'] : ['billing_period_start_after', 'billing_period_start_before'];
    only(req, ['organization_id', after, before, 'invoice_type', 'order_by', 'page', 'page_size']);
    const org = organization(req, data, false, scope);
    const from = instant(req, after);
    const to = instant(req, before);
    const types = ['unknown_type', 'periodic', 'purchase', ...(alpha ? [] : ['credit_note'])];
    const type = oneOf(req, 'invoice_type', types, 'unknown_type');
    const order = oneOf(req, 'order_by', INVOICE_ORDERS, 'invoice_number_desc');
    const rows = sortedOnce(org ? (data.invoices.get(org.id) ?? []) : allInvoices(scope), order, invoiceKey).filter(
      (i) =>
        // v2beta1 filters on the billing period's start, v2alpha1 on the invoice's start.
        (from === undefined || Date.parse(alpha ? i.startDate : i.billingPeriod) >= from) &&
        (to === undefined || Date.parse(alpha ? i.startDate : i.billingPeriod) < to) &&
        (type === 'unknown_type' || i.type === type),
    );
    const page = paginate(req, rows);
    return json(200, { total_count: page.total_count, invoices: page.rows.map((i) => invoiceWire(i, version)) });
  };

  const listDiscounts = (req: SimRequest, version: 'v2beta1' | 'v2alpha1', scope: KeyScope) => {
    only(req, ['organization_id', 'order_by', 'page', 'page_size']);
    const org = organization(req, data, false, scope);
    const orders = version === 'v2alpha1' ? ['creation_date_desc', 'creation_date_asc'] : DISCOUNT_ORDERS;
    const order = oneOf(req, 'order_by', orders, 'creation_date_desc');
    const rows = org ? (data.discounts.get(org.id) ?? []) : [...data.discounts.entries()].filter(([id]) => scope === null || scope.has(id)).flatMap(([, list]) => list);
    const page = paginate(req, sortedOnce(rows, order, discountKey));
    return json(200, { total_count: page.total_count, discounts: page.rows.map((d) => discountWire(d, version)) });
  };

  const download = (req: SimRequest, invoiceId: string, version: 'v2beta1' | 'v2alpha1', scope: KeyScope) => {
    only(req, ['file_type', 'dl']);
    oneOf(req, 'file_type', ['pdf'], 'pdf');
    const inv = findInvoice(invoiceId, scope);
    const name = `invoice-${inv.billingPeriod.slice(0, 7)}-${inv.id.slice(0, 8)}.pdf`;
    const pdf = invoicePdf(`Scaleway invoice ${inv.number || '(draft)'}`, [
      `Organization: ${inv.organizationName}`,
      `Period: ${inv.billingPeriod.slice(0, 7)}`,
      `Total untaxed: ${inv.untaxed.toFixed()} ${inv.currency}`,
    ]);
    if (req.query.get('dl') === '1' && version === 'v2beta1') {
      return { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="${name}"` }, body: pdf };
    }
    return json(200, { name, content_type: 'application/pdf', content: pdf.toString('base64') });
  };

  const consumptionsV2beta1 = (req: SimRequest, scope: KeyScope) => {
    only(req, ['organization_id', 'project_id', 'billing_period', 'category_name', 'order_by', 'page', 'page_size']);
    const projectId = req.query.get('project_id');
    const org =
      projectId === null
        ? organization(req, data, true, scope)!
        : req.query.has('organization_id')
          ? invalid('organization_id', 'constraint', 'only one of organization_id and project_id may be set')
          : data.organizations.find((o) => o.projects.some((p) => p.id === projectId));
    if (org && scope !== null && !scope.has(org.id)) {
      throw new Refusal(json(403, { type: 'permissions_denied', message: 'insufficient permissions', details: [{ resource: 'billing', action: 'read' }] }));
    }
    if (!org) throw new Refusal(json(404, { type: 'not_found', message: 'resource is not found', resource: 'project', resource_id: projectId }));
    const period = req.query.get('billing_period') || currentPeriod;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) invalid('billing_period', 'format', 'must be YYYY-MM');
    const category = req.query.get('category_name');
    const order = oneOf(req, 'order_by', CONSUMPTION_ORDERS, 'updated_at_desc');
    const rows = data
      .consumptions(org.id, period)
      .filter((c) => (projectId === null || c.projectId === projectId) && (category === null || c.categoryName === category));
    // Every row of a period shares its updated_at: that order is the generation order.
    const sorted = order.startsWith('category_name') ? sortBy(rows, order, (c) => c.categoryName) : order === 'updated_at_asc' ? [...rows].reverse() : rows;
    const page = paginate(req, sorted);
    return json(200, {
      consumptions: page.rows.map((c) => consumptionWire(c, org.name)),
      total_count: page.total_count,
      ...(projectId === null && category === null ? { total_discount_untaxed_value: new RawNumber(data.totalDiscountUntaxed(org.id, period)) } : {}),
      updated_at: data.consumptionUpdatedAt(period),
    });
  };

  // Tax lines of a period; `order_by` is accepted and ignored (its values are not published).
  const listTaxes = (req: SimRequest, scope: KeyScope) => {
    only(req, ['organization_id', 'billing_period', 'order_by', 'page', 'page_size']);
    const org = organization(req, data, true, scope)!;
    const period = req.query.get('billing_period') || currentPeriod;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) invalid('billing_period', 'format', 'must be YYYY-MM');
    const page = paginate(req, data.taxes(org.id, period));
    return json(200, {
      taxes: page.rows.map((t) => ({ description: t.description, currency: t.currency, rate: new RawNumber(t.rate), total_tax_value: new RawNumber(t.totalTaxValue) })),
      total_count: page.total_count,
      updated_at: data.consumptionUpdatedAt(period),
    });
  };

  const consumptionV2alpha1 = (req: SimRequest, scope: KeyScope) => {
    only(req, ['organization_id']);
    const org = organization(req, data, true, scope)!;
    return json(200, {
      consumptions: data.consumptions(org.id, currentPeriod).map((c) => ({
        value: money(c.value, c.currency),
        description: c.productName,
        project_id: c.projectId,
        category: c.categoryName,
        operation_path: c.sku,
      })),
      updated_at: data.consumptionUpdatedAt(currentPeriod),
    });
  };

  return (req) => {
    const m = /^\/billing\/(v2beta1|v2alpha1)\/(.+)$/.exec(req.path);
    if (!m) return undefined;
    const version = m[1] as 'v2beta1' | 'v2alpha1';
    const rest = m[2]!;
    const key = req.headers['x-auth-token'];
    const scope = typeof key === 'string' ? scopes.get(key) : undefined;
    if (scope === undefined) {
      return json(401, { type: 'denied_authentication', message: 'authentication is denied', method: 'api_key', reason: 'not_found' });
    }
    try {
      if (rest === 'invoices') return listInvoices(req, version, scope);
      if (rest === 'charges' && version === 'v2beta1') return listCharges(req, data, tokens, scope, switches.tiesByFilter);
      if (rest === 'discounts') return listDiscounts(req, version, scope);
      if (rest === 'consumptions' && version === 'v2beta1') return consumptionsV2beta1(req, scope);
      if (rest === 'taxes' && version === 'v2beta1') return listTaxes(req, scope);
      if (rest === 'consumption' && version === 'v2alpha1') return consumptionV2alpha1(req, scope);
      const file = /^invoices\/([^/]+)\/download$/.exec(rest);
      if (file) return download(req, decodeURIComponent(file[1]!), version, scope);
      const get = /^invoices\/([^/]+)$/.exec(rest);
      if (get && version === 'v2beta1') {
        only(req, []);
        return json(200, invoiceWire(findInvoice(decodeURIComponent(get[1]!), scope), version));
      }
      return undefined;
    } catch (error) {
      if (error instanceof Refusal) return error.response;
      throw error;
    }
  };
}
