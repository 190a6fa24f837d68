/**
 * The processes of a benchmark: the simulator in a process of its own (an upstream is never in its
 * client's event loop) and the gateway as the Docker image runs it (production), each measured alone.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatorFacts } from './simulator-process.js';

export const SECRET = '0b9e3a1c-5d2f-4e8a-9c7b-000000be0c11';
export const SCALR_TOKEN = 'bench-scalr-token';
const root = fileURLToPath(new URL('..', import.meta.url));

/** The simulator in a process of its own (bench/simulator-process.ts), and its call log over IPC. */
export interface RemoteSimulator extends SimulatorFacts {
  /** Clears the call log. */
  reset(): Promise<void>;
  /** Calls since the last reset. */
  calls(): Promise<number>;
  close(): Promise<void>;
}

/** A helper process of the benchmark (bench/*.ts, run with tsx), and its messages in order of arrival. */
export function forkHelper(file: string, args: string[], env: Record<string, string> = {}) {
  const child = fork(join(root, 'bench', file), args, { cwd: root, execArgv: ['--import', 'tsx'], env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env } });
  const waiting: { resolve: (m: any) => void; reject: (e: Error) => void }[] = [];
  child.on('message', (m) => waiting.shift()?.resolve(m));
  child.once('exit', (code) => waiting.splice(0).forEach((w) => w.reject(new Error(`bench/${file} exited (${code})`))));
  return {
    child,
    next: () => new Promise<any>((resolve, reject) => waiting.push({ resolve, reject })),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/** `chargesPerOrg`: the simulator's size switch (SIM_CHARGES_PER_ORG). */
export async function startSimulator(latencyMs: number, chargesPerOrg?: number): Promise<RemoteSimulator> {
  const { child, next, close } = forkHelper('simulator-process.ts', [String(latencyMs), SECRET, SCALR_TOKEN], chargesPerOrg ? { SIM_CHARGES_PER_ORG: String(chargesPerOrg) } : {});
  const facts = (await next()) as SimulatorFacts;
  // One question at a time, between runs: never inside a timed section.
  const ask = async (type: 'reset' | 'calls') => {
    const answer = next();
    child.send({ type });
    return ((await answer) as { calls: number }).calls;
  };
  return {
    ...facts,
    reset: async () => void (await ask('reset')),
    calls: () => ask('calls'),
    close,
  };
}

/**
 * Starts the gateway as its own process (its RSS is measured alone), pointed at the simulator.
 * `env` is laid over the defaults below; a variable given as undefined is unset (e.g. the cache TTLs,
 * back to the gateway's own defaults).
 */
export async function startGateway(sim: RemoteSimulator, profileDir?: string, env: Record<string, string | undefined> = {}): Promise<{ child: ChildProcess; url: string }> {
  const orgs = sim.organizations;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const home = mkdtempSync(join(tmpdir(), 'bench-'));
  // BENCH_COMPILED=1 runs the compiled build (`npx tsc -p tsconfig.build.json`), as the Docker image does.
  const entry = process.env.BENCH_COMPILED === '1' ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, [...profile, ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), ...entry], {
    cwd: process.env.BENCH_GATEWAY_ROOT ?? root,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      XDG_CONFIG_HOME: home,
      SCW_SECRET_KEY: SECRET,
      SCW_API_URL: sim.url,
      SCW_DEFAULT_ORGANIZATION_ID: orgs[0],
      BILLING_GRAPH_ORGANIZATION_IDS: orgs.join(','),
      SCALR_HOSTNAME: sim.url,
      SCALR_TOKEN,
      SCALR_ACCOUNT_ID: sim.scalrAccounts[0],
      GATEWAY_AUTH: 'none',
      GATEWAY_SIGNING_KEYS: randomBytes(32).toString('base64url'),
      UPSTREAM_RETRIES: '0',
      // Scenarios A–D measure the gateway's own work on every call: no cache of answers (the
      // cache scenario sets its own).
      CACHE_TTL_OPEN_SECONDS: '0',
      CACHE_TTL_CLOSED_SECONDS: '0',
      // As deployed (the Docker image sets it): graphql-js skips its development-mode checks.
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.once('exit', () => rmSync(home, { recursive: true, force: true }));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  for (let i = 0; i < 400; i++) {
    const m = /listening on (http:\/\/[^\s]+\/graphql)/.exec(out);
    if (m) return { child, url: m[1]! };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill();
  throw new Error(`the gateway did not start:\n${out}`);
}


/**
 * The dashboard of scenario D (bench/run.ts), for the benchmarks that open it: every connection,
 * the consumption and Scalr totals. The text is scenario D's, character for character.
 */
export const DASHBOARD_QUERY = `query($c: ChargeFilter!, $from: DateTime!, $to: DateTime!) {
            organization {
              invoices(first: 10) { edges { node { number totalTaxed { amount currency } } } }
              consumptions(first: 20) { totals { amount currency } edges { node { categoryName value { amount } } } }
              discounts(first: 10) { edges { node { description valueRemaining } } }
              charges(first: 100, filter: $c) { edges { node { resourceName price { amount } } } }
            }
            scalrAccount { usageStatistics(from: $from, to: $to, breakdownBy: WORKSPACE, first: 50) { totalRunsCount totalRunsSeconds edges { node { breakdownName runsCount } } } }
          }`;

/** Scenario D's variables: the charges of the last seven whole days, Scalr usage of the last 30. */
export function dashboardVariables(now = Date.now()): { c: { startDateAfter: string; endDateBefore: string }; from: string; to: string } {
  const day = 86_400_000;
  const midnight = now - (now % day);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { c: { startDateAfter: iso(midnight - 8 * day), endDateBefore: iso(midnight - day) }, from: iso(midnight - 30 * day), to: iso(midnight) };
}
