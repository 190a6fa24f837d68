import { describe, expect, it } from 'vitest';
import { microsTimestamp, timestampMicros } from '../../src/lib/time.js';

/** Timestamps to the microsecond (a JS Date keeps milliseconds only). */
describe('time', () => {
  it.each([
    ['2026-06-30T23:59:59.999999Z', 1782863999999999n],
    ['2026-06-30T23:59:59Z', 1782863999000000n],
    ['2026-06-30T23:59:59.5Z', 1782863999500000n],
    ['2026-06-30T23:59:59.1234567Z', 1782863999123456n],
    ['2026-07-01T01:59:59.000001+02:00', 1782863999000001n],
    ['1970-01-01T00:00:00z', 0n],
  ])('reads %s exactly', (text, micros) => expect(timestampMicros(text)).toBe(micros));

  it('refuses what is not RFC 3339', () => {
    for (const bad of [
      '2026-06-30',
      '2026-06-30 23:59:59Z',
      'x2026-06-30T23:59:59Z',
      '2026-06-30T23:59:59',
      '2026-06-30T23:59:59.Z',
      '2026-06-30T23:59:59Zjunk',
      '2026-6-30T23:59:59Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-04-00T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-06-30T24:00:01Z',
      '2026-08-01T24:00:00Z',
      '2026-08-01T23:60:00Z',
      '2026-08-01T23:59:60Z',
      '2026-08-01T23:00:00+24:00',
      '2026-08-01T23:00:00+01:60',
    ]) {
      expect(() => timestampMicros(bad), bad).toThrow(`not an RFC 3339 timestamp: ${bad}`);
    }
    expect(timestampMicros('2028-02-29T00:00:00Z')).toBe(1835395200000000n);
  });

  it('writes UTC, with a fraction only when there is one', () => {
    expect(microsTimestamp(1782863999999999n)).toBe('2026-06-30T23:59:59.999999Z');
    expect(microsTimestamp(1782863999000000n)).toBe('2026-06-30T23:59:59Z');
    expect(microsTimestamp(1782863999000010n)).toBe('2026-06-30T23:59:59.000010Z');
    for (const t of ['2026-01-01T00:00:00.000001Z', '2030-12-31T23:59:59.999999Z']) expect(microsTimestamp(timestampMicros(t))).toBe(t);
  });
});
