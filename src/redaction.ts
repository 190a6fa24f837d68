import { AsyncLocalStorage } from 'node:async_hooks';
import { GraphQLError } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { Redactor } from './lib/redact.js';

/**
 * Every string that leaves the process (error messages, every extension, log lines, PDF route
 * errors) is redacted of the gateway's own credentials and of the credentials the request brought
 * (a passthrough key, a gateway token), in any case, whole or in part.
 */

interface RequestSecrets {
  secrets: string[];
  redactor?: Redactor;
}

const current = new AsyncLocalStorage<RequestSecrets>();
const byRequest = new WeakMap<Request, RequestSecrets>();

/** Adds a credential the request carries (called by authentication). */
export function addRequestSecret(request: Request, secret: string | undefined): void {
  const entry = byRequest.get(request);
  if (!entry || !secret) return;
  entry.secrets.push(secret);
  entry.redactor = undefined;
}

function requestRedactor(entry: RequestSecrets | undefined): Redactor | undefined {
  if (!entry || entry.secrets.length === 0) return undefined;
  return (entry.redactor ??= new Redactor(entry.secrets));
}

/** The redactors for a request: the gateway's own, then the request's. */
export function redactorsFor(own: Redactor, request?: Request): Redactor[] {
  const mine = requestRedactor(request ? byRequest.get(request) : current.getStore());
  return mine ? [own, mine] : [own];
}

const redactText = (text: string, redactors: Redactor[]) => redactors.reduce((t, r) => r.redact(t), text);

function redactError(error: GraphQLError, redactors: Redactor[]): GraphQLError {
  const message = redactText(error.message, redactors);
  const extensions = redactors.reduce((e, r) => r.redactValue(e), error.extensions as Record<string, unknown>);
  if (message === error.message && extensions === error.extensions) return error;
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

type Result = { errors?: readonly GraphQLError[] } & Record<string, unknown>;

function redactResult(result: Result, redactors: Redactor[]): Result {
  if (!result.errors?.length) return result;
  return { ...result, errors: result.errors.map((e) => redactError(e, redactors)) };
}

/** The plugin: per-request secrets in scope for the whole request, and redacted errors in every result. */
export function useRedaction(own: Redactor): Plugin {
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const entry: RequestSecrets = { secrets: [] };
        byRequest.set(request, entry);
        return current.run(entry, wrapped);
      },
    },
    onResultProcess({ request, result, setResult }) {
      const redactors = redactorsFor(own, request);
      if (redactors.every((r) => r.empty)) return;
      if (Array.isArray(result)) setResult(result.map((r) => redactResult(r as Result, redactors)) as typeof result);
      else if (!(Symbol.asyncIterator in (result as object))) setResult(redactResult(result as Result, redactors) as typeof result);
    },
  };
}

/** A logger whose every line is redacted (errors as `name: message` and their stack). */
export function redactingLogger(base: YogaLogger, own: Redactor): YogaLogger {
  const line =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const redactors = redactorsFor(own);
      write(
        ...args.map((arg) => {
          if (arg instanceof Error) return redactText(arg.stack ?? `${arg.name}: ${arg.message}`, redactors);
          if (typeof arg === 'string') return redactText(arg, redactors);
          return redactText(JSON.stringify(arg) ?? String(arg), redactors);
        }),
      );
    };
  return { debug: line(base.debug.bind(base)), info: line(base.info.bind(base)), warn: line(base.warn.bind(base)), error: line(base.error.bind(base)) };
}
