import { describe, expect, it } from 'vitest';
import { Keyring } from '../../src/lib/keys.js';
import { decodeOffsetCursor, decodeTokenCursor, offsetCursor, offsetSigner, tokenContext, tokenCursor } from '../../src/pagination/cursor.js';
import { KEYS } from './fixtures.js';

/** Cursors: opaque, unforgeable, bound to their connection and arguments. */
describe('offset cursors', () => {
  const signer = offsetSigner(KEYS, 'A.list', { f: 1 });

  it('round-trip every offset, and only through the same connection and arguments', () => {
    for (const offset of [0, 1, 9, 10, 999_999_999]) expect(decodeOffsetCursor(signer, offsetCursor(signer, offset), 'after')).toBe(offset);
    const cursor = offsetCursor(signer, 5);
    for (const other of [offsetSigner(KEYS, 'B.list', { f: 1 }), offsetSigner(KEYS, 'A.list', { f: 2 }), offsetSigner(new Keyring(['another-key-of-32-characters-at-least']), 'A.list', { f: 1 })]) {
      expect(() => decodeOffsetCursor(other, cursor, 'after')).toThrow(/not a cursor of this connection/);
    }
  });

  it('refuse any other spelling of a cursor (padding, spaces, standard base64): a cursor is one exact text', () => {
    const cursor = offsetCursor(signer, 5);
    for (const spelling of [`${cursor}=`, `${cursor}==`, ` ${cursor}`, `${cursor} `, `${cursor}\n`, Buffer.from(cursor, 'base64url').toString('base64')]) {
      if (spelling === cursor) continue;
      expect(() => decodeOffsetCursor(signer, spelling, 'after'), JSON.stringify(spelling)).toThrow(/not a cursor of this connection/);
    }
  });

  it('verify with any key of the ring (rotation), sign with the first', () => {
    const old = new Keyring(['old-key-of-32-characters-at-least-0']);
    const rotated = new Keyring(['new-key-of-32-characters-at-least-0', 'old-key-of-32-characters-at-least-0']);
    const before = offsetCursor(offsetSigner(old, 'A', {}), 3);
    expect(decodeOffsetCursor(offsetSigner(rotated, 'A', {}), before, 'after')).toBe(3);
    expect(() => decodeOffsetCursor(offsetSigner(old, 'A', {}), offsetCursor(offsetSigner(rotated, 'A', {}), 3), 'after')).toThrow();
  });

  it.each([
    ['garbage', 'garbage'],
    ['empty', ''],
    ['a negative offset', Buffer.from('o2:-1:AAAAAAAAAAAAAAAAAAAAAA').toString('base64url')],
    ['a leading zero', Buffer.from(`o2:05:${offsetCursor(signer, 5).slice(-2)}`).toString('base64url')],
    ['ten digits', Buffer.from('o2:1234567890:AAAAAAAAAAAAAAAAAAAAAA').toString('base64url')],
    ['the old format', Buffer.from('o1:5:AAAAAAAAAAAAAAAA').toString('base64url')],
    ['something before', Buffer.from(`x${Buffer.from(offsetCursor(signer, 5), 'base64url').toString()}`).toString('base64url')],
    ['something after', Buffer.from(`${Buffer.from(offsetCursor(signer, 5), 'base64url').toString()}x`).toString('base64url')],
  ])('refuse %s, naming the argument', (_name, cursor) => {
    expect(() => decodeOffsetCursor(signer, cursor, 'before')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'before' } }));
  });

  it('refuse an offset whose MAC was made for another offset', () => {
    const [, , mac] = Buffer.from(offsetCursor(signer, 5), 'base64url').toString().split(':');
    expect(() => decodeOffsetCursor(signer, Buffer.from(`o2:6:${mac}`).toString('base64url'), 'after')).toThrow();
  });
});

describe('token cursors', () => {
  const context = tokenContext('A.charges', { q: 1 });

  it('round-trip stream positions and resume points of the order', () => {
    const streams = { streams: [{ token: 'tok', skip: 3 }, { skip: 0 }] };
    expect(decodeTokenCursor(KEYS, context, 2, tokenCursor(KEYS, context, streams))).toEqual(streams);
    const after = { after: { order: -1234567890123n, ties: ['a', 'b'] } };
    expect(decodeTokenCursor(KEYS, context, 2, tokenCursor(KEYS, context, after))).toEqual(after);
    const both = { streams: [{ token: 'tok', skip: 3 }, { skip: 0 }], served: { order: 7n, ties: ['a', 'a'] } };
    expect(decodeTokenCursor(KEYS, context, 2, tokenCursor(KEYS, context, both))).toEqual(both);
  });

  it('hide what they hold, and are the same for the same position', () => {
    const cursor = tokenCursor(KEYS, context, { streams: [{ token: 'visible-token', skip: 7 }] });
    expect(cursor.startsWith('t2.')).toBe(true);
    expect(Buffer.from(cursor.slice(3), 'base64url').toString('latin1')).not.toContain('visible-token');
    expect(tokenCursor(KEYS, context, { streams: [{ token: 'visible-token', skip: 7 }] })).toBe(cursor);
    expect(tokenCursor(KEYS, context, { streams: [{ token: 'visible-token', skip: 8 }] })).not.toBe(cursor);
  });

  it('refuse another connection’s, another stream count’s, a changed or a forged one', () => {
    const cursor = tokenCursor(KEYS, context, { streams: [{ skip: 1 }] });
    const bytes = Buffer.from(cursor.slice(3), 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    for (const [ctx, streams, c] of [
      [tokenContext('A.charges', { q: 2 }), 1, cursor],
      [context, 2, cursor],
      [context, 1, `t2.${bytes.toString('base64url')}`],
      [context, 1, cursor.slice(0, -4)],
      [context, 1, `t1.${cursor.slice(3)}`],
      [context, 1, 't2.'],
      [context, 1, 'garbage'],
    ] as const) {
      expect(() => decodeTokenCursor(KEYS, ctx, streams, c)).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'after' } }));
    }
  });

  it('refuse a sealed body of the wrong shape (one sealed by us, but not a resume point)', () => {
    const seal = (body: unknown) => `t2.${KEYS.seal(context, JSON.stringify(body))}`;
    for (const body of [
      ['s', [['tok', -1]]],
      ['s', [['tok']]],
      ['s', [['tok', 1, 2]]],
      ['s', [{ 0: null, 1: 5, length: 2 }]],
      ['s', [[5, 1]]],
      ['s', [[null, 1.5]]],
      ['s', 'x'],
      ['x', [[null, 0]]],
      ['a', 'x', []],
      ['a', 1, []],
      ['a', 'x1', []],
      ['a', '1x', []],
      ['a', '1', [3]],
      ['a', '1', ['x', 3]],
      ['a', '1', 'xy'],
      ['b', '1', []],
      ['a', '1', [], 'more'],
      ['s', [[null, 0]], '5'],
      ['s', [[null, 0]], 'x', []],
      ['s', [[null, 0]], '5', [1]],
      ['s', [[null, 0]], '5', [], []],
      ['z'],
      {},
    ]) {
      expect(() => decodeTokenCursor(KEYS, context, 1, seal(body)), JSON.stringify(body)).toThrow(/not a cursor/);
    }
    expect(() => decodeTokenCursor(KEYS, context, 2, seal(['s', [[null, 0], [null, -1]]]))).toThrow(/not a cursor/);
    expect(decodeTokenCursor(KEYS, context, 1, seal(['s', [[null, 0]]]))).toEqual({ streams: [{ skip: 0 }] });
    expect(decodeTokenCursor(KEYS, context, 1, seal(['a', '5', []]))).toEqual({ after: { order: 5n, ties: [] } });
    expect(decodeTokenCursor(KEYS, context, 1, seal(['a', '-5', ['t']]))).toEqual({ after: { order: -5n, ties: ['t'] } });
    expect(decodeTokenCursor(KEYS, context, 1, seal(['s', [[null, 0]], '5', ['t']]))).toEqual({ streams: [{ skip: 0 }], served: { order: 5n, ties: ['t'] } });
  });
});
