import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, startGateway } from './helpers/process.js';

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

  it('refuses to start in production without credentials, naming the variable', async () => {
    const prod = startGateway({ NODE_ENV: 'production' });
    const [code] = await once(prod.child, 'exit');
    expect(code).toBe(2);
    expect(prod.output()).toMatch(/SCW_SECRET_KEY is required when NODE_ENV=production/);
    expect(prod.output()).not.toMatch(/DEMO MODE/);
  });
});
