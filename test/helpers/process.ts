import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { record } from './transcript.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `npm start` as a newcomer runs it (no Scaleway or Scalr variables), on a free loopback port; or,
 * with `entry`, another entry point (the compiled `dist/main.js` the Docker image runs).
 */
export function startGateway(env: Record<string, string> = {}, entry: string[] = ['--import', 'tsx', 'src/main.ts']): { child: ChildProcess; output: () => string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCW_') && !k.startsWith('SCALR_') && k !== 'NODE_ENV'));
  // An empty config home: a developer's own Scaleway CLI profile must not turn demo mode off here.
  const home = mkdtempSync(join(tmpdir(), 'billing-graph-home-'));
  const child = spawn(process.execPath, entry, {
    cwd: root,
    env: { ...clean, XDG_CONFIG_HOME: home, HOST: '127.0.0.1', PORT: '0', ...env },
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  child.on('exit', () => {
    record('process output', text);
    rmSync(home, { recursive: true, force: true });
  });
  return { child, output: () => text };
}

export async function waitFor(output: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the gateway in demo mode and resolves with its base URL once it listens. */
export async function startDemo(): Promise<{ child: ChildProcess; output: () => string; base: string }> {
  const gateway = startGateway();
  const m = await waitFor(gateway.output, /listening on (http:\/\/[^/]+)\/graphql/);
  return { ...gateway, base: m[1]! };
}

/**
 * The real gateway process (`src/main.ts`) pointed at a simulator running in the test, as a
 * deployment is pointed at Scaleway and Scalr: real credentials, no demo mode. Resolves with its
 * base URL once it listens.
 */
export async function startAgainst(
  upstream: { url: string; secret: string; scalrToken: string; organizations: string[]; scalrAccounts: string[] },
  env: Record<string, string> = {},
  entry?: string[],
): Promise<{ child: ChildProcess; output: () => string; base: string }> {
  const gateway = startGateway({
    SCW_SECRET_KEY: upstream.secret,
    SCW_API_URL: upstream.url,
    SCW_DEFAULT_ORGANIZATION_ID: upstream.organizations[0]!,
    BILLING_GRAPH_ORGANIZATION_IDS: upstream.organizations.join(','),
    SCALR_HOSTNAME: upstream.url,
    SCALR_TOKEN: upstream.scalrToken,
    SCALR_ACCOUNT_ID: upstream.scalrAccounts[0]!,
    SCALR_ACCOUNT_IDS: upstream.scalrAccounts.join(','),
    UPSTREAM_RETRIES: '0',
    // A cold gateway, as the in-process stack: a fault injected after a first read must be met.
    CACHE_TTL_OPEN_SECONDS: '0',
    CACHE_TTL_CLOSED_SECONDS: '0',
    ...env,
  }, entry);
  const m = await waitFor(gateway.output, /listening on (http:\/\/[^/]+)\/graphql/);
  return { ...gateway, base: m[1]! };
}
