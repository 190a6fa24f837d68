import type { JsonValue } from '../../lib/json.js';
import { errorClassForStatus, type UpstreamError, upstreamMessage } from '../errors.js';
import { array, integer, object, optionalString, string, WireShapeError } from '../wire-reader.js';
import { retryAfterSeconds } from '../scaleway/unmarshal.js';
import type { ScalrAccount, UsageStatistic } from './model.js';

/** JSON:API documents of Scalr → domain objects. */

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function usageStatistic(value: JsonValue | undefined, path: string): UsageStatistic {
  const o = object(value, path);
  const type = string(o.type, path, 'type');
  if (type !== 'usage-statistics') throw new WireShapeError(path, '"usage-statistics"', 'type');
  const a = object(o.attributes, path, 'attributes');
  const attributes = `${path}.attributes`;
  const date = optionalString(a.date, attributes, 'date');
  if (date !== undefined && !datePattern.test(date)) throw new WireShapeError(attributes, 'a YYYY-MM-DD date', 'date');
  const account = o.relationships && typeof o.relationships === 'object' ? (o.relationships as Record<string, JsonValue>).account : undefined;
  const accountData = account && typeof account === 'object' && !Array.isArray(account) ? (account as Record<string, JsonValue>).data : undefined;
  return {
    id: optionalString(o.id, path, 'id') || undefined,
    date,
    breakdownId: optionalString(a['breakdown-id'], attributes, 'breakdown-id'),
    breakdownName: optionalString(a['breakdown-name'], attributes, 'breakdown-name'),
    // The spec gives both a default of 0.
    runsCount: integer(a['runs-count'] ?? 0, attributes, 'runs-count'),
    runsSeconds: integer(a['runs-seconds'] ?? 0, attributes, 'runs-seconds'),
    accountId: accountData && typeof accountData === 'object' && !Array.isArray(accountData) ? optionalString((accountData as Record<string, JsonValue>).id, `${path}.relationships.account.data.id`) : undefined,
  };
}

export interface JsonApiPage<T> {
  rows: T[];
  /** From `meta.pagination`; absent when the document carries none. */
  pagination?: { currentPage: number; nextPage?: number; totalCount: number; pageSize?: number };
  /** `links.next`, when present. */
  next?: string;
}

export function usagePage(value: JsonValue): JsonApiPage<UsageStatistic> {
  const o = object(value, '$');
  const rows = array(o.data, '$.data').map((v, i) => usageStatistic(v, `$.data[${i}]`));
  const meta = o.meta && typeof o.meta === 'object' && !Array.isArray(o.meta) ? (o.meta as Record<string, JsonValue>) : undefined;
  const p = meta?.pagination === undefined || meta.pagination === null ? undefined : object(meta.pagination, '$.meta.pagination');
  const links = o.links && typeof o.links === 'object' && !Array.isArray(o.links) ? (o.links as Record<string, JsonValue>) : undefined;
  const next = links ? optionalString(links.next, '$.links.next') : undefined;
  return {
    rows,
    pagination: p && {
      currentPage: integer(p['current-page'] ?? 1, '$.meta.pagination.current-page'),
      nextPage: p['next-page'] === null || p['next-page'] === undefined ? undefined : integer(p['next-page'], '$.meta.pagination.next-page'),
      totalCount: integer(p['total-count'], '$.meta.pagination.total-count'),
      pageSize: p['page-size'] === null || p['page-size'] === undefined ? undefined : integer(p['page-size'], '$.meta.pagination.page-size'),
    },
    next: next || undefined,
  };
}

export function account(value: JsonValue): ScalrAccount {
  const o = object(object(value, '$').data, '$.data');
  const attributes = o.attributes && typeof o.attributes === 'object' ? (o.attributes as Record<string, JsonValue>) : {};
  return { id: string(o.id, '$.data.id'), name: optionalString(attributes.name, '$.data.attributes.name') };
}

/**
 * A JSON:API error document (`errors[].status/title/detail/source`) → typed error, by the first
 * error's status, else the HTTP status. The body may not be JSON:API at all (proxies): then the
 * status alone decides.
 */
export function scalrError(status: number, headers: Record<string, string | string[] | undefined>, text: string): UpstreamError {
  let first: Record<string, unknown> = {};
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(body.errors) && body.errors[0] && typeof body.errors[0] === 'object') first = body.errors[0] as Record<string, unknown>;
  } catch {
    // Not JSON: the status decides.
  }
  const own = Number(first.status);
  const effective = Number.isInteger(own) && own >= 400 ? own : status;
  const source = first.source && typeof first.source === 'object' ? (first.source as Record<string, unknown>) : {};
  const words = [first.title, first.detail].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const ErrorClass = effective === 422 ? errorClassForStatus(400) : errorClassForStatus(effective);
  // Structured fields only, in their documented shape: free text (title, detail) goes to `detail`, for logs.
  const kind = typeof first.code === 'string' ? first.code : typeof first.title === 'string' ? first.title : undefined;
  const type = kind !== undefined && /^[A-Za-z][A-Za-z _-]{0,63}$/.test(kind) ? kind : undefined;
  const pointer = typeof source.parameter === 'string' ? source.parameter : typeof source.pointer === 'string' ? source.pointer : undefined;
  const argument = pointer !== undefined && /^[A-Za-z_/[\].-]{1,100}$/.test(pointer) ? pointer : undefined;
  return new ErrorClass(upstreamMessage('scalr', status, type, argument), {
    upstream: 'scalr',
    status,
    type,
    argument,
    retryAfter: retryAfterSeconds(headers),
    detail: words.join(': ') || undefined,
  });
}
