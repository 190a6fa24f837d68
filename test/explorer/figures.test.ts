import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { fromNanos, remainder, runRate, scale, share, toNanos } from '../../explorer/src/decimal.js';
import { money, moneyRounded, percent } from '../../explorer/src/format.js';
import { monthToDate, presetWindow, twelveMonths } from '../../explorer/src/windows.js';

/** The cost explorer's figures: exact decimals in nanos, amounts formatted from their strings, the windows it asks for. */
describe('explorer decimal', () => {
  it('reads and writes the graph’s decimals exactly, to the nano', () => {
    for (const text of ['0', '-360.82', '0.000000001', '-0.000000001', '12345678901234567.891234567', '81.584901552']) {
      expect(fromNanos(toNanos(text))).toBe(text);
    }
    expect(toNanos('1.5')).toBe(1_500_000_000n);
    expect(fromNanos(toNanos('1.50'))).toBe('1.5');
    for (const bad of ['1e-7', '1.0000000001', '', '.5', '1,5', ' 1']) expect(() => toNanos(bad), bad).toThrow();
  });

  it('adds 0.1 and 0.2 to 0.3, and takes groups from a total exactly', () => {
    expect(remainder('0', ['-0.1', '-0.2'])).toBe('0.3');
    expect(remainder('100', ['33.333333333', '33.333333333', '33.333333333'])).toBe('0.000000001');
    expect(remainder('12345678901234567.89', ['0.09'])).toBe(new Decimal('12345678901234567.89').minus('0.09').toFixed());
  });

  it('extrapolates the run rate to the nano, half away from zero', () => {
    // 10 over 1 day of a 31-day month.
    expect(runRate('10', 86_400_000, 31 * 86_400_000)).toBe('310');
    // 1 nano over 2 of 3 parts: 1.5 nanos, rounded away from zero, either sign.
    expect(fromNanos(scale(1n, 3n, 2n))).toBe('0.000000002');
    expect(fromNanos(scale(-1n, 3n, 2n))).toBe('-0.000000002');
    const amount = '81.584901552';
    const span = 1.625 * 86_400_000;
    const month = 31 * 86_400_000;
    expect(runRate(amount, span, month)).toBe(new Decimal(amount).times(month).div(span).toDecimalPlaces(9, Decimal.ROUND_HALF_UP).toFixed());
  });

  it('computes shares for display only, and none of a zero total', () => {
    expect(share('1', '4')).toBe(0.25);
    expect(share('1', '0')).toBeUndefined();
    expect(percent(share('1', '3'), 'en-US')).toBe('33.3%');
    expect(percent(undefined)).toBe('–');
  });
});

describe('explorer format', () => {
  it('formats the decimal string itself, every digit kept (Intl.NumberFormat takes numeric strings)', () => {
    expect(money('12345678901234567.891234567', 'EUR', 'en-US')).toBe('€12,345,678,901,234,567.891234567');
    expect(money('-360.82', 'EUR', 'en-US')).toBe('-€360.82');
    expect(money('0.000000001', 'USD', 'en-US')).toBe('$0.000000001');
    expect(money('5', 'EUR', 'en-US')).toBe('€5.00');
    expect(money('5', 'JPY', 'en-US')).toBe('¥5');
    // The float route loses digits: this is what formatting the string avoids.
    expect(new Intl.NumberFormat('en-US', { maximumFractionDigits: 9 }).format(Number('12345678901234567.891234567'))).not.toContain('891234567');
  });

  it('rounds an estimate to the currency’s minor digits', () => {
    expect(moneyRounded('1556.385', 'EUR', 'en-US')).toBe('€1,556.39');
    expect(moneyRounded('-0.005', 'EUR', 'en-US')).toBe('-€0.01');
  });
});

describe('explorer windows', () => {
  const now = new Date('2026-12-02T14:20:00Z');
  it('turns presets into UTC windows of whole days, the current month up to today', () => {
    expect(presetWindow('this-month', now)).toEqual({ from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z' });
    expect(presetWindow('last-month', now)).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' });
    expect(presetWindow('last-3-months', now)).toEqual({ from: '2026-10-01T00:00:00Z', to: '2026-12-03T00:00:00Z' });
    expect(presetWindow('last-12-months', now)).toEqual({ from: '2026-01-01T00:00:00Z', to: '2026-12-03T00:00:00Z' });
    expect(presetWindow('custom', now, { from: '2026-02-03', to: '2026-02-03' })).toEqual({ from: '2026-02-03T00:00:00Z', to: '2026-02-04T00:00:00Z' });
    expect(() => presetWindow('custom', now, { from: '2026-02-03', to: '2026-02-01' })).toThrow(/before/);
    expect(() => presetWindow('custom', now, { from: '', to: '' })).toThrow();
  });

  it('keeps twelve months within the reports’ 366 days, on any day of a leap year', () => {
    for (let d = Date.UTC(2027, 11, 1); d < Date.UTC(2029, 1, 1); d += 86_400_000) {
      const w = presetWindow('last-12-months', new Date(d + 3_600_000));
      expect((Date.parse(w.to) - Date.parse(w.from)) / 86_400_000).toBeLessThanOrEqual(366);
    }
  });

  it('compares month to date, up to today (FinOps charges come a day late), with the same span of last month, never past its end', () => {
    // 15:00 on the 2nd: the 1st is the span. Counting today's hours would compare a day of charges
    // with a day and a half of last month's, and extrapolate too little (found by an outside review).
    expect(monthToDate(now)).toEqual({
      from: '2026-12-01T00:00:00Z',
      to: '2026-12-02T00:00:00Z',
      previousFrom: '2026-11-01T00:00:00Z',
      previousTo: '2026-11-02T00:00:00Z',
      spanMs: 86_400_000,
      monthMs: 31 * 86_400_000,
    });
    // March 31st, 23:30: February has 28 days.
    const late = monthToDate(new Date('2027-03-31T23:30:00Z'));
    expect(late.previousTo).toBe('2027-03-01T00:00:00Z');
    // The 1st of a month has no whole day yet: its first day so far, not an empty window.
    expect(monthToDate(new Date('2027-03-01T09:00:00Z')).to).toBe('2027-03-02T00:00:00Z');
  });

  it('names the twelve billing periods up to the window’s last month', () => {
    expect(twelveMonths({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' })).toEqual({ fromPeriod: '2025-12', toPeriod: '2026-11' });
    expect(twelveMonths({ from: '2026-12-01T00:00:00Z', to: '2026-12-03T00:00:00Z' })).toEqual({ fromPeriod: '2026-01', toPeriod: '2026-12' });
  });
});
