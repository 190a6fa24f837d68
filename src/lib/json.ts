/**
 * A JSON number kept as its source text. Scaleway sends discount values, tax rates and
 * `total_discount_untaxed_value` as JSON floats; going through a JS number would add
 * binary noise (0.1 → 0.1000000000000000055…) or lose digits past 2^53.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | number | JsonNumber | JsonValue[] | { [key: string]: JsonValue };

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A string without escapes or control characters (nearly all of them): matched natively, not char by char.
const plainString = /"[^"\\\x00-\x1f]*"/y;
// Char codes of the structural characters and of the literals' first letters.
const OPEN_BRACE = 123, CLOSE_BRACE = 125, OPEN_BRACKET = 91, CLOSE_BRACKET = 93, QUOTE = 34, COLON = 58, COMMA = 44;
const T = 116, F = 102, N = 110;

/**
 * Parses JSON text like `JSON.parse`, except that every number becomes a {@link JsonNumber}
 * holding its exact source text. Node 20 has no `JSON.parse` source-text access, hence this.
 * Throws `SyntaxError` on malformed input.
 */
export function parseJsonExact(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else return;
    }
  };
  const string = (): string => {
    const start = i; // at the opening quote
    plainString.lastIndex = i;
    if (plainString.test(text)) {
      i = plainString.lastIndex;
      return text.slice(start + 1, i - 1);
    }
    i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 34) break;
      if (c === 92) i++;
      else if (c < 32) fail('control character in string');
      i++;
    }
    i++;
    // Only a string with an escape comes here (the pattern above takes every other valid one):
    // JSON.parse reads escapes exactly right.
    return JSON.parse(text.slice(start, i)) as string;
  };
  const literal = (word: string, result: JsonValue): JsonValue => {
    if (!text.startsWith(word, i)) fail('unexpected token');
    i += word.length;
    return result;
  };
  const value = (depth: number): JsonValue => {
    if (depth > 256) fail('nesting too deep');
    space();
    const c = text.charCodeAt(i);
    if (c === OPEN_BRACE) {
      i++;
      const out: { [key: string]: JsonValue } = {};
      space();
      if (text.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        return out;
      }
      for (;;) {
        space();
        if (text.charCodeAt(i) !== QUOTE) fail('expected a key');
        const key = string();
        space();
        if (text.charCodeAt(i) !== COLON) fail("expected ':'");
        i++;
        const item = value(depth + 1);
        // As JSON.parse does: "__proto__" is an own key, never the object's prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
        else out[key] = item;
        space();
        const next = text.charCodeAt(i);
        if (next === COMMA) i++;
        else if (next === CLOSE_BRACE) {
          i++;
          return out;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === OPEN_BRACKET) {
      i++;
      const out: JsonValue[] = [];
      space();
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(depth + 1));
        space();
        const next = text.charCodeAt(i);
        if (next === COMMA) i++;
        else if (next === CLOSE_BRACKET) {
          i++;
          return out;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === QUOTE) return string();
    if (c === T) return literal('true', true);
    if (c === F) return literal('false', false);
    if (c === N) return literal('null', null);
    numberPattern.lastIndex = i;
    if (!numberPattern.test(text)) return fail('unexpected token');
    const start = i;
    i = numberPattern.lastIndex;
    return new JsonNumber(text.slice(start, i));
  };
  const result = value(0);
  space();
  if (i !== text.length) fail('unexpected trailing data');
  return result;
}

const exactNumber = /^"[^"]*"\s*:\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/;

/**
 * `JSON.parse`, except that the numbers under `keys` keep their source text ({@link JsonNumber}).
 * When each key occurs once, as a top-level number (a total, say), the native parser does the work
 * and only those numbers are patched; otherwise this falls back to {@link parseJsonExact}.
 */
export function parseJsonExactKeys(text: string, keys: readonly string[]): JsonValue {
  return topLevelExact(text, keys) ?? parseJsonExact(text);
}

/**
 * The fast case of {@link parseJsonExactKeys}: `JSON.parse` with the top-level numbers under `keys`
 * patched with their source text, or undefined when a key is anywhere else or more than once (the
 * text of a number elsewhere cannot be found from here without a parser).
 */
export function topLevelExact(text: string, keys: readonly string[]): JsonValue | undefined {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const top = value as { [key: string]: JsonValue };
  for (const key of keys) {
    const quoted = `"${key}"`;
    const at = text.indexOf(quoted);
    if (at === -1) continue;
    if (text.indexOf(quoted, at + quoted.length) !== -1) return undefined;
    const m = exactNumber.exec(text.slice(at, at + quoted.length + 400));
    // The one occurrence must be the top-level number the parser read, or this is not the simple case.
    if (!m || typeof top[key] !== 'number' || Number(m[1]) !== top[key]) return undefined;
    top[key] = new JsonNumber(m[1]!);
  }
  return top;
}
