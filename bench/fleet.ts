/**
 * `npm run bench:fleet`: a dashboard opened by many users at once over two replicas sharing Redis,
 * against the same two replicas without a cache.
 *
 *   npm run bench:fleet -- [--latency 25] [--rounds 5] [--users 20]
 *
 * Processes beside this one: the simulator (bench/simulator-process.ts, a fixed latency on every
 * upstream call, counting them), a real redis-server on a free loopback port (a temp dir of its own,
 * nothing saved), two gateways on it with the cache at its default TTLs, and two gateways without
 * cache (TTLs 0, no Redis). The users are concurrent HTTP clients (a connection each, opened before
 * any measure), alternately on the first and second replica of a pair, all started at once; each
 * opens scenario D's dashboard (bench/run.ts).
 *
 * A round: one dashboard alone without cache (its upstream calls are one walk, the bar below) and
 * one alone on a Redis replica just after FLUSHALL (reference); with cache, Redis flushed, a cold
 * burst (the upstream calls it made, counted by the simulator, and each user's wall time) then a
 * warm burst (the same users again); without cache, two bursts the same way. Which pair goes first alternates from round to round. The table shows
 * the median over the rounds of each figure. PASS when no cold burst with cache made more upstream
 * calls than one dashboard opened alone (the single-flight claim: however many users at once, over
 * however many replicas, one walk); the exit code is non-zero otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'undici';
import { DASHBOARD_QUERY, dashboardVariables, type RemoteSimulator, startGateway, startSimulator } from './processes.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};
const latencyMs = arg('latency', 25);
const rounds = Math.max(1, arg('rounds', 5));
const users = Math.max(1, arg('users', 20));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const max = (xs: number[]) => Math.max(...xs);

// Everything started here, stopped at the end, also on error or Ctrl-C.
const children: ChildProcess[] = [];
const clients: Client[] = [];
const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
let sim: RemoteSimulator | undefined;
let redis: Redis | undefined;

/** Stops everything once; every caller (the end, an error, a signal) waits for the same stop. */
let stopping: Promise<void> | undefined;
const stopAll = () => (stopping ??= stopEverything());
async function stopEverything() {
  await Promise.all(clients.splice(0).map((c) => c.destroy().catch(() => undefined)));
  redis?.disconnect();
  redis = undefined;
  // SIGTERM first (the gateway drains at once: DRAIN_DELAY_MS=0; redis-server exits), SIGKILL after 5 s.
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(late);
    }),
  );
  const s = sim;
  sim = undefined;
  if (s) await Promise.race([s.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  rmSync(dir, { recursive: true, force: true });
}
// Last resort if this process exits another way: nothing is left running, nothing on disk.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping every process started`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real redis-server on a free loopback port, its own dir, nothing saved (as test/helpers/redis.ts, which bench/ does not import). */
async function startRedis(): Promise<string> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.once('error', (e) => (out += String(e)));
  for (const until = Date.now() + 10_000; !/Ready to accept connections/.test(out); ) {
    if (Date.now() > until || child.exitCode !== null || /ENOENT/.test(out)) throw new Error(`redis-server did not start (apt-get install -y redis-server):\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return `redis://127.0.0.1:${port}`;
}

interface User {
  replica: number;
  client: Client;
  /** The process of its replica (for its CPU time). */
  pid: number;
}
interface Burst {
  calls: number;
  /** Wall time of each user, ms (from the common start to the last byte of its answer). */
  times: number[];
  /** The same by replica. */
  byReplica: number[][];
  /** CPU time of the replicas the users reached, summed, ms (Linux only). */
  cpuMs?: number;
}

/** User + system CPU time of a process, ms; undefined off Linux. */
function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
const cpuOfAll = (pids: number[]) => pids.reduce<number | undefined>((sum, pid) => (sum === undefined ? undefined : ((c) => (c === undefined ? undefined : sum + c))(cpuOf(pid))), 0);

const body = () => JSON.stringify({ query: DASHBOARD_QUERY, variables: dashboardVariables() });

async function open(user: User, text: string, started: number): Promise<number> {
  const res = await user.client.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  const json = (await res.body.json()) as { data?: { organization?: { invoices?: { edges?: unknown[] } } }; errors?: unknown[] };
  const elapsed = performance.now() - started;
  if (res.statusCode !== 200 || json.errors || !json.data?.organization?.invoices?.edges?.length) throw new Error(`replica ${user.replica + 1} answered ${res.statusCode}: ${JSON.stringify(json).slice(0, 500)}`);
  return elapsed;
}

/** Every user opens the dashboard at the same moment; the simulator counts the upstream calls of the burst. */
async function burst(group: User[]): Promise<Burst> {
  const text = body();
  const pids = [...new Set(group.map((u) => u.pid))];
  await sim!.reset();
  const cpuBefore = cpuOfAll(pids);
  const started = performance.now();
  const times = await Promise.all(group.map((u) => open(u, text, started)));
  const cpuAfter = cpuOfAll(pids);
  const calls = await sim!.calls();
  const byReplica = [0, 1].map((r) => times.filter((_, i) => group[i]!.replica === r));
  return { calls, times, byReplica, cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

async function main(): Promise<boolean> {
  console.log(`billing-graph fleet benchmark: ${users} users at once over 2 replicas, upstream latency ${latencyMs} ms, ${rounds} rounds, Node ${process.version}, ${process.platform}/${process.arch}`);
  sim = await startSimulator(latencyMs);
  const redisUrl = await startRedis();
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  // The replicas of a fleet share their signing keys: Redis keys are MACs and values sealed under them.
  const shared = { GATEWAY_SIGNING_KEYS: randomBytes(32).toString('base64url'), DRAIN_DELAY_MS: '0' };
  // With cache: Redis, and the gateway's own TTLs (startGateway's 0 overrides unset).
  const cachedEnv = { ...shared, REDIS_URL: redisUrl, CACHE_TTL_OPEN_SECONDS: undefined, CACHE_TTL_CLOSED_SECONDS: undefined };
  const start = async (env: Record<string, string | undefined>) => {
    const g = await startGateway(sim!, undefined, env);
    children.push(g.child);
    return g;
  };
  const cached = [await start(cachedEnv), await start(cachedEnv)];
  // Without cache: startGateway's defaults (both TTLs 0), no Redis.
  const uncached = [await start(shared), await start(shared)];

  // A connection per user and replica pair, opened (one cheap query) before anything is measured.
  const usersOf = async (pair: { url: string; child: ChildProcess }[]) => {
    const group: User[] = [];
    for (let i = 0; i < users; i++) {
      const replica = i % 2;
      const client = new Client(new URL(pair[replica]!.url).origin, { pipelining: 1, keepAliveTimeout: 600_000 });
      clients.push(client);
      group.push({ replica, client, pid: pair[replica]!.child.pid! });
    }
    await Promise.all(
      group.map(async (u) => {
        const res = await u.client.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
        await res.body.text();
      }),
    );
    return group;
  };
  const withCache = await usersOf(cached);
  const withoutCache = await usersOf(uncached);

  // One dashboard opened alone, no cache: the walk (its upstream calls) the cold burst is held to.
  const alone = (): Promise<Burst> => burst([withoutCache[0]!]);
  // For reference: one dashboard alone on a replica with Redis, Redis flushed (what the cache costs without contention).
  const aloneCold = async (): Promise<Burst> => {
    await redis!.flushall();
    return burst([withCache[0]!]);
  };
  // Warm-up, not measured: each process's JIT (five bursts each, cold and warm), then Redis emptied.
  for (let i = 0; i < 5; i++) {
    if (i % 2 === 0) await redis.flushall();
    await burst(withCache);
    await burst(withoutCache);
  }
  await redis.flushall();

  const results = { alone: [] as Burst[], aloneCold: [] as Burst[], cold: [] as Burst[], warm: [] as Burst[], off1: [] as Burst[], off2: [] as Burst[] };
  for (let round = 0; round < rounds; round++) {
    const cachedRound = async () => {
      await redis!.flushall();
      results.cold.push(await burst(withCache));
      results.warm.push(await burst(withCache));
    };
    const uncachedRound = async () => {
      results.off1.push(await burst(withoutCache));
      results.off2.push(await burst(withoutCache));
    };
    results.alone.push(await alone());
    results.aloneCold.push(await aloneCold());
    if (round % 2 === 0) {
      await cachedRound();
      await uncachedRound();
    } else {
      await uncachedRound();
      await cachedRound();
    }
    const c = results.cold.at(-1)!;
    const o = results.off1.at(-1)!;
    console.log(`round ${round + 1}: alone ${results.alone.at(-1)!.calls} calls; with cache cold ${c.calls} calls, median ${median(c.times).toFixed(1)} ms, warm ${results.warm.at(-1)!.calls} calls, median ${median(results.warm.at(-1)!.times).toFixed(1)} ms; without cache ${o.calls} calls, median ${median(o.times).toFixed(1)} ms`);
  }

  const walk = median(results.alone.map((b) => b.calls));
  const row = (name: string, bs: Burst[], n: number) => {
    const calls = bs.map((b) => b.calls);
    const range = Math.min(...calls) === max(calls) ? '' : ` (${Math.min(...calls)}–${max(calls)})`;
    const fig = (f: (xs: number[]) => number) => median(bs.map((b) => f(b.times))).toFixed(1);
    const rep = (r: number) => median(bs.map((b) => median(b.byReplica[r]!))).toFixed(1);
    const cpu = bs.every((b) => b.cpuMs !== undefined) ? median(bs.map((b) => b.cpuMs!)).toFixed(0) : 'n/a';
    return `| ${name} | ${n} | ${median(calls)}${range} | ${fig(median)} | ${fig(p95)} | ${fig(max)} | ${n > 1 ? `${rep(0)} / ${rep(1)}` : '–'} | ${cpu} |`;
  };
  console.log(`\nMedians over ${rounds} rounds (calls: the range over the rounds in brackets when they differ)`);
  console.log('| configuration, burst | users | upstream calls | median ms | p95 ms | max ms | median ms, replica 1 / 2 | gateway CPU ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(row('one dashboard alone, no cache (one walk)', results.alone, 1));
  console.log(row('one dashboard alone, Redis, cold (reference)', results.aloneCold, 1));
  console.log(row('2 replicas + Redis, cold (Redis flushed)', results.cold, users));
  console.log(row('2 replicas + Redis, warm (same users again)', results.warm, users));
  console.log(row('2 replicas, no cache, first burst', results.off1, users));
  console.log(row('2 replicas, no cache, second burst', results.off2, users));
  console.log('(Latency: per user, from the common start to the last byte of its answer. Gateway CPU: user + system time of the replicas reached, summed, during the burst. No cache: TTLs 0, no Redis; concurrent identical upstream calls in one process still share one call.)');

  const worst = max(results.cold.map((b) => b.calls));
  const over = results.cold.filter((b) => b.calls > walk).length;
  const pass = worst <= walk;
  console.log(`\n${pass ? 'PASS' : 'FAIL'}  ${users} users at once over 2 replicas with Redis make one walk: cold bursts made ${results.cold.map((b) => b.calls).join(', ')} upstream calls (${over} of ${rounds} over one walk), one dashboard alone ${walk}`);
  return pass;
}

let pass = false;
try {
  pass = await main();
} catch (error) {
  // After a signal, requests fail as their connections close: not the error to show.
  if (!stopping) console.error(error);
} finally {
  await stopAll();
}
process.exit(pass ? 0 : 1);
