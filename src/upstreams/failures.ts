import { errorClassForStatus, type UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError, type UpstreamName } from './errors.js';
import { retryAfterMs } from './pool.js';

/** What a failed upstream call becomes: a typed error, by its cause. */

/** An answer's body took longer than the call's limit. */
export class CallTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`the answer took longer than ${ms} ms`);
  }
}

/** A call's failure, typed: its answer's total time ran out (UPSTREAM_CALL_TIMEOUT_MS), or the transport's. */
export function callError(upstream: UpstreamName, error: unknown): UpstreamError {
  if (error instanceof CallTimeoutError) {
    return new UpstreamTimeoutError(`${upstream} took longer than ${error.ms} ms to send one answer (UPSTREAM_CALL_TIMEOUT_MS)`, { upstream, cause: error });
  }
  return transportError(upstream, error);
}

/** Maps undici's transport failures (by their stable `code`) to typed errors. */
export function transportError(upstream: UpstreamName, error: unknown): UpstreamError {
  const code = (error as { code?: string } | null)?.code ?? '';
  if (code === 'UND_ERR_REQ_RETRY') {
    // Retries ran out (or `Retry-After` was beyond the cap): the last status decides.
    const { statusCode, headers } = error as { statusCode: number; headers?: Record<string, string | string[] | undefined> };
    const after = retryAfterMs(headers);
    const ErrorClass = errorClassForStatus(statusCode);
    const name = upstream === 'scaleway' ? 'Scaleway' : 'Scalr';
    return new ErrorClass(`${name}: HTTP ${statusCode}, still after retrying`, {
      upstream,
      status: statusCode,
      retryAfter: after === undefined ? undefined : Math.ceil(after / 1000),
      cause: error,
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new UpstreamTimeoutError(`${upstream} did not answer in time`, { upstream, cause: error });
  }
  return new UpstreamUnavailableError(`${upstream} could not be reached`, { upstream, cause: error });
}
