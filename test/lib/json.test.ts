import { describe, expect, it } from 'vitest';
import { JsonNumber, parseJsonExact } from '../../src/lib/json.js';

describe('parseJsonExact', () => {
  it('keeps every number as its source text', () => {
    const v = parseJsonExact('{"a": 0.1, "b": 12345678901234567.89, "c": -1E-7, "d": [0, 2.50]}') as any;
    expect(v.a).toEqual(new JsonNumber('0.1'));
    expect(v.b.text).toBe('12345678901234567.89');
    expect(v.c.text).toBe('-1E-7');
    expect(v.d.map((n: JsonNumber) => n.text)).toEqual(['0', '2.50']);
  });

  it('parses everything else as JSON.parse does', () => {
    const text = '{"s": "a\\"b\\u00e9\\n", "t": true, "f": false, "n": null, "o": {"x": []}, "é": "ü"}';
    expect(parseJsonExact(text)).toEqual(JSON.parse(text));
  });

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '"\u0001"', '{"a":1} x', 'nul', '-', '1.'])('rejects malformed %j', (text) => {
    expect(() => parseJsonExact(text)).toThrow(SyntaxError);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseJsonExact('['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/too deep/);
  });
});
