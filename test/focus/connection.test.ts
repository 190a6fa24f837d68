import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/config/tokens.js';
import { generate } from '../../src/simulator/data.js';
import { GATEWAY_TOKEN_ACME } from '../helpers/secrets.js';
import { type Stack, startStack, useStack } from '../helpers/stack.js';

/** `Organization.focusRows` over the real stack: upstream calls counted, bad input refused before any, scoped, costed, paged. */
const NOW = new Date('2026-12-02T10:00:00Z');
const seeded = generate(42, NOW);
const ACME = seeded.organizations[0]!.id;
const GLOBEX = seeded.organizations[1]!.id;
const stack = useStack({ now: NOW });
/** The rows of a month's purchase invoices and credit notes: one each, and one more for a non-zero tax. */
const otherInvoiceRows = (org: string, period: string) =>
  seeded.invoices
    .get(org)!
    .filter((i) => i.type !== 'periodic' && i.billingPeriod.startsWith(period))
    .reduce((n, i) => n + (i.tax.isZero() ? 1 : 2), 0);
const EDGES = `query($p: BillingPeriod!) { organization { focusRows(billingPeriod: $p, first: 500) { edges { node { chargeCategory billedCost } } } } }`;
const codes = (r: any) => (r.errors ?? []).map((e: any) => e.extensions?.code);
const ROWS = `query($p: BillingPeriod!, $g: FocusGrain, $first: Int, $after: String, $last: Int, $before: String) {
  organization { focusRows(billingPeriod: $p, grain: $g, first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { chargeCategory billedCost skuId subAccountId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;

describe('Organization.focusRows', () => {
  it('reads a CONSUMPTION page with three calls: the period’s invoice list (every type), its consumption page, its taxes', async () => {
    const r = await stack.query(ROWS, { p: '2026-11', first: 5 });
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.focusRows.edges).toHaveLength(5);
    expect(stack.sim.log.map((c) => c.path).sort()).toEqual(['/billing/v2beta1/consumptions', '/billing/v2beta1/invoices', '/billing/v2beta1/taxes']);
    const invoices = stack.sim.calls('/billing/v2beta1/invoices')[0]!.query;
    expect(Object.fromEntries(invoices)).toMatchObject({ billing_period_start_before: '2026-12-01T00:00:00.000Z', page_size: '100' });
    // Purchases and credit notes too: no type filter.
    expect(invoices.has('invoice_type')).toBe(false);
  });

  it('pages CONSUMPTION grain both ways: the tax, discount and other invoices’ rows come last', async () => {
    const all = await stack.query(ROWS, { p: '2026-09', first: 500 });
    const rows = all.data.organization.focusRows.edges.map((e: any) => e.node);
    expect(all.data.organization.focusRows.totalCount).toBe(rows.length);
    const others = otherInvoiceRows(ACME, '2026-09');
    expect(others).toBeGreaterThan(2);
    expect(rows.slice(-others - 2, -others).map((r: any) => r.chargeCategory)).toEqual(['Tax', 'Credit']);
    expect(rows.slice(-others).every((r: any) => ['Purchase', 'Credit', 'Tax'].includes(r.chargeCategory))).toBe(true);
    const last = await stack.query(ROWS, { p: '2026-09', last: 3 });
    expect(last.data.organization.focusRows.edges.map((e: any) => e.node)).toEqual(rows.slice(-3));
    const back = await stack.query(ROWS, { p: '2026-09', last: 2, before: last.data.organization.focusRows.pageInfo.startCursor });
    expect(back.data.organization.focusRows.edges.map((e: any) => e.node)).toEqual(rows.slice(-5, -3));
  });

  it('puts the tax and discount rows on a page of their own after a consumption list of whole pages', async () => {
    const line = (i: number) => ({ value: { currency_code: 'EUR', units: 1, nanos: 0 }, product_name: 'PRO2-XXS', resource_name: 'PRO2-XXS - FR-PAR-2', sku: `/compute/pro2_xxs/run_fr-par-2#${i}`, project_id: seeded.organizations[0]!.projects[0]!.id, category_name: 'Compute', unit: 'minute', billed_quantity: '60' });
    const page = (rows: unknown[]) => JSON.stringify({ consumptions: rows, total_count: 100, updated_at: '2026-10-02T06:00:00Z' });
    const json = { 'content-type': 'application/json' };
    stack.sim.inject({ path: '/billing/v2beta1/consumptions', query: { page: '1' }, status: 200, headers: json, body: page(Array.from({ length: 100 }, (_, i) => line(i))), times: 1 });
    stack.sim.inject({ path: '/billing/v2beta1/consumptions', query: { page: '2' }, status: 200, headers: json, body: page([]), times: 1 });
    const r = await stack.query(ROWS, { p: '2026-09', first: 500 });
    expect(r.errors).toBeUndefined();
    const c = r.data.organization.focusRows;
    const others = otherInvoiceRows(ACME, '2026-09');
    expect(c.totalCount).toBe(102 + others);
    expect(c.edges.slice(98, 102).map((e: any) => e.node.chargeCategory)).toEqual(['Usage', 'Usage', 'Tax', 'Credit']);
  });

  it('pages CHARGE grain forward by FinOps tokens, with no total', async () => {
    const whole: any[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await stack.query(ROWS, { p: '2026-11', g: 'CHARGE', first: 130, after });
      expect(r.errors).toBeUndefined();
      const c = r.data.organization.focusRows;
      expect(c.totalCount).toBeNull();
      whole.push(...c.edges.map((e: any) => e.node));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    const acme = seeded.charges.get(ACME)!.filter((c) => c.startDate.startsWith('2026-11') && c.endDate.startsWith('2026-11'));
    expect(whole).toHaveLength(acme.length);
    expect(whole.every((r) => r.chargeCategory === 'Usage')).toBe(true);
  });

  it('refuses bad input with a stable code before any upstream call', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ p: '2027-01' }, 'billingPeriod'],
      [{ p: '2026-13' }, ''],
      [{ p: '2026-11', after: 'not-a-cursor' }, 'after'],
      [{ p: '2026-11', g: 'CHARGE', after: 'not-a-cursor' }, 'after'],
      [{ p: '2026-11', g: 'CHARGE', last: 5 }, 'last'],
      [{ p: '2026-11', first: 501 }, 'first'],
    ];
    for (const [variables, argument] of cases) {
      const r = await stack.query(ROWS, variables);
      expect(codes(r), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      if (argument) expect(r.errors![0]!.extensions!.argument).toBe(argument);
    }
    // A cursor of another grain or period is not this connection's.
    const consumption = await stack.query(ROWS, { p: '2026-11', first: 1 });
    const charge = await stack.query(ROWS, { p: '2026-11', g: 'CHARGE', first: 1 });
    stack.sim.resetLog();
    const foreign = [
      { p: '2026-10', after: consumption.data.organization.focusRows.pageInfo.endCursor },
      { p: '2026-11', g: 'CHARGE', after: consumption.data.organization.focusRows.pageInfo.endCursor },
      { p: '2026-10', g: 'CHARGE', after: charge.data.organization.focusRows.pageInfo.endCursor },
    ];
    for (const variables of foreign) expect(codes(await stack.query(ROWS, variables)), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('is costed like any connection: first counts toward MAX_TOTAL_FIRST before any call', async () => {
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: focusRows(billingPeriod: "2026-11", first: 500) { edges { node { billedCost } } }`).join(' ');
    const r = await stack.query(`{ organization { ${aliases} } }`);
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('fails its own field with the upstream’s typed error', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/taxes', status: 503, times: 1 });
    const r = await stack.query(`{ organization { focusRows(billingPeriod: "2026-11", first: 3) { edges { node { billedCost } } } invoices(first: 1) { totalCount } } }`);
    expect(codes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(r.errors![0]!.path!.slice(0, 2)).toEqual(['organization', 'focusRows']);
    expect(r.errors![0]!.extensions!.upstream).toBe('scaleway');
  });

  it('refuses a short taxes page with UPSTREAM_BAD_RESPONSE, never a month without its Tax row (the CSV’s checks)', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/taxes', status: 200, headers: { 'content-type': 'application/json' }, body: '{"taxes":[],"total_count":1}', times: 1 });
    const r = await stack.query(EDGES, { p: '2026-11' });
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(r.errors![0]!.path!.slice(0, 2)).toEqual(['organization', 'focusRows']);
  });

  it('refuses a long taxes page with UPSTREAM_BAD_RESPONSE', async () => {
    const tax = { description: 'VAT 20%', currency: 'EUR', rate: 0.2, total_tax_value: 1 };
    stack.sim.inject({ path: '/billing/v2beta1/taxes', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taxes: [tax, tax], total_count: 1 }), times: 1 });
    const r = await stack.query(EDGES, { p: '2026-11' });
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
  });

  it('costs CHARGE grain like a report: 7 aliases of first: 1 are QUERY_TOO_COSTLY, with no upstream call', async () => {
    const aliases = Array.from({ length: 7 }, (_, i) => `a${i}: focusRows(billingPeriod: "2026-11", grain: CHARGE, first: 1) { edges { node { billedCost } } }`).join(' ');
    const r = await stack.query(`{ organization { ${aliases} } }`);
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(stack.sim.log).toHaveLength(0);
    // One alone passes.
    const one = await stack.query(`{ organization { focusRows(billingPeriod: "2026-11", grain: CHARGE, first: 1) { edges { node { billedCost } } } } }`);
    expect(one.errors).toBeUndefined();
  });

  it('refuses a month of more than 100 listed invoices with a coded error, never a cut list', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/invoices', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoices: [], total_count: 101 }), times: 1 });
    const r = await stack.query(EDGES, { p: '2026-11' });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0]!.message).toMatch(/more than 100 invoices/);
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
  });

  it('answers BAD_USER_INPUT on Billing API v2alpha1, which has no taxes or past periods', async () => {
    const alpha = await startStack({ now: NOW, version: 'v2alpha1' });
    try {
      const r = await alpha.query(ROWS, { p: '2026-12', first: 1 });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      // No argument is wrong: the gateway's configuration is.
      expect(r.errors![0]!.extensions!.argument).toBeUndefined();
      // The CSV route alike.
      const csv = await alpha.yoga.fetch('http://gateway.test/export/focus.csv?billingPeriod=2026-11');
      expect(csv.status).toBe(400);
      expect((await csv.json()).error).toEqual({ code: 'BAD_USER_INPUT', message: expect.stringContaining('v2beta1') });
      expect(alpha.sim.log).toHaveLength(0);
    } finally {
      await alpha.close();
    }
  });
});

describe('Organization.focusRows: scope', () => {
  let scoped: Stack;
  beforeAll(async () => {
    scoped = await startStack({ now: NOW, auth: { mode: 'tokens', tokens: [{ name: 'acme', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [ACME], scalrAccounts: [], arbitraryOperations: false }] } });
  });
  afterAll(() => scoped.close());

  it('answers NOT_FOUND for an organization that is not the caller’s, with no upstream call', async () => {
    const headers = { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` };
    const other = await scoped.query(`query($o: UUID) { organization(id: $o) { focusRows(billingPeriod: "2026-11") { edges { node { billedCost } } } } }`, { o: GLOBEX }, headers);
    expect(codes(other)).toEqual(['NOT_FOUND']);
    expect(scoped.sim.log).toHaveLength(0);
    const mine = await scoped.query(`{ organization { focusRows(billingPeriod: "2026-11", first: 1) { edges { node { billingAccountId } } } } }`, {}, headers);
    expect(mine.data.organization.focusRows.edges[0].node.billingAccountId).toBe(ACME);
  });
});

describe('the GraphiQL tab of FOCUS rows', () => {
  it('runs with the variables GraphiQL opens it with', async () => {
    const { examples } = await import('../../src/http/graphiql.js');
    const tab = examples.find((e) => e.query.includes('query FocusRows'))!;
    // The tab's variables are of the day the gateway starts: a gateway on today's clock.
    const today = await startStack();
    try {
      const r = await today.query(tab.query, JSON.parse(tab.variables));
      expect(r.errors).toBeUndefined();
      expect(r.data.organization.focusRows.edges.length).toBeGreaterThan(0);
    } finally {
      await today.close();
    }
  });
});
