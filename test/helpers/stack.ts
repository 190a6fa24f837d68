import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { YogaLogger } from 'graphql-yoga';
import type { AuthSettings } from '../../src/config/tokens.js';
import { clientFactory } from '../../src/clients.js';
import { createGateway } from '../../src/gateway.js';
import { DEFAULT_LIMITS, type FocusExportLimits, type QueryLimits } from '../../src/config/limits.js';
import { TotalHints } from '../../src/pagination/totals.js';
import { Keyring } from '../../src/lib/keys.js';
import { loadManifests, type Manifest, PROJECT_MANIFESTS } from '../../src/http/persisted.js';
import { Simulator, type SimulatorOptions } from '../../src/simulator/server.js';
import type { BillingApiVersion, HttpTimeouts, RetryPolicy } from '../../src/config/upstreams.js';
import { createAgent } from '../../src/upstreams/pool.js';
import type { Limiter } from '../../src/fleet/limiter.js';
import { PageCache } from '../../src/fleet/pages.js';
import { MemoryStore, type Store } from '../../src/fleet/store.js';
import { Metrics } from '../../src/observe/metrics.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from './secrets.js';
import { recordResponses, transcriptLogger } from './transcript.js';

export { SCALR_TOKEN, SECRET } from './secrets.js';

export interface GraphQLResult<T = any> {
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

/**
 * The real stack in one process: the upstream simulator on a loopback socket, the real Scaleway
 * client over undici, and the real yoga gateway driven through `yoga.fetch`.
 */
export interface StackOptions {
  version?: BillingApiVersion;
  organizations?: string[] | null;
  now?: Date;
  /** FinOps `page_size`; small by default so that walks cross many upstream pages. */
  finopsPageSize?: number;
  finopsMaxIdsPerCall?: number;
  reportSplit?: number;
  reportBounds?: { groups: number; cells: number };
  /** Scalr `page[size]`; small by default so that windows cross upstream pages. */
  scalrPageSize?: number;
  /** Scalr accounts served; null: any, checked upstream. Default: the simulator's. */
  scalrAccounts?: string[] | null;
  preferProfile?: string;
  auth?: AuthSettings;
  limits?: Partial<QueryLimits>;
  /** `GET /export/focus.csv`'s own limits (default: production's). */
  focusExport?: FocusExportLimits;
  retry?: RetryPolicy;
  /** Calls in flight per upstream (its pool's connections). */
  concurrency?: number;
  /** Invoice PDF downloads in flight. */
  pdfConcurrency?: number;
  /** Calls that may wait for a connection, per upstream. */
  queue?: number;
  /** A request's deadline, and one call's, ms. */
  requestTimeoutMs?: number;
  callTimeoutMs?: number;
  timeouts?: HttpTimeouts;
  /** Latency the simulator adds to every call, ms. */
  latencyMs?: number;
  graphiql?: boolean;
  /** Serve the cost explorer (default: as the gateway does, on). */
  explorer?: boolean;
  /** Remember list totals across requests (off by default: call counts stay those of a cold gateway). */
  hints?: boolean;
  /** More simulator options: keys and tokens scoped to some organizations or accounts. */
  simulator?: Pick<SimulatorOptions, 'scopedKeys' | 'scopedScalrTokens' | 'tiesByFilter' | 'chargesPerOrg'>;
  /** No Scalr token configured (its fields answer UPSTREAM_NOT_CONFIGURED). */
  noScalr?: boolean;
  /** Signing keys (default: the suite's). */
  keys?: Keyring;
  pdfLinkTtlSeconds?: number;
  tokenPageLimits?: { pages: number; emptyPages: number };
  corsOrigins?: string[];
  persisted?: { manifest: Manifest; only: boolean };
  /** Receives the gateway's log (default: the transcript). */
  logging?: YogaLogger;
  /**
   * Cache upstream answers (off by default: each test's call counts are those of a cold gateway).
   * `true`: in process; a store: that one (Redis). TTLs default to production's.
   */
  cache?: boolean | { store?: Store; closedSeconds?: number; openSeconds?: number; maxBytes?: number };
  /** The store of list totals (with `hints`), default an in-process one. */
  hintsStore?: Store;
  /** The upstream budget (rate caps, 429 pauses); none by default. */
  limiter?: Limiter;
}

/** The suite's signing key: configured like the others, so that the secrets scan looks for it. */
export const TEST_KEYS = new Keyring([SIGNING_KEY]);

/** The trusted documents the project's clients write (codegen and Relay manifests). */
export const PROJECT_DOCUMENTS = loadManifests(PROJECT_MANIFESTS);


export async function startStack(options: StackOptions = {}) {
  const now = options.now ?? new Date();
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN, now, latencyMs: options.latencyMs, ...options.simulator });
  const url = await sim.listen();
  // No retries unless a test asks: a fault injected once must surface once.
  const timeouts = options.timeouts ?? { connect: 5_000, headers: 15_000, body: 30_000 };
  const connections = options.concurrency ?? 1000;
  const agents = [createAgent(timeouts, options.retry, connections), createAgent(timeouts, options.retry, connections), createAgent(timeouts, options.retry, options.pdfConcurrency ?? 4)] as const;
  const orgs = sim.data.organizations.map((o) => o.id);
  const accounts = sim.data.scalrAccounts.map((a) => a.id);
  const auth = options.auth ?? { mode: 'none', tokens: [] };
  const queue = options.queue ?? 10_000;
  const metrics = new Metrics({ process: false });
  const cache = options.cache === true ? {} : options.cache || undefined;
  const cacheStore = cache && (cache.store ?? new MemoryStore(cache.maxBytes ?? 64 * 1024 * 1024));
  const pages =
    cache && cacheStore
      ? new PageCache(cacheStore, { closedSeconds: cache.closedSeconds ?? 86_400, openSeconds: cache.openSeconds ?? 300 }, { count: (result) => metrics.cacheRequests.inc({ result }) })
      : undefined;
  const clientsFor = clientFactory({
    passthrough: auth.mode === 'passthrough',
    callTimeoutMs: options.callTimeoutMs,
    pages,
    limiter: options.limiter,
    metrics,
    scaleway: { apiUrl: url, secretKey: SECRET, version: options.version ?? 'v2beta1', dispatcher: agents[0], maxOutstanding: connections + queue, now: () => now },
    pdf: { dispatcher: agents[2], maxOutstanding: (options.pdfConcurrency ?? 4) + queue },
    scalr: options.noScalr
      ? undefined
      : {
          baseUrl: `${url}/api/iacp/v3`,
          token: SCALR_TOKEN,
          preferProfile: 'preferProfile' in options ? options.preferProfile : 'preview',
          dispatcher: agents[1],
          maxOutstanding: connections + queue,
        },
  });
  const yoga = createGateway({
    clientsFor,
    metrics,
    logging: options.logging ?? transcriptLogger,
    graphiql: options.graphiql,
    explorer: options.explorer,
    plugins: [recordResponses],
    // Production's defaults, so that every test runs under them.
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    focusExport: options.focusExport,
    requestTimeoutMs: options.requestTimeoutMs,
    auth,
    corsOrigins: options.corsOrigins,
    persisted: options.persisted ?? { manifest: PROJECT_DOCUMENTS, only: false },
    secrets: [SECRET, SCALR_TOKEN, SIGNING_KEY],
    settings: {
      defaultOrganizationId: orgs[0],
      organizationIds: options.organizations === null ? null : new Set(options.organizations ?? orgs),
      now: () => now,
      finopsPageSize: options.finopsPageSize ?? 100,
      finopsMaxIdsPerCall: options.finopsMaxIdsPerCall ?? 50,
      reportSplit: options.reportSplit ?? 8,
      reportBounds: options.reportBounds,
      defaultScalrAccountId: accounts[0],
      scalrAccountIds: options.scalrAccounts === null || options.noScalr ? null : new Set(options.scalrAccounts ?? accounts),
      scalrPageSize: options.scalrPageSize ?? 20,
      totalHints: options.hints ? new TotalHints(options.hintsStore) : undefined,
      keys: options.keys ?? TEST_KEYS,
      pdfLinkTtlSeconds: options.pdfLinkTtlSeconds ?? 300,
      tokenPageLimits: options.tokenPageLimits ?? { pages: 50, emptyPages: 5 },
    },
  });
  const send = async <T>(params: Record<string, unknown>, headers: Record<string, string>): Promise<GraphQLResult<T>> => {
    const body = JSON.stringify(params);
    const res = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      body,
    });
    return (await res.json()) as GraphQLResult<T>;
  };
  const query = <T = any>(text: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => send<T>({ query: text, variables }, headers);
  /** A persisted document by id, as the typed client and Relay send them. */
  const persisted = <T = any>(id: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => send<T>({ documentId: id, variables }, headers);
  return {
    sim,
    yoga,
    query,
    persisted,
    metrics,
    pages,
    orgs,
    accounts,
    async close() {
      await Promise.all(agents.map((a) => a.close()));
      await sim.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * A stack for one test file: started before its tests, closed after them, with faults and the
 * request log cleared before each test. Usable at once; it forwards to the started stack.
 */
export function useStack(options: StackOptions = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(options);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    current!.sim.clearFaults();
    current!.sim.resetLog();
  });
  return new Proxy({} as Stack, { get: (_target, key) => current![key as keyof Stack] });
}
