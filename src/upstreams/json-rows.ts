import type { JsonValue } from '../lib/json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Bounds on what is held at once: one row, and the rest of the object (a token, a count). */
const MAX_ROW_BYTES = 1024 * 1024;
const MAX_REST_BYTES = 256 * 1024;

/**
 * A JSON object read as its bytes arrive, one element of one of its arrays at a time:
 * `{"charges": [{…}, {…}], "next_page_token": "…"}` hands each charge to `row` as soon as its bytes
 * are in, as a small text of its own, and keeps the rest (the object with that array emptied) for
 * `end`. A page of a thousand rows never becomes one string or one parsed tree. The elements must be
 * objects or arrays, and the array must appear once; each element and the rest are parsed by
 * JSON.parse, so anything malformed throws a SyntaxError.
 */
export class RowSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last string read at the top level: the key of the value that follows it. */
  private lastKey = '';
  private keyBytes: number[] | undefined;
  private splitting = false;
  private splits = 0;
  private inElement = false;
  private element: Uint8Array[] = [];
  private elementBytes = 0;
  private rest: Uint8Array[] = [];
  private restBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly array: string,
    private readonly row: (text: string) => void,
  ) {}

  feed(chunk: Uint8Array): void {
    let restFrom = this.splitting ? -1 : 0;
    let elementFrom = this.inElement ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastKey = this.decoder.decode(new Uint8Array(this.keyBytes));
            this.keyBytes = undefined;
          }
        } else if (this.keyBytes && this.keyBytes.length < 256) this.keyBytes.push(c);
        continue;
      }
      if (this.splitting && this.depth === 2) {
        // Between elements: only blanks, commas, the next element's start or the array's end.
        if (isSpace(c) || c === COMMA) continue;
        if (c !== OPEN_BRACE && c !== OPEN_BRACKET && c !== CLOSE_BRACKET) throw new SyntaxError(`the elements of "${this.array}" must be objects`);
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1) this.keyBytes = [];
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        if (this.depth === 2 && c === OPEN_BRACKET && this.lastKey === this.array) {
          if (++this.splits > 1) throw new SyntaxError(`"${this.array}" appears twice`);
          // The bracket stays in the rest; the elements do not.
          this.splitting = true;
          this.keep(chunk.subarray(restFrom, i + 1));
          restFrom = -1;
        } else if (this.splitting && this.depth === 3) {
          this.inElement = true;
          elementFrom = i;
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < 0) throw new SyntaxError('unbalanced JSON');
        if (this.inElement && this.depth === 2) {
          this.hold(chunk.subarray(elementFrom, i + 1));
          this.inElement = false;
          elementFrom = -1;
          const text = this.decoder.decode(concat(this.element));
          this.element = [];
          this.elementBytes = 0;
          this.row(text);
        } else if (this.splitting && this.depth === 1) {
          this.splitting = false;
          restFrom = i;
        }
      }
    }
    if (this.inElement) this.hold(chunk.subarray(elementFrom));
    if (restFrom >= 0) this.keep(chunk.subarray(restFrom));
  }

  private hold(bytes: Uint8Array): void {
    if ((this.elementBytes += bytes.length) > MAX_ROW_BYTES) throw new SyntaxError(`an element of "${this.array}" is larger than ${MAX_ROW_BYTES} bytes`);
    this.element.push(bytes);
  }

  private keep(bytes: Uint8Array): void {
    if ((this.restBytes += bytes.length) > MAX_REST_BYTES) throw new SyntaxError(`the object around "${this.array}" is larger than ${MAX_REST_BYTES} bytes`);
    this.rest.push(bytes);
  }

  /** The object with the split array emptied; throws on truncated or malformed JSON, or without the array. */
  end(): Record<string, JsonValue> {
    if (this.depth !== 0 || this.inString) throw new SyntaxError('truncated JSON');
    const parsed = JSON.parse(this.decoder.decode(concat(this.rest))) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not a JSON object');
    const rest = parsed as Record<string, JsonValue>;
    // The array under another spelling of its key (an escape) would have been kept whole: refused.
    const array = rest[this.array];
    if (this.splits !== 1 || !Array.isArray(array) || array.length !== 0) throw new SyntaxError(`no "${this.array}" array where expected`);
    return rest;
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
