import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/** With list totals remembered across requests, a window fetches all its pages at once, and stays exact when the list changed. */
const stack = useStack({ hints: true, latencyMs: 20 });
const Q = `query($f: Int, $l: Int) { organization { invoices(first: $f, last: $l, orderBy: INVOICE_NUMBER_ASC) { totalCount edges { node { invoiceId } } } } }`;

describe('total hints', () => {
  it('reads the first page alone once, then every page of a window at once', async () => {
    // Calls held long enough that a busy test machine cannot finish one before the next arrives.
    stack.sim.inject({ path: '/billing/v2beta1/invoices', latencyMs: 250 });
    const cold = await stack.query(Q, { f: 500 });
    expect(cold.data.organization.invoices.edges).toHaveLength(500);
    expect(stack.sim.log).toHaveLength(5);
    // Cold: page 1 alone (it tells the total), then pages 2–5 together.
    expect(stack.sim.peakInFlight).toBe(4);
    stack.sim.resetLog();
    const warm = await stack.query(Q, { f: 500 });
    expect(warm.data).toEqual(cold.data);
    expect(stack.sim.log).toHaveLength(5);
    expect(stack.sim.peakInFlight).toBe(5);
  });

  it('reads only the last page for `last` once the total is known', async () => {
    const r = await stack.query(Q, { l: 10 });
    expect(r.data.organization.invoices.edges).toHaveLength(10);
    expect(stack.sim.log.map((c) => c.query.get('page'))).toEqual(['6']);
  });

  it('stays exact when the list changed since the hint', async () => {
    const org = stack.orgs[0]!;
    const invoices = stack.sim.data.invoices.get(org)!;
    const removed = invoices.splice(0, 100);
    try {
      const r = await stack.query(Q, { f: 500 });
      expect(r.data.organization.invoices.totalCount).toBe(440);
      expect(r.data.organization.invoices.edges).toHaveLength(440);
      // The hint (540) planned a fifth page that now holds 40 rows: nothing skipped, nothing repeated.
      expect(new Set(r.data.organization.invoices.edges.map((e: any) => e.node.invoiceId)).size).toBe(440);
    } finally {
      invoices.unshift(...removed);
    }
  });
});
