import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { BudgetExceededError, ClientGoneError, DeadlineError } from '../lib/budget.js';
import { UnsupportedQueryError, UpstreamError } from '../upstreams/errors.js';
import { soleOperationName } from './ops.js';

/**
 * What the gateway's log says of a failure. A failure the caller caused or the gateway chose (a
 * limit, a deadline, load shedding, a client that left, an upstream's coded answer) is one line at
 * its level; only what nobody foresaw (a bug) is an error with its stack. Under load shedding every
 * refused field would otherwise print a stack at ERR level, exactly when the log matters most.
 */
/** The error a located GraphQL error wraps, or the error itself. */
const unwrap = (error: unknown) => (error instanceof GraphQLError && error.originalError ? error.originalError : error);

function expectedLevel(error: unknown): 'debug' | 'info' | undefined {
  const original = unwrap(error);
  // Upstream failures are logged by useUpstreamLog with the upstream's own words, once per kind.
  if (original instanceof UpstreamError || original instanceof ClientGoneError) return 'debug';
  if (original instanceof DeadlineError || original instanceof BudgetExceededError) return 'info';
  if (original instanceof UnsupportedQueryError || original instanceof SyntaxError) return 'debug';
  // Ours carry a code; one without comes from decoding the caller's input (a malformed global id).
  if (original instanceof GraphQLError) return 'debug';
  return undefined;
}

/** `logger` with expected failures (above) handed to `error` logged as one line at their level. */
export function quietExpected(logger: YogaLogger): YogaLogger {
  return {
    ...logger,
    error: (...args: unknown[]) => {
      const level = args.length === 1 ? expectedLevel(args[0]) : undefined;
      if (!level) return logger.error(...args);
      const error = unwrap(args[0]) as Error;
      logger[level](`${error.name}: ${error.message}`);
    },
  };
}

/**
 * Logs what an upstream said when it failed (its own words, redacted like any log line), with its
 * request id: callers get the gateway's words only. One line per kind of failure and response,
 * with a count: a request whose 40 fields were refused by a busy upstream is one line, not 40.
 */
export function useUpstreamLog(logger: YogaLogger): Plugin {
  const log = (errors: readonly { originalError?: unknown }[] | undefined) => {
    const lines = new Map<string, number>();
    for (const error of errors ?? []) {
      const original = error.originalError;
      if (!(original instanceof UpstreamError)) continue;
      const where = [original.status === undefined ? undefined : `HTTP ${original.status}`, original.requestId && `request ${original.requestId}`].filter(Boolean).join(', ');
      const line = `${original.code} from ${original.upstream}${where ? ` (${where})` : ''}: ${original.detail ?? original.message}`;
      lines.set(line, (lines.get(line) ?? 0) + 1);
    }
    for (const [line, count] of lines) logger.warn(count > 1 ? `${line} (×${count})` : line);
  };
  return {
    onExecutionResult({ result }) {
      if (result && !(Symbol.asyncIterator in result)) log((result as { errors?: readonly { originalError?: unknown }[] }).errors);
    },
  };
}

/** What the request log reads of a request's spending (see context.ts). */
export type Spent = (request: Request) => { calls: number; hits: number } | undefined;

/** A caller's `X-Request-Id` is kept when it looks like an id; otherwise one is made. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * One line per HTTP request (at INFO, fields for a JSON log): its id (the caller's `X-Request-Id`,
 * or a new one; echoed in the answer), method, path, status, duration, operation names, upstream
 * calls made and answers taken from the cache.
 */
export function useRequestLog(logger: YogaLogger, spent: Spent): Plugin {
  const started = new WeakMap<Request, { at: number; id: string; operations: string[] }>();
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      started.set(request, { at: performance.now(), id: given && REQUEST_ID.test(given) ? given : randomUUID(), operations: [] });
    },
    // Named as executed: the operation chosen, or the document's only one (each of a batch).
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      const name = args.operationName ?? soleOperationName(args.document) ?? 'anonymous';
      if (request) started.get(request)?.operations.push(name.slice(0, 100));
    },
    onResponse({ request, response }) {
      const entry = started.get(request);
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      const url = new URL(request.url);
      // The health and readiness checks come every few seconds: not worth a line each.
      if (url.pathname === '/health' || url.pathname === '/ready') return;
      const spending = spent(request);
      logger.info(
        {
          requestId: entry.id,
          method: request.method,
          path: url.pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - entry.at) * 10) / 10,
          ...(entry.operations.length ? { operations: entry.operations } : {}),
          upstreamCalls: spending?.calls ?? 0,
          cacheHits: spending?.hits ?? 0,
        },
        'request',
      );
    },
  };
}
