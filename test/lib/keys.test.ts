import { createCipheriv, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, MIN_KEY_LENGTH } from '../../src/lib/keys.js';

/** The signing keys: MACs and sealed text that only the ring makes and opens. */
const A = 'a'.repeat(MIN_KEY_LENGTH);
const B = `b${'c'.repeat(40)}`;

describe('Keyring', () => {
  it('refuses no key, and keys shorter than 32 characters', () => {
    expect(MIN_KEY_LENGTH).toBe(32);
    expect(() => new Keyring([])).toThrow(/at least one key/);
    expect(() => new Keyring(['x'.repeat(31)])).toThrow(/at least 32/);
    expect(() => new Keyring([A, 'short'])).toThrow(RangeError);
    expect(() => new Keyring([A])).not.toThrow();
  });

  it('signs 128 bits as 22 base64url characters, checks them under any key of the ring, per prefix', () => {
    const signer = new Keyring([A]).signer('p');
    const mac = signer.sign('data');
    expect(mac).toMatch(/^[\w-]{22}$/);
    expect(signer.verify('data', mac)).toBe(true);
    expect(signer.verify('datb', mac)).toBe(false);
    expect(new Keyring([A]).signer('q').verify('data', mac)).toBe(false);
    expect(new Keyring([B, A]).signer('p').verify('data', mac)).toBe(true);
    expect(new Keyring([B]).signer('p').verify('data', mac)).toBe(false);
    // The first key signs.
    expect(new Keyring([B, A]).signer('p').sign('data')).toBe(new Keyring([B]).signer('p').sign('data'));
    expect(new Keyring([B, A]).signer('p').sign('data')).not.toBe(mac);
  });

  it('refuses a MAC of another length, or not in canonical base64url', () => {
    const signer = new Keyring([A]).signer('p');
    const mac = signer.sign('data');
    expect(signer.verify('data', mac.slice(0, -1))).toBe(false);
    expect(signer.verify('data', `${mac}A`)).toBe(false);
    expect(signer.verify('data', `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(signer.verify('data', `${mac}=`)).toBe(false);
    expect(signer.verify('data', '')).toBe(false);
  });

  it('seals text bound to a context, opened under any key of the ring, and nothing else opens', () => {
    const ring = new Keyring([A]);
    const sealed = ring.seal('ctx', 'secret words');
    expect(sealed).toMatch(/^[\w-]+$/);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('secret');
    expect(ring.open('ctx', sealed)).toBe('secret words');
    expect(ring.open('other', sealed)).toBeUndefined();
    expect(new Keyring([B, A]).open('ctx', sealed)).toBe('secret words');
    expect(new Keyring([B]).open('ctx', sealed)).toBeUndefined();
    // The same text in the same context seals the same (a synthetic IV); another text or context otherwise.
    expect(ring.seal('ctx', 'secret words')).toBe(sealed);
    expect(ring.seal('ctx', 'secret wordz')).not.toBe(sealed);
    expect(ring.seal('ctx2', 'secret words')).not.toBe(sealed);
    expect(ring.open('ctx', ring.seal('ctx', ''))).toBe('');
  });

  it('opens nothing changed, cut or padded', () => {
    const ring = new Keyring([A]);
    const sealed = ring.seal('ctx', 'words');
    const bytes = Buffer.from(sealed, 'base64url');
    for (const i of [0, 11, 12, bytes.length - 17, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[i]! ^= 1;
      expect(ring.open('ctx', changed.toString('base64url')), `byte ${i}`).toBeUndefined();
    }
    expect(ring.open('ctx', sealed.slice(0, 30))).toBeUndefined();
    expect(ring.open('ctx', `${sealed}==`)).toBeUndefined();
    expect(ring.open('ctx', '')).toBeUndefined();
    expect(ring.open('ctx', 'A'.repeat(38))).toBeUndefined();
  });

  it('makes a random key ring whose cursors another random ring cannot open', () => {
    const one = Keyring.random();
    const two = Keyring.random();
    expect(two.open('c', one.seal('c', 'x'))).toBeUndefined();
    expect(one.open('c', one.seal('c', 'x'))).toBe('x');
  });

  it('derives its keys as documented, so that every version and replica reads what another signed', () => {
    // Known answers computed here from the documented construction (HKDF-SHA-256, no salt, info
    // "billing-graph mac" / "billing-graph seal"): a change of derivation would void every cursor
    // and link already out during a rolling deploy.
    const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(A), Buffer.alloc(0), info, 32));
    const macKey = hkdf('billing-graph mac');
    const subkey = createHmac('sha256', macKey).update('p').digest();
    const expected = createHmac('sha256', subkey).update('data').digest().subarray(0, 16).toString('base64url');
    const ring = new Keyring([A]);
    expect(ring.signer('p').sign('data')).toBe(expected);
    const iv = createHmac('sha256', macKey).update('seal\nctx\nwords').digest().subarray(0, 12);
    const cipher = createCipheriv('aes-256-gcm', hkdf('billing-graph seal'), iv);
    cipher.setAAD(Buffer.from('ctx'));
    const sealed = Buffer.concat([iv, cipher.update('words'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
    expect(ring.seal('ctx', 'words')).toBe(sealed);
  });

  it('draws a fresh IV for every other text or context (an IV never repeats under one key with another message)', () => {
    const ring = new Keyring([A]);
    const ivs = ['a', 'b', ''].flatMap((text) => ['c1', 'c2'].map((ctx) => Buffer.from(ring.seal(ctx, text), 'base64url').subarray(0, 12).toString('hex')));
    expect(new Set(ivs).size).toBe(6);
  });

  it('opens non-ASCII contexts and texts', () => {
    const ring = new Keyring([A]);
    expect(ring.open('é', ring.seal('é', 'ü 日本'))).toBe('ü 日本');
    expect(ring.open('e', ring.seal('é', 'x'))).toBeUndefined();
  });
});
