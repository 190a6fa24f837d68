import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/** Reports refuse bad input before any upstream call, are scoped like every field, and are bounded. */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW, finopsPageSize: 50, limits: { maxUpstreamCalls: 20 } });

async function refused(query: string, variables: Record<string, unknown> = {}) {
  stack.sim.resetLog();
  const res = await stack.query(query, variables);
  expect(stack.sim.log, query).toHaveLength(0);
  expect(res.errors?.length, query).toBeGreaterThan(0);
  return res.errors![0]!;
}

const charge = (args: string) => `{ organization { chargeReport(${args}) { rowCount } } }`;
const consumption = (args: string) => `{ organization { consumptionReport(${args}) { rowCount } } }`;
const usage = (args: string) => `{ scalrAccount { usageReport(${args}) { totalRunsCount } } }`;

describe('reports refuse bad input with BAD_USER_INPUT naming the argument, and no upstream call', () => {
  const cases: [string, string][] = [
    [charge('from: "2026-11-02T00:00:00Z", to: "2026-11-02T00:00:00Z"'), 'to'],
    [charge('from: "2026-11-03T00:00:00Z", to: "2026-11-02T00:00:00Z"'), 'to'],
    [charge('from: "2025-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z"'), 'to'],
    [charge('from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", groupBy: [PROJECT, SKU, RESOURCE]'), 'groupBy'],
    [charge('from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", groupBy: [SKU, SKU]'), 'groupBy'],
    [charge('from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", filter: { skus: [] }'), 'filter.skus'],
    [charge('from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", filter: { resourceNames: [""] }'), 'filter.resourceNames'],
    [consumption('fromPeriod: "2026-05", toPeriod: "2026-04"'), 'toPeriod'],
    [consumption('fromPeriod: "2024-01", toPeriod: "2026-01"'), 'toPeriod'],
    [consumption('fromPeriod: "2026-01", toPeriod: "2026-02", granularity: DAY'), 'granularity'],
    [consumption('fromPeriod: "2026-01", toPeriod: "2026-02", granularity: WEEK'), 'granularity'],
    [consumption('fromPeriod: "2026-01", toPeriod: "2026-02", groupBy: [SKU, PROJECT, CATEGORY]'), 'groupBy'],
    [consumption('fromPeriod: "2026-01", toPeriod: "2026-02", filter: { categories: [] }'), 'filter.categories'],
    [usage('from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z"'), 'to'],
    [usage('from: "2026-11-01T06:00:00Z", to: "2026-11-02T00:00:00Z"'), 'from'],
    [usage('from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:01Z"'), 'to'],
    [usage('from: "2025-01-01T00:00:00Z", to: "2026-11-02T00:00:00Z"'), 'to'],
    [usage('from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z", groupBy: [ENVIRONMENT, WORKSPACE]'), 'groupBy'],
    [usage('from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z", groupBy: [WORKSPACE, WORKSPACE]'), 'groupBy'],
  ];
  for (const [query, argument] of cases) {
    it(`${query.slice(15, 60)}… → ${argument}`, async () => {
      const error = await refused(query);
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    });
  }

  it('refuses a billing period that is not a month', async () => {
    for (const period of ['2026-13', '2026-1', '26-01', '2026-01-01', '']) {
      const error = await refused(`query($p: BillingPeriod!) { organization { consumptionReport(fromPeriod: $p, toPeriod: "2026-02") { rowCount } } }`, { p: period });
      expect(error.extensions?.code, period).toBe('BAD_USER_INPUT');
    }
  });
});

describe('reports are scoped and bounded', () => {
  it('answers NOT_FOUND for an organization the caller may not read, before any call', async () => {
    const error = await refused(`{ organization(id: "00000000-0000-4000-8000-000000000000") { chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z") { rowCount } } }`);
    expect(error.extensions?.code).toBe('NOT_FOUND');
  });

  it('counts each report against the cost limit', async () => {
    const seven = Array.from({ length: 7 }, (_, i) => `r${i}: chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-11-0${i + 2}T00:00:00Z") { rowCount }`).join(' ');
    const error = await refused(`{ organization { ${seven} } }`);
    expect(error.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('fails with QUERY_TOO_COSTLY, never a shortened total, when the pages exceed the request’s upstream calls', async () => {
    stack.sim.resetLog();
    // A year of charges: 8 sub-windows, each walking several pages of the small test page size.
    const res = await stack.query(`{ organization { chargeReport(from: "2025-12-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { totals { amount } } } }`, {}, {});
    expect(res.data.organization).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', variable: 'MAX_UPSTREAM_CALLS' });
    expect(stack.sim.log.length).toBeLessThanOrEqual(20);
  });

  it('refuses a groups cursor of another report', async () => {
    const q = (to: string, after?: string) =>
      stack.query(`query($a: String) { organization { chargeReport(from: "2026-11-01T00:00:00Z", to: "${to}", groupBy: [PROJECT]) { groups(first: 1, after: $a) { edges { cursor node { keys { id } } } } } } }`, { a: after });
    const first = await q('2026-11-05T00:00:00Z');
    const cursor = first.data.organization.chargeReport.groups.edges[0].cursor;
    const next = await q('2026-11-05T00:00:00Z', cursor);
    expect(next.errors).toBeUndefined();
    expect(next.data.organization.chargeReport.groups.edges[0].node.keys[0].id).not.toBe(first.data.organization.chargeReport.groups.edges[0].node.keys[0].id);
    const error = await refused(`query($a: String) { organization { chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-11-06T00:00:00Z", groupBy: [PROJECT]) { groups(first: 1, after: $a) { totalCount } } } }`, { a: cursor });
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('report windows are exact', () => {
  it('refuses sub-millisecond digits rather than cutting them, as a literal and as a variable', async () => {
    const literal = await refused(charge('from: "2026-11-10T10:30:00.000123Z", to: "2026-11-12T00:00:00Z"'));
    expect(literal.message).toMatch(/millisecond/);
    const variable = await refused(`query($f: DateTime!) { organization { chargeReport(from: $f, to: "2026-11-12T00:00:00Z") { rowCount } } }`, { f: '2026-11-10T10:30:00.000123Z' });
    expect(variable.extensions?.code).toBe('BAD_USER_INPUT');
    // Zeros past the millisecond change nothing: accepted.
    const res = await stack.query(charge('from: "2026-11-10T10:30:00.000000Z", to: "2026-11-12T00:00:00Z"'));
    expect(res.errors).toBeUndefined();
  });
});

describe('reports share one allowance of memory per request', () => {
  const small = useStack({ now: NOW, finopsPageSize: 1000, reportBounds: { groups: 1000, cells: 60 } });
  const report = (alias: string, to: string) => `${alias}: chargeReport(from: "2026-11-01T00:00:00Z", to: "${to}", granularity: DAY, groupBy: [PROJECT]) { rowCount }`;

  it('counts two reports of one request together, and aliases of one report once', async () => {
    // About 5 projects × 7 days: one report fits in 60 cells…
    const one = await small.query(`{ organization { ${report('a', '2026-11-08T00:00:00Z')} } }`);
    expect(one.errors).toBeUndefined();
    // …six aliases of it share its sums…
    const aliases = await small.query(`{ organization { ${['a', 'b', 'c', 'd', 'e', 'f'].map((x) => report(x, '2026-11-08T00:00:00Z')).join(' ')} } }`);
    expect(aliases.errors).toBeUndefined();
    // …but two different reports of the request hold their cells together.
    const two = await small.query(`{ organization { ${report('a', '2026-11-08T00:00:00Z')} ${report('b', '2026-11-09T00:00:00Z')} } }`);
    expect(two.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: 60 });
  });

  it('counts the reports of a batch (one HTTP request) together too', async () => {
    const body = JSON.stringify([8, 9].map((day) => ({ query: `{ organization { ${report('a', `2026-11-0${day}T00:00:00Z`)} } }` })));
    const res = await small.yoga.fetch('http://gateway.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body });
    const results = (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] }[];
    // Read at once, both pass their half: either may be the one refused, or both.
    const codes = results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['QUERY_TOO_COSTLY']));
  });
});
