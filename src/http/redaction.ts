import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { Redactor } from '../lib/redact.js';

/**
 * Every string that leaves the process is redacted of the gateway's own credentials and of the
 * credentials the request brought (a passthrough key, a gateway token), in any letter case: answers
 * of whole secrets (see Redactor: a partial match a caller can see is an oracle), log lines of
 * whole ones and of any 12 characters of one.
 */

type Kind = 'answer' | 'log';

/** The gateway's own secrets, redacted one way for answers and another for logs. */
export class Secrets {
  private readonly redactors: Record<Kind, Redactor>;

  constructor(readonly values: readonly (string | undefined)[]) {
    this.redactors = { answer: new Redactor(values), log: new Redactor(values, { partial: true }) };
  }

  redactor(kind: Kind): Redactor {
    return this.redactors[kind];
  }
}

interface RequestSecrets {
  secrets: string[];
  redactors?: Record<Kind, Redactor>;
}

const current = new AsyncLocalStorage<RequestSecrets>();
const byRequest = new WeakMap<Request, RequestSecrets>();

/** Adds a credential the request carries (called by authentication). */
export function addRequestSecret(request: Request, secret: string | undefined): void {
  const entry = byRequest.get(request);
  if (!entry || !secret) return;
  entry.secrets.push(secret);
  entry.redactors = undefined;
}

function requestRedactor(entry: RequestSecrets | undefined, kind: Kind): Redactor | undefined {
  if (!entry || entry.secrets.length === 0) return undefined;
  entry.redactors ??= { answer: new Redactor(entry.secrets), log: new Redactor(entry.secrets, { partial: true }) };
  return entry.redactors[kind];
}

/** Redacts text with the gateway's own secrets, then the request's (the one in scope when none is given). */
export function redact(own: Secrets, kind: Kind, text: string, request?: Request): string {
  const mine = requestRedactor(request ? byRequest.get(request) : current.getStore(), kind);
  const once = own.redactor(kind).redact(text);
  return mine ? mine.redact(once) : once;
}

/** Every string of a log line's fields, redacted like its text. */
function redactFields<T>(own: Secrets, fields: T): T {
  const mine = requestRedactor(current.getStore(), 'log');
  const once = own.redactor('log').redactValue(fields);
  return mine ? mine.redactValue(once) : once;
}

function redactError(error: GraphQLError, own: Secrets, request: Request): GraphQLError {
  const message = redact(own, 'answer', error.message, request);
  const mine = requestRedactor(byRequest.get(request), 'answer');
  const ownExtensions = own.redactor('answer').redactValue((error.extensions ?? {}) as Record<string, unknown>);
  const extensions = mine ? mine.redactValue(ownExtensions) : ownExtensions;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

type Result = { errors?: readonly GraphQLError[]; stringify?: (result: Result) => string } & Record<string, unknown>;

/**
 * Writes a result without `extensions.originalError` (yoga attaches the JSON parser's error to a
 * malformed body, quoting it; it reads it for the HTTP status, so it is dropped only here).
 */
function withoutOriginals(result: Result): string {
  if (!result.errors?.length) return JSON.stringify(result);
  const errors = result.errors.map((e) => {
    const json = (typeof e.toJSON === 'function' ? e.toJSON() : e) as { extensions?: Record<string, unknown> };
    if (!json.extensions || !('originalError' in json.extensions)) return json;
    const { originalError: _dropped, ...extensions } = json.extensions;
    return { ...json, extensions: Object.keys(extensions).length ? extensions : undefined };
  });
  return JSON.stringify({ ...result, errors });
}

function redactResult(result: Result, own: Secrets, request: Request): Result {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((e) => redactError(e, own, request)), stringify: withoutOriginals };
}

/** The plugin: per-request secrets in scope for the whole request, and redacted errors in every result. */
export function useRedaction(own: Secrets): Plugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const entry: RequestSecrets = { secrets: [] };
        byRequest.set(request, entry);
        return current.run(entry, wrapped);
      },
    },
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result)) setResult(result.map((r) => redactResult(r as Result, own, request)) as typeof result);
      else if (!(Symbol.asyncIterator in (result as object))) setResult(redactResult(result as Result, own, request) as typeof result);
    },
  };
}

/** A logger whose every line is redacted (errors as their stack, which starts with name and message). */
export function redactingLogger(base: YogaLogger, own: Secrets): YogaLogger {
  const line =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      write(
        ...args.map((arg) => {
          // A line's fields stay fields (a JSON log reads them), each string of them redacted.
          if (arg && typeof arg === 'object' && !(arg instanceof Error) && Object.getPrototypeOf(arg) === Object.prototype) return redactFields(own, arg);
          const text = arg instanceof Error ? (arg.stack ?? `${arg.name}: ${arg.message}`) : typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg));
          return redact(own, 'log', text);
        }),
      );
    };
  return { debug: line(base.debug.bind(base)), info: line(base.info.bind(base)), warn: line(base.warn.bind(base)), error: line(base.error.bind(base)) };
}
