import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { YogaLogger } from 'graphql-yoga';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { createGateway } from './gateway.js';
import { Simulator } from './simulator/server.js';
import { clientFactory } from './clients.js';
import { TotalHints } from './pagination/totals.js';
import { Keyring } from './lib/keys.js';
import { Secrets } from './http/redaction.js';
import { loadManifests, type Manifest, PROJECT_MANIFESTS } from './http/persisted.js';
import { type AgentHooks, createAgent } from './upstreams/pool.js';
import { limitKey } from './upstreams/http.js';
import { type FleetState, openFleet } from './fleet/open.js';
import { Metrics } from './observe/metrics.js';
import { jsonLogger } from './observe/log.js';
import { startTracing } from './observe/trace.js';

/**
 * The crash guard: a promise rejected with nobody to hear it is a bug, but one request's bug must
 * not take every other request down. It is logged (once per kind of error, never a secret: the
 * message is redacted like any log line) and the process goes on. An exception thrown outside any
 * promise leaves the process in an unknown state: it is logged and the process exits (1), for the
 * orchestrator to restart it.
 */
function guard(redact: (text: string) => string, log: YogaLogger): void {
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    log.error(redact(`Unhandled rejection (the process goes on): ${text}`));
  });
  process.on('uncaughtException', (error) => {
    log.error(redact(`Uncaught exception, exiting: ${error.stack ?? error.message}`));
    process.exit(1);
  });
}

/** Process entry: config → (demo simulator) → clients → gateway → listen; SIGTERM closes cleanly. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }

  const log = jsonLogger();
  // Before anything makes a span.
  const stopTracing = config.fleet.otel ? await startTracing(config.fleet.otel) : undefined;
  if (config.fleet.otel) log.info(`Traces go to ${config.fleet.otel.endpoint} as ${config.fleet.otel.serviceName}`);
  let simulator: Simulator | undefined;
  let scaleway = config.scaleway;
  let scalr = config.scalr;
  let organizationIds: string[] = [...config.scaleway.organizationIds];
  if (config.demo) {
    // Fresh random credentials per start: the simulator is reachable on loopback only, and they are never printed.
    const secretKey = randomUUID();
    const scalrToken = randomUUID();
    simulator = new Simulator({ scalewaySecretKey: secretKey, scalrToken, chargesPerOrg: config.simChargesPerOrg || undefined });
    const apiUrl = await simulator.listen(0, '127.0.0.1');
    organizationIds = simulator.data.organizations.map((o) => o.id);
    scaleway = { ...scaleway, apiUrl, secretKey, defaultOrganizationId: organizationIds[0], organizationIds };
    const accounts = simulator.data.scalrAccounts.map((a) => a.id);
    // In demo mode everything is simulated, Scalr too: never a mix of real and simulated figures.
    scalr = { baseUrl: `${apiUrl}/api/iacp/v3`, token: scalrToken, defaultAccountId: accounts[0], accountIds: accounts, preferProfile: 'preview', pageSize: 100 };
    log.warn(
      { simulator: apiUrl, organizations: organizationIds, scalrAccounts: accounts },
      'DEMO MODE: no SCW_SECRET_KEY is set, so every number served is SIMULATED (Scaleway and Scalr alike). Set SCW_SECRET_KEY (and SCW_DEFAULT_ORGANIZATION_ID) for real bills; NODE_ENV=production refuses demo mode.',
    );
  }

  // Redis's password (in REDIS_URL) is one of the gateway's secrets too.
  const redisPassword = config.fleet.redisUrl ? decodeURIComponent(new URL(config.fleet.redisUrl).password) || undefined : undefined;
  const ownSecrets = [scaleway.secretKey, scalr?.token, ...(config.signingKeys ?? []), redisPassword];
  const logRedactor = new Secrets(ownSecrets).redactor('log');
  guard((text) => logRedactor.redact(text), log);

  let keys: Keyring;
  if (config.signingKeys) keys = new Keyring(config.signingKeys);
  else {
    // Outside production only (config refuses production without keys).
    keys = Keyring.random();
    log.warn('GATEWAY_SIGNING_KEYS is not set: cursors and invoice links are signed with a random key, and stop working when this process restarts.');
  }
  let manifest: Manifest;
  try {
    manifest = loadManifests(PROJECT_MANIFESTS);
  } catch (error) {
    log.error(`Persisted documents: ${(error as Error).message}`);
    process.exit(2);
  }

  // One pool per upstream, invoice PDFs apart: its connections are the calls in flight to it.
  const { concurrency } = config;
  const metrics = new Metrics();
  let fleet: FleetState | undefined;
  const hooks = (upstream: 'scaleway' | 'scalr'): AgentHooks => ({
    onRetry: (reason) => metrics.upstreamRetries.inc({ upstream, reason }),
    // The credential a 429 was for, as the call sent it: Scaleway's header, Scalr's bearer token.
    onRateLimited: (headers, ms) => {
      const credential = upstream === 'scaleway' ? headers?.['x-auth-token'] : headers?.authorization?.replace(/^Bearer /, '');
      fleet?.limiter.pause(limitKey(upstream, credential), ms);
    },
  });
  const agents = {
    scaleway: createAgent(config.timeouts, config.retry, concurrency.scaleway, hooks('scaleway')),
    scalr: createAgent(config.timeouts, config.retry, concurrency.scalr, hooks('scalr')),
    pdf: createAgent(config.timeouts, config.retry, concurrency.pdf, hooks('scaleway')),
  };
  fleet = openFleet(config.fleet, keys, metrics, { warn: (text) => log.warn(logRedactor.redact(text)), info: (text) => log.info(text) }, {
    // Keys are `<upstream>\n<credential hash>`: the caps are the upstream's.
    caps: (key) =>
      key.startsWith('scalr\n') ? { concurrency: concurrency.scalr, rps: config.fleet.maxRps.scalr } : { concurrency: concurrency.scaleway, rps: config.fleet.maxRps.scaleway },
    // A slot outlives no call: connect, headers and body timeouts together.
    leaseMs: config.timeouts.connect + config.timeouts.headers + config.deadlines.callMs,
  });
  const scalrServed = new Set([...(scalr?.accountIds ?? []), ...(scalr?.defaultAccountId ? [scalr.defaultAccountId] : [])]);
  const served = new Set([...organizationIds, ...(scaleway.defaultOrganizationId ? [scaleway.defaultOrganizationId] : [])]);
  const passthrough = config.auth.mode === 'passthrough';
  const clientsFor = clientFactory({
    passthrough,
    callTimeoutMs: config.deadlines.callMs,
    pages: fleet.pages,
    limiter: fleet.limiter,
    metrics,
    scaleway: {
      apiUrl: scaleway.apiUrl,
      secretKey: scaleway.secretKey,
      version: scaleway.billingApiVersion,
      dispatcher: agents.scaleway,
      maxOutstanding: concurrency.scaleway + concurrency.queue,
    },
    pdf: { dispatcher: agents.pdf, maxOutstanding: concurrency.pdf + concurrency.queue },
    scalr:
      scalr || passthrough
        ? {
            baseUrl: scalr?.baseUrl ?? config.scalrBaseUrl,
            token: scalr?.token,
            preferProfile: scalr?.preferProfile,
            dispatcher: agents.scalr,
            maxOutstanding: concurrency.scalr + concurrency.queue,
          }
        : undefined,
  });
  let ready = true;
  const yoga = createGateway({
    clientsFor,
    logging: log,
    metrics,
    metricsElsewhere: config.fleet.metricsPort !== undefined,
    ready: () => ready,
    graphiql: config.graphiql,
    explorer: config.explorer,
    limits: config.limits,
    focusExport: config.focusExport,
    requestTimeoutMs: config.deadlines.requestMs,
    // Demo mode serves simulated data: it runs open, and says so.
    auth: config.demo ? { mode: 'none', tokens: [] } : config.auth,
    corsOrigins: config.corsOrigins,
    persisted: { manifest, only: config.persistedOnly },
    secrets: ownSecrets,
    settings: {
      defaultOrganizationId: scaleway.defaultOrganizationId,
      organizationIds: served.size > 0 ? served : null,
      publicUrl: config.publicUrl,
      now: () => new Date(),
      finopsPageSize: config.finops.pageSize,
      finopsMaxIdsPerCall: config.finops.resourceIdsPerCall,
      reportSplit: config.finops.reportSplit,
      defaultScalrAccountId: scalr?.defaultAccountId,
      scalrAccountIds: scalrServed.size > 0 ? scalrServed : null,
      scalrPageSize: scalr?.pageSize ?? 100,
      // A total only plans reads: it is kept even where no answer is (both TTLs 0), five minutes then.
      totalHints: new TotalHints(fleet.store, config.fleet.cache.openTtlSeconds || 300),
      keys,
      pdfLinkTtlSeconds: config.pdfLinkTtlSeconds,
      tokenPageLimits: { pages: config.finops.maxPages, emptyPages: config.finops.maxEmptyPages },
    },
  });

  await fleet.started;
  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  log.info(`billing-graph listening on http://${shown}:${port}/graphql (Scaleway Billing ${scaleway.billingApiVersion})`);
  if (config.explorer && !passthrough) log.info(`Cost explorer on http://${shown}:${port}/`);
  else if (config.explorer) log.info('No cost explorer with GATEWAY_AUTH=passthrough: the page does not ask a browser for Scaleway keys.');
  // Metrics on a port of their own: public there (a scraper holds no gateway token), nothing else served.
  const metricsServer =
    config.fleet.metricsPort === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
            res.writeHead(404).end();
            return;
          }
          void metrics.registry.metrics().then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
        });
  if (metricsServer) {
    await new Promise<void>((resolve) => metricsServer.listen(config.fleet.metricsPort, config.host, resolve));
    const m = metricsServer.address();
    log.info(`metrics on http://${shown}:${typeof m === 'object' && m ? m.port : config.fleet.metricsPort}/metrics`);
  }
  const auth = config.demo ? 'none' : config.auth.mode;
  if (auth === 'none') log.warn(`Callers are not authenticated (GATEWAY_AUTH=none${config.demo ? ', demo mode' : ''}): anyone who reaches this port reads these bills.`);
  else log.info(`Callers authenticate with ${auth === 'tokens' ? `gateway tokens (${config.auth.tokens.length})` : 'their own upstream credentials (passthrough)'}.`);
  log.info(config.fleet.redisUrl ? 'Cache, totals and the upstream budget shared through Redis' : `Cache in process (CACHE_MAX_MB ${config.fleet.cache.maxBytes / 1024 / 1024})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // /ready answers 503 first, so that load balancers stop sending; then the drain.
    ready = false;
    log.info(`${signal}: not ready; draining in ${config.fleet.drainDelayMs} ms, then finishing in-flight requests and exiting`);
    setTimeout(() => {
      // Stop accepting, let in-flight requests finish, then release upstream connections and Redis.
      server.close(() => {
        void Promise.all([...Object.values(agents).map((a) => a.close()), simulator?.close(), fleet.store.close().catch(() => undefined), stopTracing?.().catch(() => undefined)]).then(() => process.exit(0));
      });
      metricsServer?.close();
      server.closeIdleConnections();
    }, config.fleet.drainDelayMs).unref();
    // A request in flight ends by its deadline at the latest: the drain waits that long, and a little more.
    setTimeout(() => process.exit(1), config.fleet.drainDelayMs + config.deadlines.requestMs + 5_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
