import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate, type SimData } from './data.js';
import { PageTokens } from './finops.js';
import { scalewayRoutes } from './scaleway.js';
import { scalrRoutes } from './scalr.js';
import { type Fault, json, type LoggedCall, type Route, type SimRequest, type SimResponse, type SimSwitches } from './http.js';

export interface SimulatorOptions {
  seed?: number;
  now?: Date;
  /** The size switch: about this many FinOps charges for the first organization (`SIM_CHARGES_PER_ORG`). */
  chargesPerOrg?: number;
  /** The Scaleway secret key the simulator accepts in `X-Auth-Token`. */
  scalewaySecretKey: string;
  /** The Scalr token the simulator accepts as `Authorization: Bearer`. */
  scalrToken?: string;
  /** Latency added to every call, ms (the benchmark's upstream latency). */
  latencyMs?: number;
  /** Lifetime of FinOps page tokens, ms (default 10 minutes). */
  pageTokenTtlMs?: number;
  /** More Scaleway keys, each limited to some organizations (key → organization ids), as IAM policies do. */
  scopedKeys?: Record<string, string[]>;
  /** More Scalr tokens, each limited to some accounts (token → account ids). */
  scopedScalrTokens?: Record<string, string[]>;
  /** Start with ties of FinOps charges ordered by filter (see {@link SimSwitches}). */
  tiesByFilter?: boolean;
}

/**
 * The in-repo upstream simulator: real HTTP on loopback speaking the documented wire formats of
 * Scaleway Billing (and, as they are added, FinOps and Scalr), from seeded data. Demo mode and
 * the tests use it.
 */
export class Simulator {
  readonly data: SimData;
  readonly log: LoggedCall[] = [];
  /** Requests being served now, and the most at once since the last `resetLog`: proves concurrency by count. */
  inFlight = 0;
  peakInFlight = 0;
  private faults: Fault[] = [];
  private readonly routes: Route[];
  private server?: Server;
  private readonly latencyMs: number;
  /** FinOps page tokens; `pageTokens.expireAll()` makes every issued token stale. */
  readonly pageTokens: PageTokens;
  /** Switch behaviours while it runs. */
  readonly switches: SimSwitches;
  url = '';

  constructor(readonly options: SimulatorOptions) {
    this.data = generate(options.seed ?? 42, options.now ?? new Date(), { chargesPerOrg: options.chargesPerOrg });
    this.latencyMs = options.latencyMs ?? 0;
    this.pageTokens = new PageTokens(options.pageTokenTtlMs);
    this.switches = { tiesByFilter: options.tiesByFilter ?? false };
    this.routes = [
      scalewayRoutes(this.data, options.scalewaySecretKey, this.pageTokens, options.scopedKeys, this.switches),
      ...(options.scalrToken ? [scalrRoutes(this.data, options.scalrToken, options.scopedScalrTokens)] : []),
    ];
  }

  /** Calls whose path starts with `prefix` (all calls without one). */
  calls(prefix = ''): LoggedCall[] {
    return this.log.filter((c) => c.path.startsWith(prefix));
  }

  resetLog(): void {
    this.log.length = 0;
    this.peakInFlight = this.inFlight;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    const { port: bound } = server.address() as AddressInfo;
    this.url = `http://${host}:${bound}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private takeFault(path: string, query: URLSearchParams): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        (f.path === undefined || (typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path))) &&
        Object.entries(f.query ?? {}).every(([k, v]) => query.get(k) === v),
    );
    if (!fault) return undefined;
    if (fault.skip) {
      fault.skip--;
      return undefined;
    }
    if (fault.times !== undefined && --fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
    // In flight until answered, or until the client goes (a call it aborted is no longer in flight).
    let done = false;
    const end = () => {
      if (!done) this.inFlight--;
      done = true;
    };
    res.once('close', end);
    try {
      await this.serve(req, res);
    } catch {
      // The client went while the answer was written: nothing to answer.
      req.socket.destroy();
    } finally {
      if (res.writableFinished) end();
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const fault = this.takeFault(url.pathname, url.searchParams);
    const sim: SimRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, fault };
    // The client may go while the answer is held for its latency: stop holding it then.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    // Logged on arrival (its status once answered): a call still waiting counts too.
    const entry: LoggedCall = { at: Date.now(), method: sim.method, path: sim.path, query: sim.query, status: 0, headers: sim.headers };
    this.log.push(entry);
    // The answer is made on arrival, then held for the latency: a real upstream's own work happens
    // inside its latency, on its machines, not one answer after another in this process.
    let out: SimResponse | undefined;
    if (fault?.malformed) {
      out = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"invoices": [{"id": "trunc' };
    } else if (fault?.status !== undefined) {
      out = { status: fault.status, headers: fault.headers ?? {}, body: fault.body ?? '' };
    } else if (!fault?.drop) {
      out = this.route(sim);
    }
    const latency = this.latencyMs + (fault?.latencyMs ?? 0);
    if (latency > 0) await sleep(latency, undefined, { signal: gone.signal }).catch(() => undefined);
    if (gone.signal.aborted) return;
    if (!out) {
      req.socket.destroy();
      return;
    }
    entry.status = out.status;
    res.writeHead(out.status, out.headers);
    const body = Buffer.from(out.body ?? '');
    if (fault?.cutAfterBytes !== undefined) {
      res.write(body.subarray(0, fault.cutAfterBytes));
      // Let the bytes leave, then cut the connection mid-body.
      await sleep(20);
      req.socket.destroy();
    } else if (fault?.trickle) {
      for (let at = 0; at < body.length && !gone.signal.aborted; at += fault.trickle.bytes) {
        res.write(body.subarray(at, at + fault.trickle.bytes));
        await sleep(fault.trickle.everyMs, undefined, { signal: gone.signal }).catch(() => undefined);
      }
      res.end();
    } else if (fault?.stallMs) {
      res.flushHeaders();
      await sleep(fault.stallMs, undefined, { signal: gone.signal }).catch(() => undefined);
      if (!gone.signal.aborted) res.end(body);
    } else if (fault?.slowBodyMs && body.length > 1) {
      const half = Math.floor(body.length / 2);
      res.write(body.slice(0, half));
      await sleep(fault.slowBodyMs);
      res.end(body.slice(half));
    } else {
      res.end(body);
    }
  }

  private route(req: SimRequest): SimResponse {
    if (req.method !== 'GET') return json(405, { type: 'invalid_request', message: 'method not allowed' });
    for (const route of this.routes) {
      const out = route(req);
      if (out) return out;
    }
    return json(404, { type: 'not_found', message: 'resource is not found', resource: 'path', resource_id: req.path });
  }
}
