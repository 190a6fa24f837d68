import { describe, expect, it } from 'vitest';
import { Exact } from '../../src/lib/money.js';
import { periodStatus, reconcile } from '../../src/reconcile/explain.js';
import { ChargeTally } from '../../src/reconcile/tally.js';
import { minorUnits, roundToSubunit, toleranceNanos } from '../../src/reconcile/tolerance.js';
import type { Charge, Invoice } from '../../src/upstreams/scaleway/model.js';

const N = 1_000_000_000n;
const money = (text: string, currency = 'EUR') => ({ amount: new Exact(text), currency, text });
const us = (iso: string) => BigInt(Date.parse(iso)) * 1000n;
const NOV = [us('2026-11-01T00:00:00Z'), us('2026-12-01T00:00:00Z')] as const;
const charge = (price: string, start = '2026-11-03T00:00:00Z', more: Partial<Charge> = {}): Charge => ({
  startDate: start,
  endDate: start.replace('T00:00:00Z', 'T23:59:59.999999Z'),
  price: money(price, more.price?.currency),
  projectId: 'p',
  sku: '/compute/a',
  ...more,
});
const tally = (...charges: Charge[]) => {
  const t = new ChargeTally(...NOV);
  for (const c of charges) t.add(c);
  return t;
};
const invoice = (more: Partial<Invoice>): Invoice => ({ id: 'i', type: 'periodic', totalUntaxed: money('10.00'), ...more });

describe('tolerance', () => {
  it('is FOCUS 1.4’s max(100 × subunit, 0.5 × √rows × subunit), as its appendix works it', () => {
    expect(toleranceNanos('EUR', 5)).toBe(1n * N);
    expect(toleranceNanos('EUR', 1_000_000)).toBe(5n * N);
    // √2 is not a decimal: rounded up to the nano.
    expect(toleranceNanos('EUR', 80_000_002)).toBe(44_721_360_110n);
    expect(toleranceNanos('JPY', 1)).toBe(100n * N);
    expect(minorUnits('BHD')).toBe(3);
    expect(toleranceNanos('BHD', 1)).toBe(N / 10n);
  });

  it('rounds half away from zero to the subunit', () => {
    expect(roundToSubunit(5_000_000n, 'EUR')).toBe(10_000_000n);
    expect(roundToSubunit(4_999_999n, 'EUR')).toBe(0n);
    expect(roundToSubunit(-5_000_000n, 'EUR')).toBe(-10_000_000n);
  });
});

describe('reconcile', () => {
  it('matches exactly, and is within tolerance by rounding alone', () => {
    expect(reconcile(invoice({ totalUndiscount: money('10.00') }), tally(charge('4'), charge('6')), false)).toMatchObject({ status: 'MATCHED', deltaNanos: 0n, explanations: [] });
    const r = reconcile(invoice({ totalUndiscount: money('10.01') }), tally(charge('4.004'), charge('6.004', undefined, { sku: '/compute/b' })), false);
    expect(r.status).toBe('WITHIN_TOLERANCE');
    expect(r.explanations).toEqual([{ kind: 'ROUNDING', nanos: -8_000_000n }, { kind: 'UNEXPLAINED', nanos: 10_000_000n }]);
  });

  it('explains the discount when only the untaxed total (after discount) is sent', () => {
    const r = reconcile(invoice({ totalUntaxed: money('7.50'), totalDiscount: money('-2.50') }), tally(charge('10')), false);
    expect(r).toMatchObject({ status: 'WITHIN_TOLERANCE', deltaNanos: -2_500_000_000n, explanations: [{ kind: 'DISCOUNT', nanos: -2_500_000_000n }] });
    // With total_undiscount the discount is not in the delta at all.
    expect(reconcile(invoice({ totalUntaxed: money('7.50'), totalDiscount: money('-2.50'), totalUndiscount: money('10') }), tally(charge('10')), false).status).toBe('MATCHED');
  });

  it('takes charges outside the billing period out, and is MISMATCHED beyond the tolerance', () => {
    const late = reconcile(invoice({ totalUndiscount: money('10') }), tally(charge('10'), charge('3', '2026-10-31T00:00:00Z')), false);
    expect(late).toMatchObject({ status: 'WITHIN_TOLERANCE', explanations: [{ kind: 'OUT_OF_PERIOD', nanos: -3n * N }] });
    const off = reconcile(invoice({ totalUndiscount: money('12') }), tally(charge('10')), false);
    expect(off).toMatchObject({ status: 'MISMATCHED', deltaNanos: 2n * N, explanations: [{ kind: 'UNEXPLAINED', nanos: 2n * N }] });
  });

  it('has no delta when charges are in another currency, and is then MISMATCHED', () => {
    const r = reconcile(invoice({ totalUndiscount: money('10') }), tally(charge('10', undefined, { price: money('10', 'USD') })), false);
    expect(r).toMatchObject({ status: 'MISMATCHED', explanations: [] });
    expect(r.deltaNanos).toBeUndefined();
  });

  it('is OPEN while the period runs, with its uninvoiced charges; NO_CHARGES without any; a credit note credits', () => {
    const open = reconcile(invoice({ totalUndiscount: money('10') }), tally(), true, new Map([['EUR', 9n * N]]));
    expect(open).toMatchObject({ status: 'OPEN', explanations: [{ kind: 'UNINVOICED_CHARGES', nanos: 9n * N }, { kind: 'UNEXPLAINED', nanos: N }] });
    expect(reconcile(invoice({ type: 'purchase' }), tally(), false).status).toBe('NO_CHARGES');
    const credit = reconcile(invoice({ type: 'credit_note', totalUntaxed: money('-5') }), tally(), false);
    expect(credit).toMatchObject({ status: 'NO_CHARGES', explanations: [{ kind: 'CREDIT_NOTE', nanos: -5n * N }] });
  });

  it('refuses an invoice without an untaxed total rather than guess', () => {
    expect(() => reconcile(invoice({ totalUntaxed: undefined }), tally(), false)).toThrow(/total_untaxed/);
  });
});

describe('periodStatus', () => {
  it('is the worst of its invoices and of its uninvoiced charges', () => {
    expect(periodStatus(true, 3, ['MISMATCHED'], new Map())).toBe('OPEN');
    expect(periodStatus(false, 0, ['NO_CHARGES'], new Map())).toBe('NO_CHARGES');
    expect(periodStatus(false, 4, ['MATCHED', 'NO_CHARGES'], new Map())).toBe('MATCHED');
    expect(periodStatus(false, 4, ['MATCHED', 'WITHIN_TOLERANCE'], new Map())).toBe('WITHIN_TOLERANCE');
    expect(periodStatus(false, 4, ['MATCHED'], new Map([['EUR', 2n * N]]))).toBe('MISMATCHED');
    expect(periodStatus(false, 4, ['MATCHED'], new Map([['EUR', N / 2n]]))).toBe('WITHIN_TOLERANCE');
  });
});

describe('reconcile, found by review', () => {
  it('gives no explanations for a delta of zero, whatever the charges outside the period', () => {
    const r = reconcile(invoice({ totalUndiscount: money('15') }), tally(charge('10'), charge('5', '2026-10-31T00:00:00Z')), false);
    expect(r).toMatchObject({ status: 'MATCHED', deltaNanos: 0n, explanations: [] });
  });

  it('takes charges outside the period out only where that narrows the gap: a tenth of a cent is within tolerance', () => {
    const r = reconcile(invoice({ totalUndiscount: money('15') }), tally(charge('9.999'), charge('5', '2026-10-31T00:00:00Z')), false);
    expect(r.status).toBe('WITHIN_TOLERANCE');
    expect(r.explanations.map((e) => e.kind)).not.toContain('OUT_OF_PERIOD');
  });

  it('is MISMATCHED on a credit note whose charges leave a gap beyond the tolerance', () => {
    const credit = reconcile(invoice({ type: 'credit_note', totalUntaxed: money('-1000') }), tally(charge('-1')), false);
    expect(credit).toMatchObject({ status: 'MISMATCHED', explanations: [{ kind: 'UNEXPLAINED', nanos: -999n * N }] });
  });

  it('reads subunits from ISO 4217, not from the runtime’s locale data', () => {
    expect(minorUnits('IQD')).toBe(3);
    expect(minorUnits('LBP')).toBe(2);
    expect(minorUnits('ISK')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('CLF')).toBe(4);
    expect(minorUnits('EUR')).toBe(2);
  });
});

describe('a charge not invoiced yet', () => {
  it('is one whose invoice_id is "", absent or the zero UUID (what Scaleway sends is unknown)', async () => {
    const { charge: unmarshal } = await import('../../src/upstreams/scaleway/unmarshal.js');
    const wire = { price: { currency_code: 'EUR', units: 1, nanos: 0 }, start_date: '2026-11-01T00:00:00Z', end_date: '2026-11-01T23:59:59.999999Z' };
    for (const invoice_id of ['', undefined, '00000000-0000-0000-0000-000000000000']) expect(unmarshal({ ...wire, invoice_id } as never, '$').invoiceId).toBeUndefined();
    expect(unmarshal({ ...wire, invoice_id: '4dea1dad-0000-4000-8000-00000000000b' } as never, '$').invoiceId).toBe('4dea1dad-0000-4000-8000-00000000000b');
  });
});
