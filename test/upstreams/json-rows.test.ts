import { describe, expect, it } from 'vitest';
import { RowSplitter } from '../../src/upstreams/json-rows.js';

/** Splits `text` fed in chunks of `size` bytes: the rows and the rest, as JSON.parse of the whole would give them. */
function split(text: string, size: number, array = 'charges') {
  const rows: unknown[] = [];
  const splitter = new RowSplitter(array, (row) => rows.push(JSON.parse(row)));
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) splitter.feed(bytes.subarray(i, i + size));
  return { rows, rest: splitter.end() };
}

describe('RowSplitter', () => {
  const doc = {
    total: 3,
    charges: [
      { id: 'a', name: 'brace } and bracket ] in a "string"', nested: { deep: [1, { x: '[{' }] } },
      { id: 'b', unicode: 'é€😀', escaped: 'quote \\" and backslash \\\\' },
      { id: 'c', list: [[], {}] },
    ],
    next_page_token: 'tok"en',
    charges_before: ['not', 'split'],
  };
  const text = JSON.stringify(doc, null, 1);

  it('gives every element and the rest, as a whole parse would, whatever the chunks', () => {
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const { rows, rest } = split(text, size);
      expect(rows, `chunks of ${size}`).toEqual(doc.charges);
      expect(rest).toEqual({ ...doc, charges: [] });
    }
  });

  it('takes an empty array, and one at the end or the start', () => {
    expect(split('{"charges":[]}', 3)).toEqual({ rows: [], rest: { charges: [] } });
    expect(split('{"charges":[{"a":1}],"t":"x"}', 5)).toEqual({ rows: [{ a: 1 }], rest: { charges: [], t: 'x' } });
    expect(split('{"t":{"charges":[1]},"charges":[ {"a":1} , {"b":2} ]}', 4)).toEqual({ rows: [{ a: 1 }, { b: 2 }], rest: { t: { charges: [1] }, charges: [] } });
  });

  it('refuses what a whole parse would refuse, or what it cannot split', () => {
    const refused = (t: string) => expect(() => split(t, 4), t).toThrow(SyntaxError);
    refused('{"charges":[{"a":1},{"b":2}');
    refused('{"charges":[{"a":1}],"t":"x"');
    refused('{"charges":[{"a":}]}');
    refused('{"charges":[1,2]}');
    refused('{"charges":["x"]}');
    refused('{"charges":[{"a":1}],"charges":[{"b":2}]}');
    refused('{"ch\\u0061rges":[{"a":1}]}');
    refused('{"t":1}');
    refused('[{"charges":[]}]');
    refused('{"charges":[{"a":1}]}}');
    refused('{"charges":[{"a":"\\xff"}]}');
    // Bounded: one row of 2 MB, or 300 kB around the array.
    refused(`{"charges":[{"a":"${'x'.repeat(2 * 1024 * 1024)}"}]}`);
    refused(`{"t":"${'x'.repeat(300 * 1024)}","charges":[]}`);
    expect(() => {
      const s = new RowSplitter('charges', () => {});
      s.feed(new Uint8Array([0x7b, 0x22, 0x63, 0x68, 0x61, 0x72, 0x67, 0x65, 0x73, 0x22, 0x3a, 0x5b, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x5d, 0x7d]));
    }).toThrow();
  });
});
