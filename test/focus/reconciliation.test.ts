import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/lib/money.js';
import { useStack } from '../helpers/stack.js';
import { connectionRows } from './read.js';

/**
 * At CONSUMPTION grain the rows of a billing period add up to its invoices, every type (periodic,
 * purchase, credit note): Σ BilledCost per InvoiceId equals each invoice's `total_taxed` as
 * `Organization.invoices` serves it, within FOCUS
 * 1.4's rounding tolerance max(100 × subunit, 0.5 × √rows × subunit). Every closed month the
 * simulator has charges for, an older one (random consumption) and the current month (a draft).
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW });
const PERIODS = ['2026-05', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];
const SUBUNIT = new Exact('0.01');
const COLUMNS = ['InvoiceId', 'BilledCost', 'BillingCurrency', 'ChargeCategory'];

/** FOCUS 1.4's reconciliation tolerance for a sum of `rows` rows. */
const tolerance = (rows: number) => Exact.max(SUBUNIT.times(100), SUBUNIT.times(0.5).times(Math.sqrt(rows)));

describe('FOCUS rows against invoices', () => {
  it('has the tolerance of FOCUS 1.4’s examples', () => {
    expect(new Exact('0.02').lte(tolerance(5))).toBe(true);
    expect(new Exact('5.00').lte(tolerance(5))).toBe(false);
    expect(new Exact('4.50').lte(tolerance(1_000_000))).toBe(true);
    expect(new Exact('15.00').lte(tolerance(1_000_000))).toBe(false);
  });

  for (const period of PERIODS) {
    it(`sums to every invoice's total_taxed (periodic, purchase, credit note), ${period}, every organization with invoices`, async () => {
      let checked = 0;
      const kinds = new Set<string>();
      for (const org of stack.orgs) {
        const invoices = await stack.query(
          `query($o: UUID, $a: DateTime, $b: DateTime) { organization(id: $o) { invoices(first: 100, startedAfter: $a, startedBefore: $b) { totalCount edges { node { invoiceId invoiceType billingPeriod totalTaxed { amount currency } } } } } }`,
          { o: org, a: `${period}-01T00:00:00Z`, b: new Date(Date.UTC(Number(period.slice(0, 4)), Number(period.slice(5)), 1)).toISOString() },
        );
        expect(invoices.data.organization.invoices.totalCount).toBeLessThanOrEqual(100);
        const listed = invoices.data.organization.invoices.edges.map((e: any) => e.node).filter((i: any) => i.billingPeriod.startsWith(period));
        const { rows } = await connectionRows(stack, COLUMNS, { billingPeriod: period, grain: 'CONSUMPTION', organizationId: org });
        const periodic = listed.filter((i: any) => i.invoiceType === 'PERIODIC');
        expect(periodic.length).toBeLessThanOrEqual(1);
        // A row is on an invoice of the month, or on none: consumption in a currency no periodic invoice bills.
        const ids = new Set(listed.map((i: any) => i.invoiceId));
        expect(rows.filter((r) => r.InvoiceId !== null && !ids.has(r.InvoiceId))).toEqual([]);
        expect(rows.filter((r) => r.InvoiceId === null && periodic.some((i: any) => i.totalTaxed.currency === r.BillingCurrency))).toEqual([]);
        for (const invoice of listed) {
          kinds.add(invoice.invoiceType);
          const mine = rows.filter((r) => r.InvoiceId === invoice.invoiceId);
          expect(mine.length).toBeGreaterThan(0);
          expect(mine.every((r) => r.BillingCurrency === invoice.totalTaxed.currency)).toBe(true);
          if (invoice.invoiceType === 'PERIODIC') expect(mine.filter((r) => r.ChargeCategory === 'Tax')).toHaveLength(1);
          else expect(mine.filter((r) => r.ChargeCategory !== 'Tax').map((r) => r.ChargeCategory)).toEqual([invoice.invoiceType === 'PURCHASE' ? 'Purchase' : 'Credit']);
          const sum = mine.reduce((s, r) => s.plus(r.BilledCost!), new Exact(0));
          const delta = sum.minus(invoice.totalTaxed.amount).abs();
          expect(delta.lte(tolerance(mine.length)), `${org} ${period} ${invoice.invoiceType}: Σ ${sum} vs ${invoice.totalTaxed.amount} over ${mine.length} rows`).toBe(true);
          // The simulator's bills agree to the cent.
          expect(delta.toFixed()).toBe('0');
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(4);
      // Closed months have purchases and credit notes besides the periodic invoice.
      if (period === '2026-09') expect([...kinds].sort()).toEqual(['CREDIT_NOTE', 'PERIODIC', 'PURCHASE']);
    });
  }

  it('carries a Credit row for an invoice with a discount, negative, and the tax line as a Tax row', async () => {
    const { rows } = await connectionRows(stack, ['ChargeCategory', 'BilledCost', 'ServiceName', 'SubAccountId', 'PricingQuantity', 'SkuId'], { billingPeriod: '2026-09', grain: 'CONSUMPTION' });
    const credit = rows.filter((r) => r.ChargeCategory === 'Credit' && r.ServiceName === 'Discount');
    // The simulator's September invoice of the first organization has a discount (docs/reconciliation.md).
    const org = stack.sim.data.organizations[0]!.id;
    const invoice = stack.sim.data.invoices.get(org)!.find((i) => i.type === 'periodic' && i.billingPeriod.startsWith('2026-09'))!;
    expect(invoice.discount.isNegative()).toBe(true);
    expect(credit).toEqual([{ ChargeCategory: 'Credit', BilledCost: /\./.test(invoice.discount.toFixed()) ? invoice.discount.toFixed() : `${invoice.discount.toFixed()}.0`, ServiceName: 'Discount', SubAccountId: null, PricingQuantity: null, SkuId: null }]);
    // The periodic invoice's tax line, and one per purchase or credit note with a tax.
    const tax = rows.filter((r) => r.ChargeCategory === 'Tax');
    expect(tax.length).toBeGreaterThan(1);
    for (const t of tax) expect(t).toMatchObject({ ServiceName: 'Tax', SubAccountId: null, PricingQuantity: null, SkuId: null });
  });
});
