import type { IncomingMessage } from 'node:http';

/**
 * The simulator's HTTP vocabulary, shared by its server and its routes: requests and answers as
 * routes see them, the faults a test injects, and JSON written as the upstreams write it.
 */

/** A number written to JSON as its exact decimal text (the upstream's floats). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The fault this request is under, for faults the routes themselves play (reordered lists, endless tokens). */
  fault?: Fault;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request the simulator served; tests count these to prove batching and minimal paging. */
export interface LoggedCall {
  /** When it arrived (ms since the epoch). */
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  headers: IncomingMessage['headers'];
}

/** A fault for requests whose path matches; `times` bounds how many requests it hits. */
export interface Fault {
  path?: string | RegExp;
  /** Only requests carrying these query parameters (e.g. `{ page: '2' }`). */
  query?: Record<string, string>;
  latencyMs?: number;
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Send the body in two halves this many ms apart. */
  slowBodyMs?: number;
  /** Send the headers, then nothing for this many ms, then the body. */
  stallMs?: number;
  /** Send this many bytes of the body, then cut the connection. */
  cutAfterBytes?: number;
  /** Send the body this many bytes at a time, each `everyMs` apart (a body that never stalls long, but never ends soon). */
  trickle?: { bytes: number; everyMs: number };
  /** Page-number lists: rotate the list by this many rows before paging, a negative number moving rows down (the same total, another order). */
  rotate?: number;
  /** FinOps charges: an empty page with a fresh token, every time. */
  endlessTokens?: boolean;
  /** Let this many matching requests through before the fault applies. */
  skip?: number;
  times?: number;
}

export type Route = (req: SimRequest) => SimResponse | undefined;

/** Behaviours switched on and off while the simulator runs. */
export interface SimSwitches {
  /** FinOps charges that start at the same instant come in an order that depends on the filter. */
  tiesByFilter: boolean;
}

/** Serialises JSON with {@link RawNumber}s written as bare numbers. */
export function jsonBody(value: unknown): string {
  let raw = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (!(v instanceof RawNumber)) return v;
    raw = true;
    return `\u0000${v.text}`;
  });
  // Only documents holding raw numbers need the pass that unquotes them.
  return raw ? text.replace(/"\\u0000([^"]*)"/g, '$1') : text;
}

/** Scaleway sends `application/json` exactly, no charset: the official SDK refuses anything else. */
export function json(status: number, value: unknown): SimResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: jsonBody(value) };
}
