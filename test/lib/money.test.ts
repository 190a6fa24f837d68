import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { decimalFromUnitsNanos, decimalText, formatDecimal, formatUnitsNanos, sumByCurrency, unitsNanosFromDecimal } from '../../src/lib/money.js';

describe('money', () => {
  it.each([
    [12n, 340_000_000n, '12.34'],
    [-360n, -820_000_000n, '-360.82'],
    [0n, -1n, '-0.000000001'],
    [0n, 1n, '0.000000001'],
    [-1n, -750_000_000n, '-1.75'],
    [9_007_199_254_740_993n, 999_999_999n, '9007199254740993.999999999'],
    [0n, 0n, '0'],
  ])('builds units %s + nanos %s exactly as %s', (units, nanos, text) => {
    const amount = decimalFromUnitsNanos(units, nanos);
    expect(formatDecimal(amount)).toBe(text);
    expect(unitsNanosFromDecimal(amount)).toEqual({ units, nanos });
  });

  it.each([
    [12, 340_000_000, '12.34'],
    [-360, -820_000_000, '-360.82'],
    [0, -1, '-0.000000001'],
    [0, 0, '0'],
    [9_007_199_254_740_991, 999_999_999, '9007199254740991.999999999'],
    [7, 500_000_000, '7.5'],
    [-7, 0, '-7'],
    [0, 10, '0.00000001'],
  ])('formats units %s and nanos %s as %s without a Decimal', (units, nanos, text) => {
    expect(formatUnitsNanos(units, nanos)).toBe(text);
    expect(formatUnitsNanos(units, nanos)).toBe(formatDecimal(decimalFromUnitsNanos(BigInt(units), BigInt(nanos))));
  });

  it('refuses nanos out of range or of the wrong sign', () => {
    expect(() => decimalFromUnitsNanos(1n, 1_000_000_000n)).toThrow(RangeError);
    expect(() => decimalFromUnitsNanos(1n, -5n)).toThrow(RangeError);
    expect(() => decimalFromUnitsNanos(-1n, 5n)).toThrow(RangeError);
  });

  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    const [sum] = sumByCurrency([
      { amount: decimalFromUnitsNanos(0n, 100_000_000n), currency: 'EUR' },
      { amount: decimalFromUnitsNanos(0n, 200_000_000n), currency: 'EUR' },
    ]);
    expect(formatDecimal(sum!.amount)).toBe('0.3');
  });

  it('keeps every nano in sums of large amounts', () => {
    const big = decimalFromUnitsNanos(900_000_000_000_000n, 999_999_999n);
    const [sum] = sumByCurrency([big, big, big].map((amount) => ({ amount, currency: 'EUR' })));
    expect(formatDecimal(sum!.amount)).toBe('2700000000000002.999999997');
  });

  it('never adds across currencies', () => {
    const sums = sumByCurrency([
      { amount: new Decimal('1.5'), currency: 'EUR' },
      { amount: new Decimal('2'), currency: 'USD' },
      { amount: new Decimal('-0.5'), currency: 'EUR' },
    ]);
    expect(sums.map((m) => [formatDecimal(m.amount), m.currency])).toEqual([
      ['1', 'EUR'],
      ['2', 'USD'],
    ]);
  });

  it('prints plain notation, never an exponent', () => {
    expect(formatDecimal(new Decimal('1e-9'))).toBe('0.000000001');
    expect(formatDecimal(new Decimal('1e21'))).toBe('1000000000000000000000');
  });

  it.each(['1.50', '1e-7', '-0', '0.000', '1E+3', '-3.25', '2707.07', '16295.3', '12', '-0.0', '0.10000000000000000555'])(
    'passes decimal text %s on as formatDecimal would print it',
    (text) => {
      expect(decimalText(text)).toBe(formatDecimal(new Decimal(text)));
    },
  );
});

describe('money at its edges', () => {
  it('refuses nanos of a billion or more either way, and nanos against the sign of units', () => {
    expect(() => decimalFromUnitsNanos(0n, 1_000_000_000n)).toThrow('nanos 1000000000 out of range');
    expect(() => decimalFromUnitsNanos(0n, -1_000_000_000n)).toThrow('nanos -1000000000 out of range');
    expect(() => decimalFromUnitsNanos(1n, -1n)).toThrow('units 1 and nanos -1 have opposite signs');
    expect(() => decimalFromUnitsNanos(-1n, 1n)).toThrow(RangeError);
    expect(formatDecimal(decimalFromUnitsNanos(5n, 0n))).toBe('5');
    expect(formatDecimal(decimalFromUnitsNanos(-5n, 0n))).toBe('-5');
    expect(formatDecimal(decimalFromUnitsNanos(0n, -999_999_999n))).toBe('-0.999999999');
  });

  it('writes minus zero as zero', () => {
    expect(decimalText('-0')).toBe('0');
    expect(decimalText('-0.0')).toBe('0');
  });
});

