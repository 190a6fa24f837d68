import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Shortest signing key accepted: 32 characters, 256 bits when random. */
export const MIN_KEY_LENGTH = 32;

/** A MAC as sent in cursors and links: HMAC-SHA-256 cut to 128 bits, base64url (22 characters). */
const MAC_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  mac: Buffer;
  seal: Buffer;
}

/** Two independent keys from one secret: the MAC key never doubles as an encryption key. */
function derive(secret: string): Key {
  const ikm = Buffer.from(secret);
  return {
    mac: Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'billing-graph mac', 32)),
    seal: Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'billing-graph seal', 32)),
  };
}

const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest().subarray(0, MAC_BYTES);

/** MACs of many messages that share a prefix (the cursors of one connection): the prefix is keyed once. */
export interface Signer {
  sign(data: string): string;
  verify(data: string, signature: string): boolean;
}

/**
 * The gateway's signing keys (`GATEWAY_SIGNING_KEYS`): the first signs and seals, every one is
 * accepted, so that keys rotate across replicas without breaking cursors or links already out.
 */
export class Keyring {
  private readonly keys: Key[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new RangeError('a key ring needs at least one key');
    for (const s of secrets) if (s.length < MIN_KEY_LENGTH) throw new RangeError(`signing keys must be at least ${MIN_KEY_LENGTH} characters`);
    this.keys = secrets.map(derive);
  }

  /** A key ring with one random key, for demo mode and development: nothing it signed survives a restart. */
  static random(): Keyring {
    return new Keyring([randomBytes(32).toString('base64url')]);
  }

  /**
   * A signer for messages under `prefix`: the MAC of a message is HMAC(HMAC(key, prefix), data).
   * The inner HMAC is computed once per key, so a page of 500 cursors costs 500 short HMACs.
   */
  signer(prefix: string): Signer {
    const subkeys = this.keys.map((k) => createHmac('sha256', k.mac).update(prefix).digest());
    return {
      sign: (data) => mac(subkeys[0]!, data).toString('base64url'),
      verify: (data, signature) => {
        const given = Buffer.from(signature, 'base64url');
        if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) return false;
        return subkeys.some((key) => timingSafeEqual(mac(key, data), given));
      },
    };
  }

  /**
   * Authenticated encryption (AES-256-GCM) of `plaintext`, bound to `context` (additional data):
   * the holder can neither read nor change it, nor move it to another context. The IV is an HMAC of
   * both (a synthetic IV): the same position always gives the same cursor, and an IV repeats only
   * with its very message, which reveals nothing but that equality.
   */
  seal(context: string, plaintext: string): string {
    const key = this.keys[0]!;
    const iv = createHmac('sha256', key.mac).update(`seal\n${context}\n${plaintext}`).digest().subarray(0, IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.seal, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The plaintext of a {@link seal}ed text under any key of the ring, or undefined when it is not one of ours. */
  open(context: string, sealed: string): string | undefined {
    const bytes = Buffer.from(sealed, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== sealed) return undefined;
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.seal, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // Not this key (or tampered): try the next one.
      }
    }
    return undefined;
  }
}
