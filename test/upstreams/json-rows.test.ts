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
  });
});

describe('RowSplitter against JSON.parse of the whole', () => {
  /** Either both refuse, or the rows and the rest are what JSON.parse reads. */
  function same(text: string) {
    let whole: any;
    try {
      whole = JSON.parse(text);
    } catch {
      whole = undefined;
    }
    let streamed: { rows: unknown[]; rest: unknown } | undefined;
    try {
      streamed = split(text, 3);
    } catch (error) {
      expect(error, text).toBeInstanceOf(SyntaxError);
    }
    if (streamed) expect({ rows: streamed.rows, rest: streamed.rest }, text).toEqual({ rows: whole.charges, rest: { ...whole, charges: [] } });
    return streamed;
  }

  it('never counts rows a whole parse would not hold, nor passes separators it would refuse', () => {
    const row = '{"a":1}';
    for (const text of [
      `{"charges":[${row}],"char\\u0067es":[]}`,
      `{"char\\u0067es":[${row}],"charges":[]}`,
      `{"charges\\n":[${row}],"charges":[]}`,
      `{"c\\"harges":[${row}],"charges":[]}`,
      `{"\\\\charges":[${row}],"charges":[]}`,
      `{"\\ufeffcharges":[${row}],"charges":[]}`,
      `{"charges":[${row} ${row}]}`,
      `{"charges":[,${row}]}`,
      `{"charges":[${row},,${row}]}`,
      `{"charges":[${row},]}`,
      `{"charges":[${row}],"x":"charges","y":[1]}`,
      `{"charges":"not an array"}`,
      `{"x":{"charges":[${row}]},"charges":[${row}]}`,
    ]) same(text);
    expect(same(`{"charges":[${row}],"x":"charges","y":[1]}`)?.rows).toEqual([{ a: 1 }]);
  });

  it('decodes as body.text() does: long values with multi-byte characters, bad bytes as U+FFFD', () => {
    expect(same(`{"note":"a${'é'.repeat(200)}","charges":[{"a":"é€"}],"next_page_token":"${'x'.repeat(255)}é"}`)?.rows).toEqual([{ a: 'é€' }]);
    const splitter = new RowSplitter('charges', (t) => rows.push(JSON.parse(t)));
    const rows: unknown[] = [];
    const head = new TextEncoder().encode('{"charges":[{"a":"');
    const tail = new TextEncoder().encode('"}]}');
    splitter.feed(new Uint8Array([...head, 0xff, ...tail]));
    expect(rows).toEqual([{ a: '\ufffd' }]);
    expect(splitter.end()).toEqual({ charges: [] });
  });
});
