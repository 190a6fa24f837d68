import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm start` as a newcomer runs it: the real process, a real socket, demo mode, SIGTERM. */
const root = fileURLToPath(new URL('..', import.meta.url));

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCW_') && !k.startsWith('SCALR_') && k !== 'NODE_ENV'));
  // An empty config home: a developer's own Scaleway CLI profile must not turn demo mode off here.
  const home = mkdtempSync(join(tmpdir(), 'billing-graph-home-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...clean, XDG_CONFIG_HOME: home, HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  return { child, output: () => text };
}

async function waitFor(output: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('main', () => {
  let demo: ReturnType<typeof start>;
  let base: string;
  beforeAll(async () => {
    demo = start({});
    const m = await waitFor(demo.output, /listening on (http:\/\/[^/]+)\/graphql/);
    base = m[1]!;
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
    expect(html).toContain('LatestInvoices');
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

  it('refuses to start in production without credentials, naming the variable', async () => {
    const prod = start({ NODE_ENV: 'production' });
    const [code] = await once(prod.child, 'exit');
    expect(code).toBe(2);
    expect(prod.output()).toMatch(/SCW_SECRET_KEY is required when NODE_ENV=production/);
    expect(prod.output()).not.toMatch(/DEMO MODE/);
  });
});
