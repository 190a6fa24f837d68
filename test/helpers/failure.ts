import { expect } from 'vitest';
import { UpstreamError } from '../../src/upstreams/errors.js';

/** The typed upstream error a call fails with; fails the test if it succeeds or fails otherwise. */
export async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}
