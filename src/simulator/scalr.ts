import { createHash } from 'node:crypto';
import type { SimData, SimScalrAccount } from './data.js';
import type { Route, SimRequest, SimResponse } from './http.js';
import { jsonBody } from './http.js';

/**
 * Scalr `/api/iacp/v3` as its API reference shows it (docs/upstreams.md): JSON:API documents, Bearer tokens,
 * `page[number]`/`page[size]` (default 20, at most 100: an assumption, Scalr documents neither),
 * `meta.pagination` and absolute `links`. Days without runs are absent (sparse). The date window
 * `between:<from>,<to>` is taken as [from, to) on UTC days. Like Scalr, a `filter[account]` naming
 * an account this token cannot see answers an empty list, not a 404.
 */

const PREFIX = '/api/iacp/v3';
const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

function document(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/vnd.api+json', ...headers }, body: jsonBody(value) };
}

function error(status: number, title: string, detail: string, parameter?: string): SimResponse {
  return document(status, { errors: [{ status: String(status), title, detail, ...(parameter ? { source: { parameter } } : {}) }] });
}

interface Row {
  date: string | null;
  breakdownId: string | null;
  breakdownName: string | null;
  runsCount: number;
  runsSeconds: number;
}

/** Sums the account's usage over [from, to) by day and/or breakdown entity. */
export function usageRows(account: SimScalrAccount, from: number, to: number, breakdown: string | null, total: boolean): Row[] {
  const entity = (workspaceId: string): [string | null, string | null] => {
    if (breakdown === 'workspace') {
      const ws = account.workspaces.find((w) => w.id === workspaceId)!;
      return [ws.id, ws.name];
    }
    if (breakdown === 'environment') {
      const env = account.environments.find((e) => e.id === account.workspaces.find((w) => w.id === workspaceId)!.environmentId)!;
      return [env.id, env.name];
    }
    if (breakdown === 'account') return [account.id, account.name];
    return [null, null];
  };
  const rows = new Map<string, Row>();
  for (const u of account.usage) {
    const day = Date.parse(`${u.date}T00:00:00Z`);
    if (day < from || day >= to) continue;
    const [breakdownId, breakdownName] = entity(u.workspaceId);
    const date = total ? null : u.date;
    const key = `${date}|${breakdownId}`;
    const row = rows.get(key) ?? { date, breakdownId, breakdownName, runsCount: 0, runsSeconds: 0 };
    row.runsCount += u.runsCount;
    row.runsSeconds += u.runsSeconds;
    rows.set(key, row);
  }
  // A total without breakdown is one row, even for a window without runs.
  if (total && breakdown === null && rows.size === 0) return [{ date: null, breakdownId: null, breakdownName: null, runsCount: 0, runsSeconds: 0 }];
  return [...rows.values()].sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : (a.breakdownId ?? '') < (b.breakdownId ?? '') ? -1 : 1));
}

/**
 * `token` sees every account; each of `scopedTokens` (token → account ids) only its own: another
 * account is "not found or user unauthorized", and its usage an empty list, as Scalr answers.
 */
export function scalrRoutes(data: SimData, token: string, scopedTokens: Record<string, string[]> = {}): Route {
  const scopes = new Map<string, ReadonlySet<string> | null>([[token, null], ...Object.entries(scopedTokens).map(([t, ids]) => [t, new Set(ids)] as [string, ReadonlySet<string>])]);
  return (req: SimRequest) => {
    if (!req.path.startsWith(`${PREFIX}/`)) return undefined;
    const rest = req.path.slice(PREFIX.length);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const scope = bearer === undefined ? undefined : scopes.get(bearer);
    if (scope === undefined) return error(401, 'Unauthorized', 'Invalid or missing token.');
    const visible = (id: string) => scope === null || scope.has(id);
    const preference = req.headers.prefer === 'profile=preview' ? { 'preference-applied': 'profile=preview' } : undefined;
    const byId = /^\/accounts\/([^/]+)$/.exec(rest);
    if (byId) {
      const account = data.scalrAccounts.find((a) => a.id === decodeURIComponent(byId[1]!) && visible(a.id));
      if (!account) return error(404, 'Not Found', `Account with ID '${decodeURIComponent(byId[1]!)}' not found or user unauthorized.`);
      return document(200, { data: { type: 'accounts', id: account.id, attributes: { name: account.name } } }, preference);
    }
    if (rest !== '/usage-statistics') return undefined;

    for (const key of req.query.keys()) {
      if (!['filter[date]', 'filter[account]', 'breakdown_by', 'total', 'page[number]', 'page[size]'].includes(key)) {
        return error(422, 'Invalid Parameter', `Unknown query parameter ${key}.`, key);
      }
    }
    const m = /^between:([^,]+),([^,]+)$/.exec(req.query.get('filter[date]') ?? '');
    const from = m ? Date.parse(m[1]!) : NaN;
    const to = m ? Date.parse(m[2]!) : NaN;
    if (!m || Number.isNaN(from) || Number.isNaN(to)) {
      return error(422, 'Invalid Filter', 'filter[date] must be between:<RFC 3339>,<RFC 3339>.', 'filter[date]');
    }
    const breakdown = req.query.get('breakdown_by');
    if (breakdown !== null && !['environment', 'workspace', 'account'].includes(breakdown)) {
      return error(422, 'Invalid Parameter', 'breakdown_by must be environment, workspace or account.', 'breakdown_by');
    }
    const total = req.query.get('total');
    if (total !== null && total !== 'true' && total !== 'false') return error(422, 'Invalid Parameter', 'total must be true or false.', 'total');
    const number = Number(req.query.get('page[number]') ?? '1');
    const size = Number(req.query.get('page[size]') ?? String(DEFAULT_PAGE_SIZE));
    if (!Number.isInteger(number) || number < 1) return error(422, 'Invalid Parameter', 'page[number] must be a positive integer.', 'page[number]');
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      return error(422, 'Invalid Parameter', `page[size] must be between 1 and ${MAX_PAGE_SIZE}.`, 'page[size]');
    }
    const accountId = req.query.get('filter[account]') ?? data.scalrAccounts.find((a) => visible(a.id))!.id;
    const account = data.scalrAccounts.find((a) => a.id === accountId && visible(a.id));
    const listed = account ? usageRows(account, from, to, breakdown, total === 'true') : [];
    // A list reordered between two page reads: the same total, another order.
    const turn = req.fault?.rotate ?? 0;
    const rows = turn ? [...listed.slice(turn), ...listed.slice(0, turn)] : listed;
    const pages = Math.max(1, Math.ceil(rows.length / size));
    const link = (page: number | null) => {
      if (page === null) return null;
      const q = new URLSearchParams(req.query);
      q.set('page[number]', String(page));
      return `http://${req.headers.host}${PREFIX}/usage-statistics?${q}`;
    };
    return document(
      200,
      {
        data: rows.slice((number - 1) * size, number * size).map((row) => ({
          type: 'usage-statistics',
          id: createHash('sha256').update(`${accountId}|${row.date}|${breakdown}|${row.breakdownId}`).digest('hex'),
          attributes: { 'breakdown-id': row.breakdownId, 'breakdown-name': row.breakdownName, date: row.date, 'runs-count': row.runsCount, 'runs-seconds': row.runsSeconds },
          relationships: { account: { data: { id: accountId, type: 'accounts' } } },
          links: null,
        })),
        included: null,
        links: { self: link(number), first: link(1), last: link(pages), prev: link(number > 1 ? number - 1 : null), next: link(number < pages ? number + 1 : null) },
        meta: {
          pagination: {
            'current-page': number,
            'prev-page': number > 1 ? number - 1 : null,
            'next-page': number < pages ? number + 1 : null,
            'total-pages': pages,
            'total-count': rows.length,
          },
        },
      },
      preference,
    );
  };
}
