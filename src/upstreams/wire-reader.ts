import { Decimal } from 'decimal.js';
import { JsonNumber, type JsonValue } from '../lib/json.js';
import { type DecimalText, decimalFromUnitsNanos, decimalText, formatUnitsNanos, type Money } from '../lib/money.js';
import { dayExists, microsTimestamp, timestampMicros } from '../lib/time.js';
import { UUID } from '../lib/uuid.js';
import { UpstreamBadResponseError, type UpstreamName } from './errors.js';

/**
 * Thrown by the readers below when wire JSON is not in the documented shape. Clients catch it at
 * the boundary and rethrow it as an `UpstreamBadResponseError`: a row is parsed whole or not at all.
 */
export class WireShapeError extends Error {
  readonly path: string;

  constructor(path: string, expected: string, key?: string) {
    const at = key === undefined ? path : `${path}.${key}`;
    super(`${at}: expected ${expected}`);
    this.path = at;
  }
}

export type WireObject = { [key: string]: JsonValue };

export function object(value: JsonValue | undefined, path: string, key?: string): WireObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber) {
    throw new WireShapeError(path, 'an object', key);
  }
  return value;
}

export function array(value: JsonValue | undefined, path: string, key?: string): JsonValue[] {
  if (!Array.isArray(value)) throw new WireShapeError(path, 'an array', key);
  return value;
}

export function string(value: JsonValue | undefined, path: string, key?: string): string {
  if (typeof value !== 'string') throw new WireShapeError(path, 'a string', key);
  return value;
}

/** A string, or undefined when the key is absent or null (fields added late are optional in practice). */
export function optionalString(value: JsonValue | undefined, path: string, key?: string): string | undefined {
  return value === null || value === undefined ? undefined : string(value, path, key);
}

/**
 * A UUID, as every Scaleway id is: an id the graph serves as a `UUID` is checked here, so that bad
 * upstream data is the upstream's error (UPSTREAM_BAD_RESPONSE), not the caller's.
 */
export function uuid(value: JsonValue | undefined, path: string, key?: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new WireShapeError(path, 'a UUID', key);
  return value;
}

/** A UUID, or undefined when the key is absent, null or empty. */
export function optionalUuid(value: JsonValue | undefined, path: string, key?: string): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : uuid(value, path, key);
}

export function boolean(value: JsonValue | undefined, path: string, key?: string): boolean {
  if (typeof value !== 'boolean') throw new WireShapeError(path, 'a boolean', key);
  return value;
}

const integerText = /^-?\d+$/;

/** An integer of any size, from a JSON number or a numeric string (proto3 JSON may quote int64). */
function bigInteger(value: JsonValue | undefined, path: string, key?: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  const text = value instanceof JsonNumber ? value.text : typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !integerText.test(text)) throw new WireShapeError(path, 'an integer', key);
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new WireShapeError(path, 'a safe integer', key);
  return BigInt(text);
}

/** A JS-safe integer (counts, invoice numbers). */
export function integer(value: JsonValue | undefined, path: string, key?: string): number {
  // The common case, first: a JSON number that is a safe integer.
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  const n = bigInteger(value, path, key);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WireShapeError(path, 'a safe integer', key);
  }
  return Number(n);
}

const decimalNumber = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * An exact decimal from a JSON number's source text (see `parseJsonExact`) or a decimal string,
 * as plain-notation text. A plain JS number is accepted through its shortest round-trip text,
 * which is what was on the wire for every value of up to 15 significant digits.
 */
export function decimal(value: JsonValue | undefined, path: string, key?: string): DecimalText {
  const text = value instanceof JsonNumber ? value.text : typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !decimalNumber.test(text)) throw new WireShapeError(path, 'a decimal number', key);
  // Plain notation of 1e9000000000 is nine billion characters: no float the upstream sends (a
  // double: 1e-324 to 1e308) comes near the bound.
  const exponent = /[eE]([+-]?\d+)$/.exec(text);
  if (exponent && Math.abs(Number(exponent[1])) > MAX_EXPONENT) throw new WireShapeError(path, `a decimal number with an exponent within ±${MAX_EXPONENT}`, key);
  const plain = decimalText(text);
  const [whole, fraction = ''] = plain.replace('-', '').split('.') as [string, string?];
  if (whole.length > MAX_WHOLE_DIGITS || fraction.length > MAX_FRACTION_DIGITS) {
    throw new WireShapeError(path, `a decimal number of at most ${MAX_WHOLE_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after`, key);
  }
  return plain;
}

/** Largest decimal exponent accepted from an upstream (beyond it, even writing the number out is refused). */
const MAX_EXPONENT = 400;
/**
 * Digits accepted before and after the point: a sum of any number of such values below 10^100
 * spans at most 200 digits, the precision of exact sums (`Exact` in lib/money.ts), so no sum is ever rounded.
 * Money is far inside (int64 units, nine decimals; floats of 17 significant digits).
 */
const MAX_WHOLE_DIGITS = 40;
const MAX_FRACTION_DIGITS = 60;

export function optionalDecimal(value: JsonValue | undefined, path: string, key?: string): DecimalText | undefined {
  return value === null || value === undefined ? undefined : decimal(value, path, key);
}

// A UTC timestamp whose every part is in range: most of what upstreams send, checked without Date.
const utcInRange = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/**
 * An RFC 3339 timestamp, returned as UTC text. A `Z` timestamp is kept as sent, so the
 * microseconds Scaleway uses for period ends (`…23:59:59.999999Z`) survive; an offset is
 * converted to UTC exactly, to the microsecond. A date that does not exist (February 30th), an
 * hour 24 or any other part out of range is the upstream's error.
 */
export function timestamp(value: JsonValue | undefined, path: string, key?: string): string {
  const text = string(value, path, key);
  // Days 29 to 31 exist in some months only.
  if (utcInRange.test(text) && (text.slice(8, 10) <= '28' || dayExists(text))) return text;
  let micros: bigint;
  try {
    micros = timestampMicros(text);
  } catch {
    throw new WireShapeError(path, 'an RFC 3339 timestamp', key);
  }
  return /z$/i.test(text) ? text.toUpperCase() : microsTimestamp(micros);
}

export function optionalTimestamp(value: JsonValue | undefined, path: string, key?: string): string | undefined {
  return value === null || value === undefined ? undefined : timestamp(value, path, key);
}

/**
 * A Money checked at the boundary whose Decimal is built on first use: most rows' amounts are
 * never asked for, and building thousands of Decimals per response dominated the gateway's CPU.
 */
class WireMoney implements Money {
  private exact?: Decimal;

  constructor(
    readonly currency: string,
    private readonly units: number | bigint,
    private readonly nanos: number | bigint,
  ) {}

  get amount(): Decimal {
    return (this.exact ??= decimalFromUnitsNanos(BigInt(this.units), BigInt(this.nanos)));
  }

  get text(): string | undefined {
    return typeof this.units === 'number' && typeof this.nanos === 'number' ? formatUnitsNanos(this.units, this.nanos) : undefined;
  }

  /** The amount in nanos, from the integers as sent (sums of many amounts, no text or Decimal made). */
  inNanos(): bigint {
    return BigInt(this.units) * 1_000_000_000n + BigInt(this.nanos);
  }
}

/** ISO 4217 shape: three capital letters (by char codes: this runs for every amount of every row). */
function isCurrencyCode(text: string): boolean {
  if (text.length !== 3) return false;
  for (let i = 0; i < 3; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** `google.type.Money` → exact {@link Money}, its rules checked here. A missing `nanos` is 0. */
export function money(value: JsonValue | undefined, parent: string, key?: string): Money {
  const o = object(value, parent, key);
  const currency = o.currency_code;
  const units = o.units ?? 0;
  const nanos = o.nanos ?? 0;
  // What Scaleway sends: safe integers of the same sign, |nanos| < 10⁹. Checked without BigInt
  // or building the path, which only an error needs.
  if (
    typeof currency === 'string' &&
    isCurrencyCode(currency) &&
    typeof units === 'number' &&
    typeof nanos === 'number' &&
    Number.isSafeInteger(units) &&
    Number.isSafeInteger(nanos) &&
    nanos > -1e9 &&
    nanos < 1e9 &&
    !(units > 0 && nanos < 0) &&
    !(units < 0 && nanos > 0)
  ) {
    return new WireMoney(currency, units, nanos);
  }
  return bigMoney(o, key === undefined ? parent : `${parent}.${key}`);
}

/** The rest: integers past 2⁵³ or quoted (proto3 JSON may quote int64), and every error, precisely located. */
function bigMoney(o: WireObject, path: string): Money {
  const currency = string(o.currency_code, path, 'currency_code');
  if (!isCurrencyCode(currency)) throw new WireShapeError(path, 'an ISO 4217 code', 'currency_code');
  const rawUnits = o.units ?? 0;
  const rawNanos = o.nanos ?? 0;
  const units = typeof rawUnits === 'number' && Number.isSafeInteger(rawUnits) ? rawUnits : bigInteger(rawUnits, path, 'units');
  const nanos = typeof rawNanos === 'number' && Number.isSafeInteger(rawNanos) ? rawNanos : bigInteger(rawNanos, path, 'nanos');
  const n = Number(nanos);
  const u = typeof units === 'bigint' ? (units > 0n ? 1 : units < 0n ? -1 : 0) : Math.sign(units);
  if (n <= -1e9 || n >= 1e9 || (u > 0 && n < 0) || (u < 0 && n > 0)) {
    throw new WireShapeError(path, 'units and nanos of the same sign, |nanos| < 10⁹');
  }
  return new WireMoney(currency, units, nanos);
}

export function optionalMoney(value: JsonValue | undefined, path: string, key?: string): Money | undefined {
  return value === null || value === undefined ? undefined : money(value, path, key);
}

/** Unmarshals at the boundary: a wire shape error becomes `UPSTREAM_BAD_RESPONSE`, never a half-parsed row. */
export function parseWire<T>(upstream: UpstreamName, json: JsonValue, unmarshal: (value: JsonValue) => T): T {
  try {
    return unmarshal(json);
  } catch (error) {
    if (error instanceof WireShapeError) {
      const name = upstream === 'scaleway' ? 'Scaleway' : 'Scalr';
      throw new UpstreamBadResponseError(`${name} answered in an unexpected shape: ${error.message}`, { upstream, status: 200, cause: error });
    }
    throw error;
  }
}
