import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW, Redactor } from '../../src/lib/redact.js';

/** Redaction: whole secrets for answers; whole, pieces and dashless UUIDs for logs. */
const KEY = '6f1c2d3e-9a4b-4c5d-8e7f-0a1b2c3d4e5f';
const TOKEN = 'tok_Abc123Def456Ghi789';

describe('Redactor', () => {
  it('cuts whole secrets in any letter case, and nothing else, for answers', () => {
    const r = new Redactor([KEY, TOKEN]);
    expect(r.redact(`key ${KEY.toUpperCase()} and ${TOKEN.toLowerCase()}!`)).toBe('key [redacted] and [redacted]!');
    // A piece is left as it is: pieces a caller writes must not be told apart.
    expect(r.redact(`part ${KEY.slice(0, 20)}`)).toBe(`part ${KEY.slice(0, 20)}`);
    expect(r.redact('nothing here at all')).toBe('nothing here at all');
    expect(r.empty).toBe(false);
  });

  it('cuts any 12 characters of a secret in a row, and a UUID key without dashes, for logs', () => {
    expect(ECHO_WINDOW).toBe(12);
    const r = new Redactor([KEY], { partial: true });
    expect(r.redact(`cut ${KEY.slice(3, 3 + ECHO_WINDOW)} here`)).toBe('cut [redacted] here');
    expect(r.redact(`short ${KEY.slice(3, 3 + ECHO_WINDOW - 1)} stays`)).toBe(`short ${KEY.slice(3, 14)} stays`);
    expect(r.redact(`x${KEY.replaceAll('-', '').toUpperCase()}y`)).toBe('x[redacted]y');
    expect(r.redact(`${KEY}${KEY}`)).toBe('[redacted]');
    expect(r.redact(`a ${KEY} b ${KEY.slice(10, 30)} c`)).toBe('a [redacted] b [redacted] c');
  });

  it('cuts a secret no longer than a window whole, and ignores strings too short to be one', () => {
    const r = new Redactor(['short-secret', 'tiny', undefined, ''], { partial: true });
    expect(r.redact('a SHORT-SECRET b short-secre c')).toBe('a [redacted] b short-secre c');
    expect(r.redact('tiny things')).toBe('tiny things');
    expect(new Redactor(['tiny', undefined]).empty).toBe(true);
    expect(new Redactor(['tiny']).redact('tiny')).toBe('tiny');
  });

  it('cuts the longest secret first when one holds another', () => {
    const r = new Redactor(['secret-one', 'secret-one-two']);
    expect(r.redact('secret-one-two!')).toBe('[redacted]!');
  });

  it('keeps text of other scripts as it is around what it cuts', () => {
    const r = new Redactor([TOKEN]);
    expect(r.redact(`Ünïcödé ${TOKEN} İ`)).toBe('Ünïcödé [redacted] İ');
  });

  it('redacts every string of a JSON-like value, keys too, and leaves other values', () => {
    const r = new Redactor([TOKEN]);
    const value = { a: TOKEN, b: [1, `x${TOKEN}`, null], [TOKEN]: true, c: { d: TOKEN }, e: new Date(0) };
    expect(r.redactValue(value)).toEqual({ a: '[redacted]', b: [1, 'x[redacted]', null], '[redacted]': true, c: { d: '[redacted]' }, e: new Date(0) });
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { k: TOKEN });
    expect(r.redactValue(bare)).toEqual({ k: '[redacted]' });
    expect(new Redactor([]).redactValue(value)).toBe(value);
  });

  it('cuts a secret of 8 characters, the shortest there is, whole in both kinds', () => {
    expect(new Redactor(['12345678']).redact('a 12345678 b')).toBe('a [redacted] b');
    expect(new Redactor(['123456789'], { partial: true }).redact('a 123456789 b 12345678')).toBe('a [redacted] b 12345678');
  });

  it('cuts a UUID key without its dashes in answers too, and no other secret without its dashes', () => {
    const r = new Redactor([KEY, `zz${KEY}`, `${KEY}zz`, 'abc-def-ghi-jkl']);
    expect(r.redact(`a ${KEY.replaceAll('-', '')} b`)).toBe('a [redacted] b');
    expect(r.redact('abcdefghijkl')).toBe('abcdefghijkl');
    expect(r.redact('zz6f1c2d3e9a4b4c5d8e7f0a1b2c3d4e5fzz')).toBe('zz[redacted]zz');
  });

  it('makes one mark of overlapping echoes, and one per echo apart', () => {
    const r = new Redactor(['aaaa-bbbb-cccc', 'cccc-dddd-eeee']);
    expect(r.redact('aaaa-bbbb-cccc-dddd-eeee!')).toBe('[redacted]!');
    expect(r.redact('aaaa-bbbb-ccccXcccc-dddd-eeee')).toBe('[redacted]X[redacted]');
    expect(r.redact('aaaa-bbbb-cccccccc-dddd-eeee')).toBe('[redacted]');
  });
});
