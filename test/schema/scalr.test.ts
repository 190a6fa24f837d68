import { describe, expect, it } from 'vitest';
import type { SimScalrAccount } from '../../src/simulator/data.js';
import { useStack } from '../helpers/stack.js';

/** ScalrAccount.usageStatistics against the simulator (page[size] 20), rows computed here from its data. */
const stack = useStack({ scalrPageSize: 20 });

const QUERY = `query($id: ID, $from: DateTime!, $to: DateTime!, $by: ScalrBreakdown, $total: Boolean, $first: Int, $after: String, $last: Int, $before: String) {
  scalrAccount(id: $id) {
    accountId
    usageStatistics(from: $from, to: $to, breakdownBy: $by, total: $total, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { date breakdownId breakdownName runsCount runsSeconds } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}`;

type Row = { date: string | null; breakdownId: string | null; breakdownName: string | null; runsCount: number; runsSeconds: number };

/** The expected rows: sums by day and/or entity over [from, to), days without runs absent. */
function expected(account: SimScalrAccount, from: string, to: string, by: string | null, total: boolean): Row[] {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const sums = new Map<string, Row>();
  for (const u of account.usage) {
    const day = Date.parse(`${u.date}T00:00:00Z`);
    if (day < a || day >= b) continue;
    const ws = account.workspaces.find((w) => w.id === u.workspaceId)!;
    const env = account.environments.find((e) => e.id === ws.environmentId)!;
    const [breakdownId, breakdownName] = by === 'WORKSPACE' ? [ws.id, ws.name] : by === 'ENVIRONMENT' ? [env.id, env.name] : by === 'ACCOUNT' ? [account.id, account.name] : [null, null];
    const date = total ? null : u.date;
    const key = `${date}|${breakdownId}`;
    const s = sums.get(key) ?? { date, breakdownId, breakdownName, runsCount: 0, runsSeconds: 0 };
    s.runsCount += u.runsCount;
    s.runsSeconds += u.runsSeconds;
    sums.set(key, s);
  }
  if (total && !by && sums.size === 0) return [{ date: null, breakdownId: null, breakdownName: null, runsCount: 0, runsSeconds: 0 }];
  return [...sums.values()].sort((x, y) => `${x.date}|${x.breakdownId}`.localeCompare(`${y.date}|${y.breakdownId}`));
}

const day = (back: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back)).toISOString();
};

describe('ScalrAccount.usageStatistics', () => {
  const account = () => stack.sim.data.scalrAccounts[0]!;
  const window = { from: day(70), to: day(35) };

  it.each([
    ['no breakdown', null, false],
    ['per environment', 'ENVIRONMENT', false],
    ['per workspace', 'WORKSPACE', false],
    ['per account', 'ACCOUNT', false],
    ['total', null, true],
    ['total per environment', 'ENVIRONMENT', true],
    ['total per workspace', 'WORKSPACE', true],
  ])('serves %s exactly, in the fewest calls', async (_name, by, total) => {
    const want = expected(account(), window.from, window.to, by, total);
    const r = await stack.query(QUERY, { ...window, by, total, first: 500 });
    expect(r.errors).toBeUndefined();
    const conn = r.data.scalrAccount.usageStatistics;
    expect(conn.edges.map((e: any) => e.node)).toEqual(want);
    expect(conn.totalCount).toBe(want.length);
    // The first page bounds the rest; then all the others at once.
    expect(stack.sim.log).toHaveLength(Math.max(1, Math.ceil(want.length / 20)));
    for (const call of stack.sim.log) {
      expect(call.query.get('page[size]')).toBe('20');
      expect(call.headers.prefer).toBe('profile=preview');
      expect(call.query.get('breakdown_by')).toBe(by?.toLowerCase() ?? null);
      expect(call.query.get('total')).toBe(total ? 'true' : null);
    }
  });

  it('leaves out days without runs (sparse rows, as upstream)', async () => {
    const quiet = stack.sim.data.scalrAccounts[2]!;
    const vars = { id: quiet.id, from: day(30), to: day(0), first: 500 };
    const r = await stack.query(QUERY, vars);
    const dates = r.data.scalrAccount.usageStatistics.edges.map((e: any) => e.node.date);
    expect(dates).toEqual(expected(quiet, vars.from, vars.to, null, false).map((x) => x.date));
    expect(dates.length).toBeLessThan(30);
    expect(dates.length).toBeGreaterThan(0);
  });

  it('pages forward and backward across upstream pages with exact slices and minimal calls', async () => {
    const want = expected(account(), window.from, window.to, 'WORKSPACE', false);
    expect(want.length).toBeGreaterThan(100);
    const forward: Row[] = [];
    let after: string | null = null;
    for (;;) {
      stack.sim.resetLog();
      const r: any = await stack.query(QUERY, { ...window, by: 'WORKSPACE', first: 30, after });
      const conn = r.data.scalrAccount.usageStatistics;
      forward.push(...conn.edges.map((e: any) => e.node));
      // 30 rows straddle two pages of 20 at most.
      expect(stack.sim.log.length).toBeLessThanOrEqual(2);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(forward).toEqual(want);
    const backward: Row[] = [];
    let before: string | null = null;
    for (;;) {
      const r: any = await stack.query(QUERY, { ...window, by: 'WORKSPACE', last: 45, before });
      const conn = r.data.scalrAccount.usageStatistics;
      backward.unshift(...conn.edges.map((e: any) => e.node));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(backward).toEqual(want);
  });

  it('sums runs and run-seconds over every row of the window, not only the page', async () => {
    const want = expected(account(), window.from, window.to, 'WORKSPACE', false);
    const r = await stack.query(
      `query($from: DateTime!, $to: DateTime!) { scalrAccount { usageStatistics(from: $from, to: $to, breakdownBy: WORKSPACE, first: 1) { totalRunsCount totalRunsSeconds edges { node { runsCount } } } } }`,
      window,
    );
    const conn = r.data.scalrAccount.usageStatistics;
    expect(conn.edges).toHaveLength(1);
    expect(conn.totalRunsCount).toBe(want.reduce((s, x) => s + x.runsCount, 0));
    expect(conn.totalRunsSeconds).toBe(want.reduce((s, x) => s + x.runsSeconds, 0));
    expect(stack.sim.log).toHaveLength(Math.ceil(want.length / 20));
  });

  it.each([
    ['`to` before `from`', { from: day(10), to: day(20) }],
    ['`to` equal to `from`', { from: day(10), to: day(10) }],
    ['a window longer than 366 days', { from: day(400), to: day(1) }],
    ['first < 0', { ...{ from: day(20), to: day(10) }, first: -1 }],
  ])('refuses %s without a call', async (_name, vars) => {
    const r = await stack.query(QUERY, vars);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses an account this gateway does not serve without a call', async () => {
    const r = await stack.query(QUERY, { id: 'acc-notconfigured01', ...window });
    expect(r.data.scalrAccount).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('round-trips node(id:) for a ScalrAccount', async () => {
    const r = await stack.query(`{ scalrAccount { id accountId } }`);
    const again = await stack.query(`query($id: ID!) { node(id: $id) { ... on ScalrAccount { accountId } } }`, { id: r.data.scalrAccount.id });
    expect(again.data.node).toEqual({ accountId: account().id });
  });
});

describe('ScalrAccount without a configured account list', () => {
  const open = useStack({ scalrAccounts: null, preferProfile: undefined });

  it('checks an unknown account upstream once, rather than report it as "no runs"', async () => {
    const r = await open.query(`{ scalrAccount(id: "acc-doesnotexist00") { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`);
    expect(r.data.scalrAccount).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(open.sim.log.map((c) => c.path)).toEqual(['/api/iacp/v3/accounts/acc-doesnotexist00']);
  });

  it('serves a known one, without a Prefer header when the profile is off', async () => {
    const id = open.sim.data.scalrAccounts[1]!.id;
    const r = await open.query(`query($id: ID) { scalrAccount(id: $id) { usageStatistics(from: "${day(60)}", to: "${day(1)}", total: true) { edges { node { runsCount } } } } }`, { id });
    expect(r.errors).toBeUndefined();
    expect(r.data.scalrAccount.usageStatistics.edges).toHaveLength(1);
    expect(open.sim.log.map((c) => c.path)).toEqual([`/api/iacp/v3/accounts/${id}`, '/api/iacp/v3/usage-statistics']);
    expect(open.sim.log.every((c) => c.headers.prefer === undefined)).toBe(true);
  });

  it('maps each upstream error status onto the field', async () => {
    const id = open.sim.data.scalrAccounts[0]!.id;
    for (const [status, code] of [
      [401, 'UPSTREAM_UNAUTHENTICATED'],
      [403, 'UPSTREAM_FORBIDDEN'],
      [404, 'UPSTREAM_NOT_FOUND'],
      [422, 'UPSTREAM_BAD_REQUEST'],
      [429, 'UPSTREAM_RATE_LIMITED'],
      [503, 'UPSTREAM_UNAVAILABLE'],
    ] as const) {
      open.sim.clearFaults();
      open.sim.inject({ path: '/api/iacp/v3/usage-statistics', status, body: JSON.stringify({ errors: [{ status: String(status), title: 'Failure' }] }) });
      const r = await open.query(`query($id: ID) { a: scalrAccount(id: $id) { usageStatistics(from: "${day(60)}", to: "${day(1)}") { totalCount } } b: organization { organizationId } }`, { id });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code, upstream: 'scalr', status });
      // The other root field still answers.
      expect(r.data.b.organizationId).toBe(open.orgs[0]);
    }
  });
});
