import type { JsonValue } from '../lib/json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Bounds on what is held at once: one row, and the rest of the object (a token, a count). */
const MAX_ROW_BYTES = 1024 * 1024;
const MAX_REST_BYTES = 256 * 1024;
/** Longest top-level key compared (longer ones cannot be the array's). */
const MAX_KEY_BYTES = 256;

/**
 * A JSON object read as its bytes arrive, one element of one of its arrays at a time:
 * `{"charges": [{…}, {…}], "next_page_token": "…"}` hands each charge to `row` as soon as its bytes
 * are in, as a small text of its own, and keeps the rest (the object with that array emptied) for
 * `end`. A page of a thousand rows never becomes one string or one parsed tree.
 *
 * It answers as JSON.parse of the whole would, or throws a SyntaxError: the array's key must be
 * written plainly (a key that only decodes to it, through an escape, is refused, as is the array
 * twice), its elements must be objects or arrays separated by single commas, and each element and
 * the rest are parsed by JSON.parse. Text is decoded as `body.text()` does (a bad byte becomes
 * U+FFFD), so both ways of reading a page agree.
 */
export class RowSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** At the top level: the next string is a key (after `{` or `,`), not a value. */
  private expectKey = false;
  private keyBytes: number[] | undefined;
  private keyEscaped = false;
  /** The key of the value that follows, when it was written as the array's name. */
  private keyIsArray = false;
  private splitting = false;
  private splits = 0;
  /** In the array: what may come next between elements. */
  private next: 'first' | 'element' | 'separator' = 'first';
  private inElement = false;
  private element: Uint8Array[] = [];
  private elementBytes = 0;
  private rest: Uint8Array[] = [];
  private restBytes = 0;
  private readonly name: Uint8Array;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly rows = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly array: string,
    private readonly row: (text: string) => void,
  ) {
    this.name = new TextEncoder().encode(array);
  }

  feed(chunk: Uint8Array): void {
    let restFrom = this.splitting ? -1 : 0;
    let elementFrom = this.inElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) {
          this.escaped = true;
          this.keyEscaped ||= this.keyBytes !== undefined;
        } else if (c === QUOTE) {
          this.inString = false;
          if (this.keyBytes) this.keyRead(this.keyBytes);
        }
        if (this.keyBytes && c !== QUOTE && this.keyBytes.length <= MAX_KEY_BYTES) this.keyBytes.push(c);
        continue;
      }
      if (this.splitting && this.depth === 2) {
        // Between elements: an element or the end first, then a comma or the end, never two commas.
        if (isSpace(c)) continue;
        if (c === COMMA) {
          if (this.next !== 'separator') throw new SyntaxError(`a misplaced comma in "${this.array}"`);
          this.next = 'element';
          continue;
        }
        if (c === CLOSE_BRACKET) {
          if (this.next === 'element') throw new SyntaxError(`a trailing comma in "${this.array}"`);
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          if (this.next === 'separator') throw new SyntaxError(`a missing comma in "${this.array}"`);
        } else throw new SyntaxError(`the elements of "${this.array}" must be objects`);
      }
      if (this.depth === 1 && !this.splitting) {
        if (c === COMMA) this.expectKey = true;
        else if (c === COLON) this.expectKey = false;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.keyBytes = [];
          this.keyEscaped = false;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        if (this.depth === 1) this.expectKey = c === OPEN_BRACE;
        if (this.depth === 2 && c === OPEN_BRACKET && this.keyIsArray) {
          if (++this.splits > 1) throw new SyntaxError(`"${this.array}" appears twice`);
          // The bracket stays in the rest; the elements do not.
          this.splitting = true;
          this.next = 'first';
          this.keep(chunk.subarray(restFrom, i + 1));
          restFrom = -1;
        } else if (this.splitting && this.depth === 3) {
          this.inElement = true;
          elementFrom = i;
        }
        if (this.depth === 2) this.keyIsArray = false;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) throw new SyntaxError('unbalanced JSON');
        if (this.inElement && this.depth === 2) {
          this.hold(chunk.subarray(elementFrom, i + 1));
          this.inElement = false;
          elementFrom = -1;
          this.next = 'separator';
          const text = this.rows.decode(concat(this.element));
          this.element = [];
          this.elementBytes = 0;
          this.row(text);
        } else if (this.splitting && this.depth === 1) {
          this.splitting = false;
          restFrom = i;
        }
      } else if (this.depth === 1 && !isSpace(c) && c !== COMMA && c !== COLON) {
        // A plain value (a number, true, false, null) of some key: not the array.
        this.keyIsArray = false;
      }
    }
    if (this.inElement) this.hold(chunk.subarray(elementFrom));
    if (restFrom >= 0) this.keep(chunk.subarray(restFrom));
  }

  /** The object with the split array emptied; throws on truncated or malformed JSON, or without the array. */
  end(): Record<string, JsonValue> {
    if (this.depth !== 0 || this.inString) throw new SyntaxError('truncated JSON');
    const parsed = JSON.parse(this.decoder.decode(concat(this.rest))) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not a JSON object');
    const rest = parsed as Record<string, JsonValue>;
    const array = rest[this.array];
    if (this.splits !== 1 || !Array.isArray(array) || array.length !== 0) throw new SyntaxError(`no "${this.array}" array where expected`);
    return rest;
  }

  /** A top-level key just read: the array's name written plainly, or refused if it only decodes to it. */
  private keyRead(bytes: number[]): void {
    this.keyBytes = undefined;
    this.keyIsArray = bytes.length === this.name.length && bytes.every((b, i) => b === this.name[i]);
    if (!this.keyIsArray && this.keyEscaped && bytes.length <= MAX_KEY_BYTES) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(`"${this.decoder.decode(new Uint8Array(bytes))}"`);
      } catch {
        throw new SyntaxError('a malformed key');
      }
      if (decoded === this.array) throw new SyntaxError(`"${this.array}" written with escapes`);
    }
  }

  private hold(bytes: Uint8Array): void {
    if ((this.elementBytes += bytes.length) > MAX_ROW_BYTES) throw new SyntaxError(`an element of "${this.array}" is larger than ${MAX_ROW_BYTES} bytes`);
    this.element.push(bytes);
  }

  private keep(bytes: Uint8Array): void {
    if ((this.restBytes += bytes.length) > MAX_REST_BYTES) throw new SyntaxError(`the object around "${this.array}" is larger than ${MAX_REST_BYTES} bytes`);
    this.rest.push(bytes);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
