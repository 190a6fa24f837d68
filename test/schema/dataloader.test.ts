import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/** DataLoader proven by counting the simulator's calls. */
const stack = useStack();

describe('dataloader', () => {
  it('makes one call for the same page asked by two aliases and a fragment', async () => {
    const r = await stack.query(`{
      organization {
        a: invoices(first: 10) { edges { node { invoiceId } } }
        b: invoices(first: 20) { totalCount edges { node { ...F } } }
        c: invoices(first: 5, orderBy: START_DATE_DESC) { pageInfo { hasNextPage } }
      }
    }
    fragment F on Invoice { invoiceId number }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.a.edges).toHaveLength(10);
    const ids = (edges: any[]) => edges.map((e) => e.node.invoiceId);
    expect(ids(r.data.organization.b.edges).slice(0, 10)).toEqual(ids(r.data.organization.a.edges));
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
  });

  it('runs the calls of 5 organizations concurrently, one per list', async () => {
    stack.sim.inject({ latencyMs: 250 });
    const r = await stack.query(
      `query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId
        invoices(first: 5) { totalCount } consumptions(first: 5) { totalCount } discounts(first: 5) { totalCount } } }`,
      { ids: stack.orgs },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.organizations.map((o: any) => o.invoices.totalCount)).toEqual([540, 260, 37, 0, 120]);
    expect(stack.sim.log).toHaveLength(15);
    // All 15 lists were in flight at once: nothing waited for another organization.
    expect(stack.sim.peakInFlight).toBe(15);
  });

  it('batches nodes(ids:) and shares pages with connections', async () => {
    const org = stack.orgs[0]!;
    const list = await stack.query(`{ organization { invoices(first: 3) { edges { node { id invoiceId } } } discounts(first: 3) { edges { node { id discountId } } } } }`);
    const invoiceIds = list.data.organization.invoices.edges.map((e: any) => e.node.id);
    const discountIds = list.data.organization.discounts.edges.map((e: any) => e.node.id);
    stack.sim.resetLog();
    const r = await stack.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id __typename ... on Invoice { invoiceId } ... on Discount { discountId } ... on Organization { organizationId } } }`, {
      // The first invoice twice: de-duplicated to one call.
      ids: [...invoiceIds, invoiceIds[0], ...discountIds, Buffer.from(`Organization:${org}`).toString('base64')],
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.nodes.map((n: any) => n.id)).toEqual([...invoiceIds, invoiceIds[0], ...discountIds, Buffer.from(`Organization:${org}`).toString('base64')]);
    // Three invoice gets, and one walk of the discount list (34 rows: one page) for three discounts.
    expect(stack.sim.calls('/billing/v2beta1/invoices/')).toHaveLength(3);
    expect(stack.sim.calls('/billing/v2beta1/discounts')).toHaveLength(1);
    expect(stack.sim.log).toHaveLength(4);
  });

  it('round-trips node(id:) for every Node type', async () => {
    const list = await stack.query(`{ organization { id organizationId invoices(first: 1) { edges { node { id invoiceId } } } discounts(first: 1) { edges { node { id discountId } } } } }`);
    const o = list.data.organization;
    for (const [id, field, value] of [
      [o.id, 'organizationId', o.organizationId],
      [o.invoices.edges[0].node.id, 'invoiceId', o.invoices.edges[0].node.invoiceId],
      [o.discounts.edges[0].node.id, 'discountId', o.discounts.edges[0].node.discountId],
    ]) {
      const r = await stack.query(`query($id: ID!) { node(id: $id) { id ... on Organization { organizationId } ... on Invoice { invoiceId } ... on Discount { discountId } } }`, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data.node).toEqual({ id, [field]: value });
    }
  });

  it('does not serve an invoice under another organization', async () => {
    const foreign = stack.sim.data.invoices.get(stack.orgs[1]!)![0]!.id;
    const forged = Buffer.from(`Invoice:${stack.orgs[0]}/${foreign}`).toString('base64');
    const r = await stack.query(`query($id: ID!) { node(id: $id) { id } }`, { id: forged });
    expect(r.data.node).toBeNull();
    expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
