import { describe, expect, it } from 'vitest';
import { JsonNumber, type JsonValue, parseJsonExact, parseJsonExactKeys, topLevelExact } from '../../src/lib/json.js';

/** A parsed value with its numbers as JS numbers, to compare with JSON.parse. */
const plain = (v: JsonValue): unknown =>
  v instanceof JsonNumber ? Number(v.text) : Array.isArray(v) ? v.map(plain) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;

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

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '"\u0001"', '{"a":1} x', 'nul', '-', '1.', '1e', '"a\\"', '{"a"}', '[1,]', '{,}'])('rejects malformed %j, as JSON.parse does', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(() => parseJsonExact(text)).toThrow(SyntaxError);
  });

  it.each([
    ['"abc', /unterminated string at position 4/],
    ['"a\\nb', /unterminated string at position 5/],
    ['"a\\n\u0001"', /control character in string at position 4/],
    ['{"a" 1}', /expected ':' at position 5/],
    ['{"a":1 "b":2}', /expected ',' or '}' at position 7/],
    ['{"a":1 x', /expected ',' or '}' at position 7/],
    ['{1:2}', /expected a key at position 1/],
    ['[1 2]', /expected ',' or ']' at position 3/],
    ['[1 x', /expected ',' or ']' at position 3/],
    ['nul', /unexpected token at position 0/],
    ['[tru]', /unexpected token at position 1/],
    ['-', /unexpected token at position 0/],
    ['{"a":1} x', /unexpected trailing data at position 8/],
  ])('says what is wrong in %j, and where', (text, message) => {
    expect(() => parseJsonExact(text)).toThrow(message);
  });

  it('reads every valid shape as JSON.parse does: whitespace, empty containers, numbers of every form', () => {
    for (const text of [
      ' \t\r\n{ \t\r\n"a" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{} \t\r\n] \t\r\n} \t\r\n',
      '{}',
      '[]',
      '[{}, [], {"a": {}}]',
      '[1e5, 1E+10, 2e-12, -0.5e3, 0, -0, 10, 1.25]',
      '"a b\\n c"',
      '[true, false, null, "x"]',
    ]) {
      expect(plain(parseJsonExact(text)), text).toEqual(JSON.parse(text));
    }
    expect((parseJsonExact('[1e10, 1E+22]') as JsonNumber[]).map((n) => n.text)).toEqual(['1e10', '1E+22']);
  });

  it('gives "__proto__" the own, writable, enumerable, configurable property JSON.parse gives', () => {
    const text = '{"__proto__": 1}';
    const ours = parseJsonExact(text) as Record<string, unknown>;
    expect({ ...Object.getOwnPropertyDescriptor(ours, '__proto__'), value: 1 }).toEqual(Object.getOwnPropertyDescriptor(JSON.parse(text), '__proto__'));
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

  it('refuses absurd nesting instead of overflowing the stack, in arrays and objects alike', () => {
    expect(() => parseJsonExact('['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/too deep/);
    // 257 levels (depths 0 to 256) are read; one more is refused.
    expect(parseJsonExact('['.repeat(257) + ']'.repeat(257))).toEqual(JSON.parse('['.repeat(257) + ']'.repeat(257)));
    expect(() => parseJsonExact('['.repeat(258) + ']'.repeat(258))).toThrow(/nesting too deep/);
    const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    expect(plain(parseJsonExact(objects(256)))).toEqual(JSON.parse(objects(256)));
    expect(() => parseJsonExact(objects(257))).toThrow(/nesting too deep/);
  });

  it('takes the native path only for one top-level number per key, and gives its exact text', () => {
    const fast = (text: string, keys = ['total']) => topLevelExact(text, keys) as Record<string, unknown> | undefined;
    expect(fast('{"rows":[{"v":0.1}],"total":12345678901234567.89}')).toEqual({ rows: [{ v: 0.1 }], total: new JsonNumber('12345678901234567.89') });
    for (const n of ['1e5', '-0.5', '1.5E+3', '2e-7', '0']) expect(fast(`{"total" \t: \n${n}}`)?.total, n).toEqual(new JsonNumber(n));
    expect(fast('{"a":1,"b":2.5}', ['b', 'a'])).toEqual({ a: new JsonNumber('1'), b: new JsonNumber('2.5') });
    expect(fast('{"a":1}')).toEqual({ a: 1 });
    // Not the simple case: a key twice (even when the first is the top-level one), a key whose value
    // is no number, a text that is not an object, or a number too far from its key.
    expect(fast('{"total":0.1,"rows":[{"total":2}]}')).toBeUndefined();
    expect(fast('{"rows":[{"total":0.1}],"total":0.3}')).toBeUndefined();
    expect(fast('{"total":"1.5"}')).toBeUndefined();
    expect(fast('{"total":null}')).toBeUndefined();
    expect(fast('[{"total":1}]')).toBeUndefined();
    expect(fast('null')).toBeUndefined();
    expect(fast('1', [])).toBeUndefined();
    // The number is looked for within 400 characters after its key.
    expect(fast(`{"total":${' '.repeat(398)}1}`)?.total).toEqual(new JsonNumber('1'));
    expect(fast(`{"total":${' '.repeat(399)}1}`)).toBeUndefined();
    // The one occurrence of the key's text is inside another key: the number read there is not the total.
    expect(fast('{"x\\"total":1,"tot\\u0061l":2}')).toBeUndefined();
    expect(parseJsonExactKeys('{"total":0.1,"rows":[{"total":2}]}', ['total'])).toEqual({ total: new JsonNumber('0.1'), rows: [{ total: new JsonNumber('2') }] });
  });
});
