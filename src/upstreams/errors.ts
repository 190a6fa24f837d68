/** Which upstream API an error came from; surfaces as `extensions.upstream`. */
export type UpstreamName = 'scaleway' | 'scalr';

/** Stable codes, surfaced as GraphQL `extensions.code` (see DESIGN.md). */
export type UpstreamCode =
  | 'UPSTREAM_UNAUTHENTICATED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_NOT_FOUND'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_BUSY';

export interface UpstreamErrorDetails {
  upstream: UpstreamName;
  /** HTTP status of the upstream answer; absent for transport failures. */
  status?: number;
  /** The upstream's own error kind (Scaleway body `type`, JSON:API `errors[].code`). */
  type?: string;
  /** The upstream's request id, for support tickets. */
  requestId?: string;
  /** Seconds the upstream asked us to wait (429). */
  retryAfter?: number;
  /** The request argument the upstream refused (400), e.g. `page_token`. */
  argument?: string;
  /**
   * The upstream's own words (its message, its help): for the gateway's log only. Callers get
   * `message`, which the gateway writes from the upstream's structured fields: text an upstream may
   * have copied from the request never reaches them (see lib/redact.ts).
   */
  detail?: string;
  cause?: unknown;
}

/**
 * Base of every failure talking to an upstream. Messages are written by the gateway from the
 * upstream's status and structured fields, never from its free text (kept in `detail`, for logs).
 */
export abstract class UpstreamError extends Error {
  abstract readonly code: UpstreamCode;
  readonly upstream: UpstreamName;
  readonly status?: number;
  readonly type?: string;
  readonly requestId?: string;
  readonly retryAfter?: number;
  readonly argument?: string;
  readonly detail?: string;

  constructor(message: string, details: UpstreamErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.upstream = details.upstream;
    this.status = details.status;
    this.type = details.type;
    this.requestId = details.requestId;
    this.retryAfter = details.retryAfter;
    this.argument = details.argument;
    this.detail = details.detail;
  }
}

export class UpstreamUnauthenticatedError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAUTHENTICATED';
}
export class UpstreamForbiddenError extends UpstreamError {
  readonly code = 'UPSTREAM_FORBIDDEN';
}
export class UpstreamNotFoundError extends UpstreamError {
  readonly code = 'UPSTREAM_NOT_FOUND';
}
export class UpstreamRateLimitedError extends UpstreamError {
  readonly code = 'UPSTREAM_RATE_LIMITED';
}
export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
}
export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'UPSTREAM_TIMEOUT';
}
/** The upstream answered, but not in the documented shape (malformed JSON, a missing field, a changing list). */
export class UpstreamBadResponseError extends UpstreamError {
  readonly code = 'UPSTREAM_BAD_RESPONSE';
}
/** The upstream refused the request's arguments (HTTP 400), e.g. an expired page token. */
export class UpstreamBadRequestError extends UpstreamError {
  readonly code = 'UPSTREAM_BAD_REQUEST';
}

/** Too many calls to this upstream are waiting already: the gateway refuses more until some end (HTTP 503, Retry-After). */
export class UpstreamBusyError extends UpstreamError {
  readonly code = 'UPSTREAM_BUSY';
}

/** What an upstream said, in the gateway's words: `Scaleway answered 400 invalid_arguments for page_size`. */
export function upstreamMessage(upstream: UpstreamName, status: number, type?: string, argument?: string): string {
  const name = upstream === 'scaleway' ? 'Scaleway' : 'Scalr';
  return `${name} answered ${status}${type ? ` ${type}` : ''}${argument ? ` for ${argument}` : ''}`;
}

/** The error class for an HTTP status, used when the upstream's body names no kind of its own. */
export function errorClassForStatus(status: number): new (message: string, details: UpstreamErrorDetails) => UpstreamError {
  if (status === 401) return UpstreamUnauthenticatedError;
  if (status === 403) return UpstreamForbiddenError;
  if (status === 404 || status === 410) return UpstreamNotFoundError;
  if (status === 429) return UpstreamRateLimitedError;
  if (status === 408 || status === 504) return UpstreamTimeoutError;
  if (status >= 500) return UpstreamUnavailableError;
  if (status >= 400) return UpstreamBadRequestError;
  return UpstreamBadResponseError;
}

/**
 * The selected upstream API version cannot express a query (e.g. a credit-note filter on Billing
 * v2alpha1). Thrown before any call; surfaces as `BAD_USER_INPUT`.
 */
export class UnsupportedQueryError extends Error {
  constructor(
    message: string,
    readonly argument: string,
  ) {
    super(message);
    this.name = 'UnsupportedQueryError';
  }
}
