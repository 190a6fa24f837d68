import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { createGateway } from './gateway.js';
import { Simulator } from './simulator/server.js';
import { clientFactory } from './clients.js';
import { TotalHints } from './pagination/totals.js';
import { Keyring } from './lib/keys.js';
import { Secrets } from './http/redaction.js';
import { loadManifests, type Manifest, PROJECT_MANIFESTS } from './http/persisted.js';
import { createAgent } from './upstreams/pool.js';

/**
 * The crash guard: a promise rejected with nobody to hear it is a bug, but one request's bug must
 * not take every other request down. It is logged (once per kind of error, never a secret: the
 * message is redacted like any log line) and the process goes on. An exception thrown outside any
 * promise leaves the process in an unknown state: it is logged and the process exits (1), for the
 * orchestrator to restart it.
 */
function guard(redact: (text: string) => string): void {
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    console.error(redact(`Unhandled rejection (the process goes on): ${text}`));
  });
  process.on('uncaughtException', (error) => {
    console.error(redact(`Uncaught exception, exiting: ${error.stack ?? error.message}`));
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

  let simulator: Simulator | undefined;
  let scaleway = config.scaleway;
  let scalr = config.scalr;
  let organizationIds: string[] = [...config.scaleway.organizationIds];
  if (config.demo) {
    // Fresh random credentials per start: the simulator is reachable on loopback only, and they are never printed.
    const secretKey = randomUUID();
    const scalrToken = randomUUID();
    simulator = new Simulator({ scalewaySecretKey: secretKey, scalrToken });
    const apiUrl = await simulator.listen(0, '127.0.0.1');
    organizationIds = simulator.data.organizations.map((o) => o.id);
    scaleway = { ...scaleway, apiUrl, secretKey, defaultOrganizationId: organizationIds[0], organizationIds };
    const accounts = simulator.data.scalrAccounts.map((a) => a.id);
    // In demo mode everything is simulated, Scalr too: never a mix of real and simulated figures.
    scalr = { baseUrl: `${apiUrl}/api/iacp/v3`, token: scalrToken, defaultAccountId: accounts[0], accountIds: accounts, preferProfile: 'preview', pageSize: 100 };
    console.warn(
      [
        '',
        '*** DEMO MODE: no SCW_SECRET_KEY is set, so every number served is SIMULATED (Scaleway and Scalr alike). ***',
        `*** Upstream simulator on ${apiUrl}; organizations: ${organizationIds.join(', ')}; Scalr accounts: ${accounts.join(', ')} ***`,
        '*** Set SCW_SECRET_KEY (and SCW_DEFAULT_ORGANIZATION_ID) for real bills. NODE_ENV=production refuses demo mode. ***',
        '',
      ].join('\n'),
    );
  }

  const ownSecrets = [scaleway.secretKey, scalr?.token, ...(config.signingKeys ?? [])];
  const logRedactor = new Secrets(ownSecrets).redactor('log');
  guard((text) => logRedactor.redact(text));

  let keys: Keyring;
  if (config.signingKeys) keys = new Keyring(config.signingKeys);
  else {
    // Outside production only (config refuses production without keys).
    keys = Keyring.random();
    console.warn('GATEWAY_SIGNING_KEYS is not set: cursors and invoice links are signed with a random key, and stop working when this process restarts.');
  }
  let manifest: Manifest;
  try {
    manifest = loadManifests(PROJECT_MANIFESTS);
  } catch (error) {
    console.error(`Persisted documents: ${(error as Error).message}`);
    process.exit(2);
  }

  // One pool per upstream, invoice PDFs apart: its connections are the calls in flight to it.
  const { concurrency } = config;
  const agents = {
    scaleway: createAgent(config.timeouts, config.retry, concurrency.scaleway),
    scalr: createAgent(config.timeouts, config.retry, concurrency.scalr),
    pdf: createAgent(config.timeouts, config.retry, concurrency.pdf),
  };
  const scalrServed = new Set([...(scalr?.accountIds ?? []), ...(scalr?.defaultAccountId ? [scalr.defaultAccountId] : [])]);
  const served = new Set([...organizationIds, ...(scaleway.defaultOrganizationId ? [scaleway.defaultOrganizationId] : [])]);
  const passthrough = config.auth.mode === 'passthrough';
  const clientsFor = clientFactory({
    passthrough,
    callTimeoutMs: config.deadlines.callMs,
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
  const yoga = createGateway({
    clientsFor,
    graphiql: config.graphiql,
    limits: config.limits,
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
      defaultScalrAccountId: scalr?.defaultAccountId,
      scalrAccountIds: scalrServed.size > 0 ? scalrServed : null,
      scalrPageSize: scalr?.pageSize ?? 100,
      totalHints: new TotalHints(),
      keys,
      pdfLinkTtlSeconds: config.pdfLinkTtlSeconds,
      tokenPageLimits: { pages: config.finops.maxPages, emptyPages: config.finops.maxEmptyPages },
    },
  });

  const server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  console.log(`billing-graph listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql (Scaleway Billing ${scaleway.billingApiVersion})`);
  const auth = config.demo ? 'none' : config.auth.mode;
  if (auth === 'none') console.warn(`Callers are not authenticated (GATEWAY_AUTH=none${config.demo ? ', demo mode' : ''}): anyone who reaches this port reads these bills.`);
  else console.log(`Callers authenticate with ${auth === 'tokens' ? `gateway tokens (${config.auth.tokens.length})` : 'their own upstream credentials (passthrough)'}.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then exiting`);
    // Stop accepting, let in-flight requests finish, then release upstream connections.
    server.close(() => {
      void Promise.all([...Object.values(agents).map((a) => a.close()), simulator?.close()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
