import { type Caller, NOBODY } from './caller.js';

/** The caller authentication admitted for each request: set by the HTTP layer, read by everything below. */
const callers = new WeakMap<Request, Caller>();

export function admit(request: Request, caller: Caller): void {
  callers.set(request, caller);
}

/** The caller of a request; nobody (reads nothing) when authentication admitted none. */
export function callerOf(request: Request): Caller {
  return callers.get(request) ?? NOBODY;
}
