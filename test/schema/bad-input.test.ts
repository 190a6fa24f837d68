import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../helpers/stack.js';

/** Every bad argument is refused with BAD_USER_INPUT (or NOT_FOUND) before any upstream call. */
let stack: Stack;
let org: string;
let cursor: string;
beforeAll(async () => {
  stack = await startStack();
  org = stack.orgs[0]!;
  const r = await stack.query(`query($org: UUID!) { organization(id: $org) { invoices(first: 2) { pageInfo { endCursor } } } }`, { org });
  cursor = r.data.organization.invoices.pageInfo.endCursor;
});
afterAll(() => stack.close());
beforeEach(() => stack.sim.resetLog());

const tamper = (c: string) => {
  const raw = Buffer.from(c, 'base64url').toString();
  return Buffer.from(raw.replace(/^o2:(\d+)/, (_m, n) => `o2:${Number(n) + 1}`)).toString('base64url');
};

describe('bad input', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['first < 0', `invoices(first: -1) { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['first > 500', `invoices(first: 501) { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['last > 500', `invoices(last: 1000) { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['first with last', `invoices(first: 1, last: 1) { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['garbage cursor', `invoices(first: 1, after: "not-a-cursor") { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['empty-looking cursor', `invoices(first: 1, before: "b2sx") { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['window ends before it starts', `invoices(startedAfter: "2026-05-01T00:00:00Z", startedBefore: "2026-04-01T00:00:00Z") { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['UNKNOWN as a filter', `invoices(invoiceType: UNKNOWN) { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['billing period not YYYY-MM', `consumptions(billingPeriod: "2026-13") { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['billing period as a date', `consumptions(billingPeriod: "2026-07-01") { totalCount }`, {}, 'BAD_USER_INPUT'],
    ['discounts first < 0', `discounts(first: -5) { totalCount }`, {}, 'BAD_USER_INPUT'],
  ];

  it.each(cases)('%s → %s… is refused without an upstream call', async (_name, field, vars, code) => {
    const r = await stack.query(`query($org: UUID!) { organization(id: $org) { ${field} } }`, { org, ...vars });
    expect(r.errors?.[0]?.extensions?.code).toBe(code);
    expect(r.errors?.[0]?.message).toBeTruthy();
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a tampered cursor', async () => {
    const r = await stack.query(`query($org: UUID!, $c: String) { organization(id: $org) { invoices(first: 1, after: $c) { totalCount } } }`, {
      org,
      c: tamper(cursor),
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a cursor from another query (other filter, other connection, other organization)', async () => {
    const replays = [
      `invoices(first: 1, after: $c, invoiceType: PURCHASE) { totalCount }`,
      `invoices(first: 1, after: $c, orderBy: DUE_DATE_ASC) { totalCount }`,
      `discounts(first: 1, after: $c) { totalCount }`,
    ];
    for (const field of replays) {
      const r = await stack.query(`query($org: UUID!, $c: String) { organization(id: $org) { ${field} } }`, { org, c: cursor });
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const other = await stack.query(`query($org: UUID!, $c: String) { organization(id: $org) { invoices(first: 1, after: $c) { totalCount } } }`, {
      org: stack.orgs[1],
      c: cursor,
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a malformed UUID at validation', async () => {
    const r = await stack.query(`{ organization(id: "not-a-uuid") { organizationId } }`);
    expect(r.errors?.[0]?.message).toMatch(/UUID/);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses an organization this gateway does not serve', async () => {
    const r = await stack.query(`{ organization(id: "11111111-2222-4333-8444-555555555555") { invoices { totalCount } } }`);
    expect(r.data?.organization).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('answers the good organizations of a list and errors on the others', async () => {
    const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId } }`, {
      ids: [org, '11111111-2222-4333-8444-555555555555'],
    });
    expect(r.data.organizations).toEqual([{ organizationId: org }, null]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0]?.path).toEqual(['organizations', 1]);
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
