import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../src/simulator/server.js';
import { startAgainst, startDemo, startGateway } from './helpers/process.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from './helpers/secrets.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `npm start` as a newcomer runs it: the real process, a real socket, demo mode, SIGTERM. */
describe('main', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  let base: string;
  beforeAll(async () => {
    demo = await startDemo();
    base = demo.base;
  });
  afterAll(() => {
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
  });

  it('serves simulated bills in demo mode, and says so loudly', async () => {
    expect(demo.output()).toMatch(/DEMO MODE/);
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organization { invoices(first: 2) { totalCount edges { node { totalTaxed { amount currency } } } } } }' }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.organization.invoices.totalCount).toBe(540);
  });

  it('simulates Scalr too in demo mode', async () => {
    const now = Date.now();
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($from: DateTime!, $to: DateTime!) { scalrAccount { accountId usageStatistics(from: $from, to: $to, total: true) { edges { node { runsCount } } } } }`,
        variables: { from: new Date(now - 30 * 86_400_000).toISOString(), to: new Date(now).toISOString() },
      }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.scalrAccount.accountId).toMatch(/^acc-/);
    expect(body.data.scalrAccount.usageStatistics.edges[0].node.runsCount).toBeGreaterThan(0);
  });

  it('opens GraphiQL with a working example query, without any CDN', async () => {
    const res = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('InvoicesPage');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|esm\.sh/);
  });

  it('answers the health check', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
  });

  it('exits cleanly on SIGTERM', async () => {
    demo.child.kill('SIGTERM');
    const [code] = await once(demo.child, 'exit');
    expect(code).toBe(0);
    expect(demo.output()).toMatch(/SIGTERM/);
  });

  it('refuses to start in production without credentials or signing keys, naming the variables', async () => {
    const prod = startGateway({ NODE_ENV: 'production' });
    const [code] = await once(prod.child, 'exit');
    expect(code).toBe(2);
    expect(prod.output()).toMatch(/SCW_SECRET_KEY is required when NODE_ENV=production/);
    expect(prod.output()).toMatch(/GATEWAY_SIGNING_KEYS is required when NODE_ENV=production/);
    expect(prod.output()).not.toMatch(/DEMO MODE/);
  });
});

describe('the compiled build (what the Docker image runs)', () => {
  const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
  let gateway: Awaited<ReturnType<typeof startAgainst>>;
  beforeAll(async () => {
    // `npx tsc -p tsconfig.build.json`, as the image's build stage.
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
    await sim.listen();
    gateway = await startAgainst(
      { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
      { NODE_ENV: 'production', GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY, PERSISTED_ONLY: 'true', GRAPHIQL: 'false' },
      ['dist/main.js'],
    );
  }, 120_000);
  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await sim.close();
  });

  it('starts in production from dist/, with the trusted documents beside it', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'client/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const [id] = Object.entries(manifest).find(([, text]) => text.includes('query InvoicesPage'))!;
    const res = await fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentId: id, variables: { first: 2 } }) });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.organization.invoices.edges).toHaveLength(2);
    const own = await fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(((await own.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
  });
});
