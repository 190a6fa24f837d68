import { describe, expect, it } from 'vitest';
import { JsonNumber, parseJsonExact, parseJsonExactKeys } from '../../src/lib/json.js';

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

  it('reads "__proto__" as an own key, as JSON.parse does, never as the prototype', () => {
    const v = parseJsonExact('{"__proto__": {"polluted": 1}, "a": "x"}') as any;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(v.polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')!.value).toEqual({ polluted: new JsonNumber('1') });
  });

  it('reads strings with and without escapes or raw control characters exactly as JSON.parse does', () => {
    for (const text of ['"plain"', '""', '"tab\\tend"', '"q\\"uote"', '"u\\u0041"', '"é日本"']) expect(parseJsonExact(text)).toBe(JSON.parse(text));
    expect(() => parseJsonExact('"a\tb"')).toThrow(SyntaxError);
  });

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '"\u0001"', '{"a":1} x', 'nul', '-', '1.'])('rejects malformed %j', (text) => {
    expect(() => parseJsonExact(text)).toThrow(SyntaxError);
  });

  it('keeps a top-level float exact at native speed, and falls back when the key repeats', () => {
    const top = parseJsonExactKeys('{"rows":[{"v":0.1}],"total":12345678901234567.89}', ['total']) as any;
    expect(top.total).toEqual(new JsonNumber('12345678901234567.89'));
    expect(top.rows[0].v).toBe(0.1);
    const repeated = parseJsonExactKeys('{"rows":[{"total":0.1}],"total":0.30000000000000004}', ['total']) as any;
    expect(repeated.total).toEqual(new JsonNumber('0.30000000000000004'));
    expect(repeated.rows[0].total).toEqual(new JsonNumber('0.1'));
    expect(parseJsonExactKeys('{"a":1}', ['total'])).toEqual({ a: 1 });
    // The key as text inside a string is not the number.
    const inString = parseJsonExactKeys('{"d":"\\"total\\": 5","total":2.5}', ['total']) as any;
    expect(inString.total).toEqual(new JsonNumber('2.5'));
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseJsonExact('['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/too deep/);
  });
});
