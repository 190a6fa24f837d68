import { createHash, randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { Exact } from '../lib/money.js';
import { microsTimestamp as fromMicros, timestampMicros as micros } from '../lib/time.js';
import type { SimCharge, SimData } from './data.js';
import { instant, invalid, type KeyScope, money, oneOf, only, organization } from './scaleway-wire.js';
import { json, type SimRequest, type SimResponse } from './http.js';

/**
 * `GET /billing/v2beta1/charges` (Scaleway FinOps). Pages by opaque `next_page_token`s that this
 * simulator remembers and expires; an unknown, expired or replayed-with-other-filters token is a
 * 400 `invalid_arguments` on `page_token`.
 *
 * Clamping rule (the upstream's is undocumented; this one is an assumption, written in the README):
 * with `clamp_to_time_range=true`, a charge overlapping the window [start_date_after, end_date_before)
 * is cut to the overlap: its dates become the overlap's (the end stays inclusive, so it is
 * `end_date_before` − 1 µs at most) and its price is `price × overlap µs / period µs`, both periods
 * counted inclusively to the microsecond, rounded half-even to the nano. With `false`, only charges
 * with start ≥ start_date_after and (inclusive) end < end_date_before are returned.
 */

const FINOPS_DEFAULT_PAGE_SIZE = 100;
const LIST_PARAMS = ['project_ids', 'resource_ids', 'resource_names', 'skus', 'invoice_ids'] as const;

/**
 * A charge's dates as µs, parsed once per date text and kept on the charge (the size switch's
 * 100,000 charges are scanned on every page). Numbers: µs since 1970 stay exact below 2^53 (year 2255).
 */
const PERIOD = Symbol('period');
type Parsed = { startDate: string; endDate: string; start: number; end: number };
function period(c: SimCharge): Parsed {
  const held = (c as SimCharge & { [PERIOD]?: Parsed })[PERIOD];
  if (held && held.startDate === c.startDate && held.endDate === c.endDate) return held;
  const p = { startDate: c.startDate, endDate: c.endDate, start: Number(micros(c.startDate)), end: Number(micros(c.endDate)) };
  Object.defineProperty(c, PERIOD, { value: p, configurable: true, writable: true, enumerable: false });
  return p;
}

/** The charges of a window, clamped or not, as the module comment says. */
function chargesInWindow(charges: SimCharge[], afterUs: bigint, beforeUs: bigint, clamp: boolean): SimCharge[] {
  const out: SimCharge[] = [];
  const after = Number(afterUs);
  const before = Number(beforeUs);
  for (const c of charges) {
    const { start, end } = period(c);
    if (!clamp) {
      if (start >= after && end < before) out.push(c);
      continue;
    }
    const from = start > after ? start : after;
    const to = end < before - 1 ? end : before - 1;
    if (from > to) continue;
    if (from === start && to === end) {
      out.push(c);
      continue;
    }
    const share = new Exact(String(to - from + 1)).div(String(end - start + 1));
    out.push({ ...c, startDate: fromMicros(BigInt(from)), endDate: fromMicros(BigInt(to)), price: c.price.times(share).toDecimalPlaces(9, Decimal.ROUND_HALF_EVEN) });
  }
  return out;
}

function chargeWire(c: SimCharge, index: number) {
  return {
    organization_id: c.organizationId,
    organization_name: c.organizationName,
    project_id: c.projectId,
    project_name: c.projectName,
    sku: c.sku,
    invoice_id: c.invoiceId,
    resource_id: c.resourceId,
    // Unnamed resources: sometimes the key is absent, sometimes null; both happen in SDK-typed JSON.
    ...(c.resourceName !== null ? { resource_name: c.resourceName } : index % 2 ? { resource_name: null } : {}),
    price: money(c.price, c.currency),
    start_date: c.startDate,
    end_date: c.endDate,
    updated_at: c.updatedAt,
  };
}

/** Charges sorted by start, ties ordered by a hash of the filter and the charge. */
function tiesOrderedBy(charges: SimCharge[], filter: string): SimCharge[] {
  const rank = (c: SimCharge) => createHash('sha256').update(`${filter}|${c.resourceId}|${c.sku}|${c.endDate}|${c.price.toFixed()}`).digest('hex');
  return charges
    .map((c) => ({ c, start: micros(c.startDate), rank: rank(c) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .map((x) => x.c);
}

export class PageTokens {
  private readonly tokens = new Map<string, { query: string; offset: number; expiresAt: number }>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  issue(query: string, offset: number): string {
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, { query, offset, expiresAt: Date.now() + this.ttlMs });
    return token;
  }

  /** The offset a token stands for, if it was issued for this same query and has not expired. */
  redeem(token: string, query: string): number | undefined {
    const entry = this.tokens.get(token);
    if (!entry || entry.query !== query || entry.expiresAt < Date.now()) return undefined;
    return entry.offset;
  }

  /** Makes every token issued so far unknown, as after their lifetime upstream. */
  expireAll(): void {
    this.tokens.clear();
  }
}

export function listCharges(req: SimRequest, data: SimData, tokens: PageTokens, scope: KeyScope = null, tiesByFilter = false): SimResponse {
  // An upstream that never ends: empty pages, each with a fresh token.
  if (req.fault?.endlessTokens) return json(200, { charges: [], next_page_token: randomBytes(12).toString('base64url') });
  only(req, ['organization_id', ...LIST_PARAMS, 'start_date_after', 'end_date_before', 'clamp_to_time_range', 'order_by', 'page_size', 'page_token']);
  const org = organization(req, data, true, scope)!;
  const y = data.now.getUTCFullYear();
  const m = data.now.getUTCMonth();
  // Without dates, the window is the current billing period.
  const bound = (name: string, fallback: number) => (instant(req, name) === undefined ? BigInt(fallback) * 1000n : micros(req.query.get(name)!));
  const after = bound('start_date_after', Date.UTC(y, m, 1));
  const before = bound('end_date_before', Date.UTC(y, m + 1, 1));
  const clamp = oneOf(req, 'clamp_to_time_range', ['true', 'false'], 'false') === 'true';
  const order = oneOf(req, 'order_by', ['start_date_asc', 'start_date_desc'], 'start_date_asc');
  const sizeText = req.query.get('page_size') ?? String(FINOPS_DEFAULT_PAGE_SIZE);
  const size = Number(sizeText);
  if (!/^\d+$/.test(sizeText) || size < 1 || size > 1000) invalid('page_size', 'constraint', 'must be between 1 and 1000');
  const filters = Object.fromEntries(LIST_PARAMS.map((name) => [name, new Set(req.query.getAll(name))]));
  const matches = (c: SimCharge) =>
    (!filters.project_ids!.size || filters.project_ids!.has(c.projectId)) &&
    (!filters.resource_ids!.size || filters.resource_ids!.has(c.resourceId)) &&
    (!filters.resource_names!.size || (c.resourceName !== null && filters.resource_names!.has(c.resourceName))) &&
    (!filters.skus!.size || filters.skus!.has(c.sku)) &&
    (!filters.invoice_ids!.size || filters.invoice_ids!.has(c.invoiceId));
  // A token is valid only with the query it was issued for (every parameter but the token itself).
  const query = [...req.query].filter(([k]) => k !== 'page_token').map(([k, v]) => `${k}=${v}`).sort().join('&');
  const inWindow = chargesInWindow((data.charges.get(org.id) ?? []).filter(matches), after, before, clamp);
  // Ties (charges starting at the same instant) in generation order, or, like a SQL upstream
  // without a tie-breaker, in an order that depends on the query (the same for every page of it).
  const ascending = tiesByFilter ? tiesOrderedBy(inWindow, query.replace(/(^|&)(page_size|order_by)=[^&]*/g, '')) : inWindow;
  const rows = order === 'start_date_asc' ? ascending : [...ascending].reverse();

  const token = req.query.get('page_token');
  let offset = 0;
  if (token !== null) {
    const redeemed = tokens.redeem(token, query);
    if (redeemed === undefined) invalid('page_token', 'constraint', 'unknown or expired page token');
    offset = redeemed;
  }
  const end = offset + size;
  return json(200, {
    charges: rows.slice(offset, end).map((c, i) => chargeWire(c, offset + i)),
    ...(end < rows.length ? { next_page_token: tokens.issue(query, end) } : {}),
  });
}
