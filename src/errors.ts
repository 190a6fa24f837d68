import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { BudgetExceededError, ClientGoneError, DeadlineError } from './lib/budget.js';
import { UnsupportedQueryError, UpstreamError } from './upstreams/errors.js';

/**
 * The one mapping from failures to GraphQL errors. Codes are stable API: clients switch on
 * `extensions.code`, never on messages.
 */

/** Bad arguments: refused before any upstream call. */
export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
}

/** Something the caller named does not exist for this gateway (an organization it does not serve, an unknown id). */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND' } });
}

/** Extensions for an upstream failure; never the request, its headers or the upstream body beyond its message. */
export function upstreamExtensions(error: UpstreamError): Record<string, unknown> {
  return {
    code: error.code,
    // Too many calls waiting: the whole answer says so (HTTP 503, Retry-After), as a load balancer expects.
    ...(error.code === 'UPSTREAM_BUSY' ? { http: { status: 503, headers: { 'retry-after': String(error.retryAfter ?? 1) } } } : {}),
    upstream: error.upstream,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.type === undefined ? {} : { upstreamType: error.type }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
  };
}

/**
 * yoga's `maskError`: typed failures keep their message and get a stable code, with the field's
 * path; anything else (a bug) is masked as yoga does by default.
 */
export function maskError(error: unknown, message: string): Error {
  const located = error instanceof GraphQLError ? error : undefined;
  const original = located?.originalError ?? error;
  const where = located ? { nodes: located.nodes, source: located.source, positions: located.positions, path: located.path } : {};
  if (original instanceof UpstreamError) {
    // The original stays on the error object (never serialized): the gateway's log reads its detail.
    return createGraphQLError(original.message, { ...where, originalError: original, extensions: upstreamExtensions(original) });
  }
  if (original instanceof DeadlineError) {
    return createGraphQLError(original.message, { ...where, extensions: { code: 'REQUEST_TIMEOUT', limitMs: original.ms } });
  }
  if (original instanceof ClientGoneError) {
    return createGraphQLError(original.message, { ...where, extensions: { code: 'CLIENT_CLOSED_REQUEST' } });
  }
  if (original instanceof BudgetExceededError) {
    return createGraphQLError(original.message, { ...where, extensions: { code: 'QUERY_TOO_COSTLY', limit: original.limit, variable: original.variable } });
  }
  if (original instanceof UnsupportedQueryError) {
    return createGraphQLError(original.message, { ...where, extensions: { code: 'BAD_USER_INPUT', argument: original.argument } });
  }
  if (original instanceof GraphQLError) {
    if (original.extensions?.code) return located ?? original;
    // Ours all carry a code; a GraphQL error without one comes from decoding the caller's input
    // (a malformed global id, an id of an unknown type).
    return createGraphQLError(original.message, { ...where, extensions: { ...original.extensions, code: 'BAD_USER_INPUT' } });
  }
  if (original instanceof SyntaxError) {
    // Upstream JSON never gets here (it becomes UPSTREAM_BAD_RESPONSE at the boundary): this is the
    // caller's, such as `variables` in a GET query string that are not JSON.
    return createGraphQLError('The request holds malformed JSON', { ...where, extensions: { code: 'BAD_REQUEST' } });
  }
  return createGraphQLError(message, { ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
