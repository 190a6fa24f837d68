/**
 * Cuts credentials out of text that leaves the process, in any letter case; with `partial`, also any
 * 12 characters in a row of one (an upstream may echo a key truncated). A UUID key is cut with or
 * without its dashes.
 *
 * Partial matching is for text no caller can see (logs): on text a caller sees and can put words
 * into (an error echoing its own input), "which parts get redacted" would answer "is this a piece of
 * the gateway's key?", 12 characters at a time, and the key could be recovered. Answers to callers
 * are redacted of whole secrets only, which tells nothing to someone who does not already hold one.
 */

/** Characters in a row that count as an echo of a credential. */
export const ECHO_WINDOW = 12;
/** Shorter strings are no credential (and redacting them would garble text). */
const MIN_SECRET = 8;
const MARK = '[redacted]';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** ASCII-only lower case: the text keeps its length, so positions still match the original. */
const fold = (text: string) => text.replace(/[A-Z]+/g, (m) => m.toLowerCase());

export class Redactor {
  private readonly windows = new Set<string>();
  private readonly whole: string[] = [];

  constructor(secrets: Iterable<string | undefined>, { partial = false }: { partial?: boolean } = {}) {
    for (const raw of secrets) {
      if (!raw || raw.length < MIN_SECRET) continue;
      const secret = fold(raw);
      // A UUID key is also written without its dashes (Scaleway's secret keys are UUIDs).
      const forms = uuid.test(secret) ? [secret, secret.replaceAll('-', '')] : [secret];
      for (const form of forms) {
        if (!partial || form.length <= ECHO_WINDOW) this.whole.push(form);
        else for (let i = 0; i + ECHO_WINDOW <= form.length; i++) this.windows.add(form.slice(i, i + ECHO_WINDOW));
      }
    }
  }

  get empty(): boolean {
    return this.windows.size === 0 && this.whole.length === 0;
  }

  /** `text` with every echo of a secret replaced by `[redacted]`; overlapping echoes make one mark. */
  redact(text: string): string {
    if (this.empty) return text;
    const folded = fold(text);
    const hit = new Uint8Array(text.length);
    // (Answers' redactors have no windows: no need to slice the text at every position.)
    if (this.windows.size > 0) for (let i = 0; i + ECHO_WINDOW <= folded.length; i++) if (this.windows.has(folded.slice(i, i + ECHO_WINDOW))) hit.fill(1, i, i + ECHO_WINDOW);
    for (const secret of this.whole) for (let i = folded.indexOf(secret); i !== -1; i = folded.indexOf(secret, i + 1)) hit.fill(1, i, i + secret.length);
    let out = '';
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      if (hit[i] && !hit[i - 1]) out += text.slice(from, i) + MARK;
      if (hit[i]) from = i + 1;
    }
    return out + text.slice(from);
  }

  /** Every string inside a JSON-like value, redacted (extensions of an error). */
  redactValue<T>(value: T): T {
    if (this.empty) return value;
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T;
    if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [this.redact(k), this.redactValue(v)])) as T;
    }
    return value;
  }
}
