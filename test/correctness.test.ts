import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { PASSTHROUGH_KEY, SECRET } from './helpers/secrets.js';
import { useStack } from './helpers/stack.js';

/** Smaller findings of the review: each answered right, or with the right coded error. */
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('a gateway without Scalr', () => {
  const stack = useStack({ noScalr: true });

  it('answers scalrAccount(id:) with UPSTREAM_NOT_CONFIGURED, not an internal error', async () => {
    const r = await stack.query(`{ scalrAccount(id: "acc-abc123") { accountId } }`);
    expect(codes(r)).toEqual(['UPSTREAM_NOT_CONFIGURED']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('answers node(id:) and nodes(ids:) of a Scalr account the same way: an error, not a silent null', async () => {
    const gid = Buffer.from('ScalrAccount:acc-abc123').toString('base64');
    const one = await stack.query(`{ node(id: "${gid}") { id } }`);
    expect(codes(one)).toEqual(['UPSTREAM_NOT_CONFIGURED']);
    const many = await stack.query(`{ nodes(ids: ["${gid}"]) { id } }`);
    expect(codes(many)).toEqual(['UPSTREAM_NOT_CONFIGURED']);
    // An organization not served: null with NOT_FOUND, as any node id that names nothing of the caller's.
    const org = Buffer.from('Organization:00000000-0000-4000-8000-000000000000').toString('base64');
    const none = await stack.query(`{ node(id: "${org}") { id } }`);
    expect(codes(none)).toEqual(['NOT_FOUND']);
    expect(none.data.node).toBeNull();
  });
});

describe('bad upstream data', () => {
  const stack = useStack();

  it('blames a non-UUID id on the upstream (UPSTREAM_BAD_RESPONSE), not on the caller', async () => {
    const d = { id: 'not-a-uuid', organization_id: stack.orgs[0], description: 'x', value: 1, value_used: 0, value_remaining: 1, mode: 'discount_mode_value', filters: [] };
    stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ total_count: 1, discounts: [d] }), times: 1 });
    const r = await stack.query(`{ organization { discounts(first: 5) { edges { node { discountId } } } } }`);
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(r.errors![0]!.message).toMatch(/expected a UUID/);
  });

  it('refuses a decimal with a huge exponent at once, instead of writing out its billions of digits', async () => {
    const d = { id: '8b1f7a30-0c5e-4d2b-9a11-1b2c3d4e5f60', organization_id: stack.orgs[0], description: 'x', value: 1, value_used: 0, value_remaining: 1, mode: 'discount_mode_value', filters: [] };
    const body = JSON.stringify({ total_count: 1, discounts: [d] }).replace('"value":1', '"value":1e9000000000');
    stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 200, headers: { 'content-type': 'application/json' }, body, times: 1 });
    const r = await stack.query(`{ organization { discounts(first: 5) { edges { node { value } } } } }`);
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(r.errors![0]!.message).toMatch(/exponent/);
  });

  it('refuses a decimal with more digits than exact sums can hold, instead of rounding a sum silently', async () => {
    const d = { id: '8b1f7a30-0c5e-4d2b-9a11-1b2c3d4e5f60', organization_id: stack.orgs[0], description: 'x', value: 1, value_used: 0, value_remaining: 1, mode: 'discount_mode_value', filters: [] };
    for (const huge of [`1${'0'.repeat(41)}`, `0.${'0'.repeat(60)}1`, '1e300', '1e-100']) {
      const body = JSON.stringify({ total_count: 1, discounts: [d] }).replace('"value":1', `"value":${huge}`);
      stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 200, headers: { 'content-type': 'application/json' }, body, times: 1 });
      const r = await stack.query(`{ organization { discounts(first: 5) { edges { node { value } } } } }`);
      expect(codes(r), huge).toEqual(['UPSTREAM_BAD_RESPONSE']);
      expect(r.errors![0]!.message).toMatch(/at most 40 digits before the point and 60 after/);
    }
    // The largest accepted, exactly.
    const largest = `${'9'.repeat(40)}.${'9'.repeat(59)}1`;
    const body = JSON.stringify({ total_count: 1, discounts: [d] }).replace('"value":1', `"value":${largest}`);
    stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 200, headers: { 'content-type': 'application/json' }, body, times: 1 });
    const r = await stack.query(`{ organization { discounts(first: 5) { edges { node { value } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.discounts.edges[0].node.value).toBe(largest);
  });

  it('refuses a timestamp that is no instant (February 30th, hour 24), and converts an offset to UTC to the microsecond', async () => {
    const url = `${stack.sim.url}/billing/v2beta1/invoices?organization_id=${stack.orgs[0]}&page=1&page_size=1`;
    const original = (await (await fetch(url, { headers: { 'x-auth-token': SECRET } })).json()) as { invoices: Record<string, unknown>[]; total_count: number };
    const issued = async (value: string) => {
      const body = JSON.stringify({ ...original, total_count: 1, invoices: [{ ...original.invoices[0], issued_date: value }] });
      stack.sim.inject({ path: '/billing/v2beta1/invoices', status: 200, headers: { 'content-type': 'application/json' }, body, times: 1 });
      return stack.query(`{ organization { invoices(first: 1) { edges { node { issuedDate } } } } }`);
    };
    for (const bad of ['2026-02-30T00:00:00Z', '2026-04-31T10:00:00Z', '2026-08-01T24:00:00Z', '2026-02-31T10:00:00+01:00']) {
      const r = await issued(bad);
      expect(codes(r), bad).toEqual(['UPSTREAM_BAD_RESPONSE']);
      expect(r.errors![0]!.message).toMatch(/RFC 3339/);
    }
    const r = await issued('2026-07-01T01:59:59.999999+02:00');
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.invoices.edges[0].node.issuedDate).toBe('2026-06-30T23:59:59.999999Z');
    const leap = await issued('2028-02-29T12:00:00Z');
    expect(leap.data.organization.invoices.edges[0].node.issuedDate).toBe('2028-02-29T12:00:00Z');
  });

  it('leaves decimal.js’ global settings alone, and sums exactly all the same', async () => {
    expect(Decimal.precision).toBe(20);
    const r = await stack.query(`{ organization { consumptions(first: 1) { totals { amount } } } }`);
    const rows = stack.sim.data.consumptions(stack.orgs[0]!, stack.sim.data.now.toISOString().slice(0, 7));
    const want = rows.reduce((sum, c) => sum.plus(c.value), new (Decimal.clone({ precision: 100 }))(0));
    expect(r.data.organization.consumptions.totals[0].amount).toBe(want.toFixed());
  });
});

describe('node and nodes', () => {
  const stack = useStack();

  it('resolve the same object in one query, for every type of node', async () => {
    const ids = await stack.query(`{ organization { id invoices(first: 1) { edges { node { id } } } discounts(first: 1) { edges { node { id } } } } scalrAccount { id } }`);
    const o = ids.data.organization;
    for (const id of [o.id, o.invoices.edges[0].node.id, o.discounts.edges[0].node.id, ids.data.scalrAccount.id]) {
      const r = await stack.query(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id, $id]) { id } }`, { id });
      expect(r.errors, id).toBeUndefined();
      expect(r.data).toEqual({ node: { id }, nodes: [{ id }, { id }] });
    }
  });
});

describe('Scalr without paging metadata', () => {
  const stack = useStack({ scalrPageSize: 2 });

  it('walks links.next once for all the pages a window needs, not once per page', async () => {
    const account = stack.accounts[0]!;
    const doc = (n: number, next: string | null) =>
      JSON.stringify({
        data: [0, 1].map((i) => ({ type: 'usage-statistics', id: `u${n}${i}`, attributes: { date: `2026-01-0${n * 2 + i + 1}`, 'runs-count': 1, 'runs-seconds': 1 }, relationships: { account: { data: { type: 'accounts', id: account } } } })),
        links: { next },
      });
    const headers = { 'content-type': 'application/vnd.api+json' };
    stack.sim.inject({ path: '/api/iacp/v3/usage-statistics', query: { cursor: '1' }, status: 200, headers, body: doc(1, `${stack.sim.url}/api/iacp/v3/usage-statistics?cursor=2`) });
    stack.sim.inject({ path: '/api/iacp/v3/usage-statistics', query: { cursor: '2' }, status: 200, headers, body: doc(2, null) });
    stack.sim.inject({ path: '/api/iacp/v3/usage-statistics', status: 200, headers, body: doc(0, `${stack.sim.url}/api/iacp/v3/usage-statistics?cursor=1`) });
    const r = await stack.query(`{ scalrAccount { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", first: 6) { totalCount totalRunsCount edges { node { date } } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.scalrAccount.usageStatistics.edges.map((e: any) => e.node.date)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06']);
    expect(r.data.scalrAccount.usageStatistics.totalRunsCount).toBe(6);
    // The first document, then its two links: three calls for three pages (each page used to walk again).
    expect(stack.sim.calls('/api/iacp/v3/usage-statistics')).toHaveLength(3);
    // The links' queries are parameters, not part of the route: metric labels stay the route template.
    const endpoints = new Set([...(await stack.metrics.registry.metrics()).matchAll(/endpoint="([^"]*)"/g)].map((m) => m[1]));
    expect([...endpoints].filter((e) => e!.includes('usage'))).toEqual(['/usage-statistics']);
  });
});

describe('total hints in passthrough mode', () => {
  const stack = useStack({ auth: { mode: 'passthrough', tokens: [] }, hints: true, latencyMs: 20, simulator: { scopedKeys: { [PASSTHROUGH_KEY]: [] } } });
  const Q = `{ organization { invoices(first: 500, orderBy: INVOICE_NUMBER_ASC) { edges { node { invoiceId } } } } }`;

  it('never plans one credential’s reads with what another one read', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/invoices', latencyMs: 250 });
    const own = await stack.query(Q, {}, { 'x-auth-token': SECRET });
    expect(own.data.organization.invoices.edges).toHaveLength(500);
    // A caller whose key reads nothing: with the first caller's total, it would fire 5 calls at once.
    stack.sim.resetLog();
    const other = await stack.query(Q, {}, { 'x-auth-token': PASSTHROUGH_KEY });
    expect(codes(other)).toEqual(['UPSTREAM_FORBIDDEN']);
    expect(stack.sim.log).toHaveLength(1);
  });
});
