import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';
import { byRule, check, MANDATORY } from './rules.js';
import { exportCsv, fieldOf, focusFields } from './read.js';

/**
 * The FOCUS rules (rules.ts) on every row the simulator produces for several periods (the closed
 * months that have charges, an older one, the current one), every organization, both grains: no
 * Mandatory failure at CONSUMPTION grain, and at CHARGE grain exactly the documented deviations.
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW, finopsPageSize: 1000 });
const PERIODS = ['2026-05', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'];

/** What docs/focus.md says each grain does not meet, rule by rule. */
const DEVIATIONS = {
  // No list or negotiated unit prices without the product catalog; and a purchase invoice is a total
  // (no quantity, unit, SKU or pricing category in the invoice list).
  CONSUMPTION: ['ContractedUnitPrice.usage', 'ListUnitPrice.usage', 'PricingCategory.usage', 'PricingQuantity.not-null-for-usage', 'SkuId.usage', 'SkuPriceId.usage'],
  // The same, and FinOps charges carry no quantity.
  CHARGE: ['ConsumedQuantity.usage', 'ContractedUnitPrice.usage', 'ListUnitPrice.usage', 'PricingQuantity.not-null-for-usage'],
};

async function every(grain: 'CONSUMPTION' | 'CHARGE') {
  const failures: ReturnType<typeof check> = [];
  let rows = 0;
  const categories = new Set<string>();
  /** The ChargeCategory of the rows each rule fails on. */
  const on: Record<string, Set<string>> = {};
  for (const org of stack.orgs) {
    for (const period of PERIODS) {
      const csv = await exportCsv(stack, `billingPeriod=${period}&grain=${grain}&organizationId=${org}`);
      expect(csv.status, `${org} ${period} ${grain}: ${csv.text.slice(0, 200)}`).toBe(200);
      const found = check(csv.columns, csv.rows);
      for (const f of found) (on[f.rule] ??= new Set()).add(csv.rows[f.row]?.ChargeCategory ?? '');
      failures.push(...found);
      rows += csv.rows.length;
      for (const r of csv.rows) categories.add(r.ChargeCategory!);
    }
  }
  return { failures, rows, categories, on };
}

describe('FOCUS conformance', () => {
  it('has rules that catch what they say (a check that cannot fail proves nothing)', async () => {
    const csv = await exportCsv(stack, 'billingPeriod=2026-09');
    const good = csv.rows.find((r) => r.ChargeCategory === 'Usage')!;
    const tax = csv.rows.find((r) => r.ChargeCategory === 'Tax')!;
    expect(check(csv.columns, [good, tax]).filter((f) => f.level === 'Mandatory')).toEqual([]);
    const broken: [Record<string, string | null>, string][] = [
      [{ ...good, BilledCost: '12' }, 'BilledCost.decimal'],
      [{ ...good, BilledCost: '+1.5' }, 'BilledCost.decimal'],
      [{ ...good, ListCost: '1,234.5' }, 'ListCost.decimal'],
      [{ ...good, EffectiveCost: '1.5e3' }, 'EffectiveCost.decimal'],
      [{ ...good, ChargePeriodEnd: '2026-09-30T23:59:59.999999Z' }, 'ChargePeriodEnd.datetime'],
      [{ ...good, ChargePeriodEnd: good.ChargePeriodStart ?? null }, 'ChargePeriodEnd.after-start'],
      [{ ...good, BillingCurrency: 'EURO' }, 'BillingCurrency.iso4217'],
      [{ ...good, ServiceCategory: 'Computing' }, 'ServiceCategory.allowed'],
      [{ ...good, ChargeCategory: 'Discount' }, 'ChargeCategory.allowed'],
      [{ ...good, PricingUnit: null }, 'PricingUnit.null-iff-PricingQuantity'],
      [{ ...good, ServiceName: null }, 'ServiceName.not-null'],
      [{ ...tax, PricingQuantity: '1.0', PricingUnit: 'Units' }, 'PricingQuantity.null-for-tax'],
      [{ ...tax, SkuId: '/x' }, 'SkuId.tax'],
    ];
    for (const [row, rule] of broken) expect(check(csv.columns, [row]).map((f) => f.rule), rule).toContain(rule);
    expect(check(csv.columns.filter((c) => c !== 'HostProviderName'), [good]).map((f) => f.rule)).toContain('HostProviderName.present');
  });

  it('has every Mandatory column as a CSV header and as a field of FocusRow, x_ columns last', async () => {
    const csv = await exportCsv(stack, 'billingPeriod=2026-11');
    expect(MANDATORY.filter((c) => !csv.columns.includes(c))).toEqual([]);
    const fields = await focusFields(stack);
    expect(MANDATORY.map(fieldOf).filter((f) => !fields.includes(f))).toEqual([]);
    // Every column is a field, and nothing else is.
    expect([...fields].sort()).toEqual(csv.columns.map(fieldOf).sort());
    const firstCustom = csv.columns.findIndex((c) => c.startsWith('x_'));
    expect(csv.columns.slice(firstCustom).every((c) => c.startsWith('x_'))).toBe(true);
    expect(csv.columns.slice(0, firstCustom).some((c) => c.startsWith('x_'))).toBe(false);
  });

  it('CONSUMPTION grain: no Mandatory failure on any row; only the documented Conditional deviations', async () => {
    const { failures, rows, categories, on } = await every('CONSUMPTION');
    expect(rows).toBeGreaterThan(1000);
    expect([...categories].sort()).toEqual(['Credit', 'Purchase', 'Tax', 'Usage']);
    // The one Mandatory failure is the documented one, on Purchase rows only.
    expect([...new Set(failures.filter((f) => f.level === 'Mandatory').map((f) => f.rule))]).toEqual(['PricingQuantity.not-null-for-usage']);
    expect(Object.keys(byRule(failures)).sort()).toEqual(DEVIATIONS.CONSUMPTION);
    for (const rule of ['PricingCategory.usage', 'PricingQuantity.not-null-for-usage', 'SkuId.usage', 'SkuPriceId.usage']) expect([...on[rule]!], rule).toEqual(['Purchase']);
    expect([...on['ListUnitPrice.usage']!].sort()).toEqual(['Purchase', 'Usage']);
  });

  it('CHARGE grain: exactly the documented deviations', async () => {
    const { failures, rows } = await every('CHARGE');
    expect(rows).toBeGreaterThan(1000);
    const counts = byRule(failures);
    expect(Object.keys(counts).sort()).toEqual(DEVIATIONS.CHARGE);
    // Each deviation is on Usage rows, every one of them.
    for (const rule of DEVIATIONS.CHARGE) expect(counts[rule], rule).toBe(rows);
  });
});
