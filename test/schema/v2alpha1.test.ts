import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/** SCW_BILLING_API_VERSION=v2alpha1: the same graph over the previous API version. */
const stack = useStack({ version: 'v2alpha1' });

describe('Billing API v2alpha1', () => {
  it('serves invoices, consumption and discounts through the same graph', async () => {
    const r = await stack.query(`{ organization {
      invoices(first: 3, orderBy: START_DATE_DESC) { totalCount edges { node { invoiceId invoiceType totalTaxed { amount currency } state } } }
      consumptions(first: 2) { totalCount updatedAt edges { node { productName categoryName value { amount } } } }
      discounts(first: 2, orderBy: CREATION_DATE_ASC) { totalCount edges { node { value filters { type } } } }
    } }`);
    expect(r.errors).toBeUndefined();
    const org = r.data.organization;
    expect(org.invoices.totalCount).toBe(540);
    expect(org.invoices.edges[0].node.state).toBeNull();
    expect(org.consumptions.totalCount).toBe(230);
    expect(org.discounts.totalCount).toBe(34);
    expect(stack.sim.log.every((c) => c.path.startsWith('/billing/v2alpha1/'))).toBe(true);
  });

  it('reads v2alpha1 consumption once for all the pages a query needs', async () => {
    const r = await stack.query(`{ organization { consumptions(first: 250) { edges { node { sku } } } } }`);
    expect(r.data.organization.consumptions.edges).toHaveLength(230);
    // Page 1 first (for the total), then pages 2 and 3, each emulated over a whole upstream answer:
    // v2alpha1 has no paging, so this costs one call per emulated page (documented in the README).
    expect(stack.sim.calls('/billing/v2alpha1/consumption')).toHaveLength(3);
  });

  it('refuses what v2alpha1 cannot express, without a call', async () => {
    for (const field of [
      `invoices(invoiceType: CREDIT_NOTE) { totalCount }`,
      `consumptions(billingPeriod: "2020-01") { totalCount }`,
      `discounts(orderBy: STOP_DATE_ASC) { totalCount }`,
    ]) {
      const r = await stack.query(`{ organization { ${field} } }`);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(stack.sim.log).toHaveLength(0);
  });

  it('finds an invoice by global id without a get endpoint', async () => {
    const list = await stack.query(`{ organization { invoices(first: 1, after: null, orderBy: DUE_DATE_ASC) { edges { node { id invoiceId } } } } }`);
    const { id, invoiceId } = list.data.organization.invoices.edges[0].node;
    const r = await stack.query(`query($id: ID!) { node(id: $id) { ... on Invoice { invoiceId } } }`, { id });
    expect(r.data.node).toEqual({ invoiceId });
  });
});
