import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

/** Amounts on the wire equal the simulator's exact decimals, digit for digit. */
const stack = useStack();

describe('money end to end', () => {
  it('serves every invoice total exactly, negatives and nanos included', async () => {
    const org = stack.orgs[0]!;
    const r = await stack.query(`query($org: UUID!) { organization(id: $org) { invoices(first: 500, orderBy: INVOICE_NUMBER_ASC) { edges { node { invoiceId
      totalUntaxed { amount currency } totalTaxed { amount currency } totalTax { amount } totalDiscount { amount } totalUndiscount { amount } } } } } }`, { org });
    expect(r.errors).toBeUndefined();
    const byId = new Map(stack.sim.data.invoices.get(org)!.map((i) => [i.id, i]));
    const edges = r.data.organization.invoices.edges;
    expect(edges).toHaveLength(500);
    let negatives = 0;
    let subCent = 0;
    for (const { node } of edges) {
      const inv = byId.get(node.invoiceId)!;
      expect(node.totalUntaxed).toEqual({ amount: inv.untaxed.toFixed(), currency: inv.currency });
      expect(node.totalTaxed).toEqual({ amount: inv.untaxed.plus(inv.tax).toFixed(), currency: inv.currency });
      expect(node.totalTax.amount).toBe(inv.tax.toFixed());
      expect(node.totalDiscount.amount).toBe(inv.discount.toFixed());
      // One invoice is served in an older shape, without total_undiscount: null, never made up.
      if (inv.noUndiscount) expect(node.totalUndiscount).toBeNull();
      else expect(node.totalUndiscount.amount).toBe(inv.untaxed.minus(inv.discount).toFixed());
      // A string with no exponent and no float noise.
      expect(node.totalTaxed.amount).toMatch(/^-?\d+(\.\d{1,9})?$/);
      if (inv.untaxed.isNegative()) negatives++;
      if (inv.untaxed.decimalPlaces() > 2) subCent++;
    }
    expect(negatives).toBeGreaterThan(0);
    expect(subCent).toBeGreaterThan(0);
  });

  it('serves discount floats as the exact text the upstream wrote', async () => {
    const org = stack.orgs[0]!;
    const r = await stack.query(`query($org: UUID!) { organization(id: $org) { discounts(first: 100) { edges { node { discountId value valueUsed valueRemaining } } } } }`, { org });
    const byId = new Map(stack.sim.data.discounts.get(org)!.map((d) => [d.id, d]));
    const values = new Set<string>();
    for (const { node } of r.data.organization.discounts.edges) {
      const d = byId.get(node.discountId)!;
      expect(node.value).toBe(new Decimal(d.value).toFixed());
      expect(node.valueUsed).toBe(new Decimal(d.valueUsed).toFixed());
      expect(node.valueRemaining).toBe(new Decimal(d.valueRemaining).toFixed());
      expect(new Decimal(node.valueUsed).plus(node.valueRemaining).toFixed()).toBe(node.value);
      values.add(node.value);
    }
    // Beyond a double's 15–17 digits, and an exponent form on the wire (1E-7).
    expect(values).toContain('12345678901234567.89');
    expect(values).toContain('0.0000001');
    expect(values).toContain('0.1');
  });

  it('sums consumption exactly per currency over all pages', async () => {
    const org = stack.orgs[0]!;
    const period = new Date().toISOString().slice(0, 7);
    stack.sim.resetLog();
    const r = await stack.query(`query($org: UUID!) { organization(id: $org) { consumptions(first: 1) { totalCount totals { amount currency } } } }`, { org });
    const rows = stack.sim.data.consumptions(org, period);
    const expected = rows.reduce((sum, c) => sum.plus(c.value), new Decimal(0));
    expect(r.data.organization.consumptions.totals).toEqual([{ amount: expected.toFixed(), currency: 'EUR' }]);
    expect(r.data.organization.consumptions.totalCount).toBe(rows.length);
    expect(rows.some((c) => c.value.isNegative())).toBe(true);
    // 230 rows: three pages, each read once.
    expect(stack.sim.log).toHaveLength(3);
  });
});
