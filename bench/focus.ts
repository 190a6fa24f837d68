/**
 * `npm run bench:focus`: the memory of a FOCUS CSV export of 100,000+ rows (docs/benchmark.md).
 *
 *   npm run bench:focus -- [--latency 25] [--runs 3] [--charges 330000]     (BENCH_CACHE=1: the cache on)
 *
 * The simulator's size switch (SIM_CHARGES_PER_ORG) puts about `charges` FinOps charges on its
 * first organization over this month and the two before; 330,000 gives last month 100,000 rows or
 * more whatever today's date (~104,000 when last month is a February, ~160,000 on a 2nd of the month).
 * The gateway runs as deployed (its own process, production mode, no cache of answers); the client
 * reads `GET /export/focus.csv?grain=CHARGE` of last month as fast as it can and drops it; then once
 * more stopping for 3 s after 10 MB (the gateway must wait for it, holding a page at most). The
 * gateway's RSS is sampled every 5 ms; its growth is the peak over the RSS after a warm-up export.
 * Target: +50 MB at most. The floor is the same FinOps pages walked by plain undici, bodies dropped:
 * the time the simulator itself takes.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { SECRET, startGateway, startSimulator } from './processes.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const latency = arg('latency', 25);
const runs = arg('runs', 3);
const charges = arg('charges', 330_000);
const TARGET_MB = 50;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const sim = await startSimulator(latency, charges);
// BENCH_CACHE=1: the cache of upstream answers with its defaults (a page is then read whole, its text kept within CACHE_MAX_MB).
const gateway = await startGateway(sim, undefined, process.env.BENCH_CACHE === '1' ? { CACHE_TTL_OPEN_SECONDS: undefined, CACHE_TTL_CLOSED_SECONDS: undefined } : {});
const agent = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
const base = gateway.url.replace(/\/graphql$/, '');
const now = new Date();
const period = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);

/** One export read to its end and dropped (with a pause of `pauseMs` after 10 MB): rows (lines less the header), bytes, ms. */
async function exportOnce(query: string, pauseMs = 0): Promise<{ rows: number; bytes: number; ms: number }> {
  const started = performance.now();
  const res = await request(`${base}/export/focus.csv?${query}`, { dispatcher: agent });
  if (res.statusCode !== 200) throw new Error(`export answered ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
  let bytes = 0;
  let lines = 0;
  let paused = pauseMs === 0;
  for await (const chunk of res.body) {
    const buffer = chunk as Buffer;
    bytes += buffer.length;
    for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10, i + 1)) lines++;
    if (!paused && bytes > 10 * 1_048_576) {
      paused = true;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  return { rows: lines - 1, bytes, ms: performance.now() - started };
}

/** The floor: the same pages walked serially by plain undici, bodies dropped. */
async function floor(): Promise<number> {
  const started = performance.now();
  let token: string | undefined;
  do {
    const q = new URLSearchParams({
      organization_id: sim.organizations[0]!,
      start_date_after: `${period(1)}-01T00:00:00Z`,
      end_date_before: `${period(0)}-01T00:00:00Z`,
      clamp_to_time_range: 'false',
      order_by: 'start_date_asc',
      page_size: '1000',
      ...(token ? { page_token: token } : {}),
    });
    const res = await request(`${sim.url}/billing/v2beta1/charges?${q}`, { dispatcher: agent, headers: { 'x-auth-token': SECRET } });
    token = ((await res.body.json()) as { next_page_token?: string }).next_page_token || undefined;
  } while (token);
  return performance.now() - started;
}

try {
  const pid = gateway.child.pid!;
  // Warm-up: this month's charges (a few days) and last month's consumption, both grains' code paths.
  await exportOnce(`billingPeriod=${period(0)}&grain=CHARGE`);
  await exportOnce(`billingPeriod=${period(1)}&grain=CONSUMPTION`);
  const idle = rssMb(pid);
  console.log(`simulator: ${charges} charges; gateway RSS after warm-up ${idle.toFixed(0)} MB`);
  console.log(`\n| run | rows | CSV MB | upstream calls | seconds (floor) | rows/s | RSS peak MB | growth MB |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- | --- |`);
  let worst = 0;
  let fewest = Infinity;
  for (let run = 1; run <= runs + 1; run++) {
    // The last run stops reading for 3 s after 10 MB.
    const pause = run > runs ? 3_000 : 0;
    await sim.reset();
    let peak = rssMb(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 5);
    const r = await exportOnce(`billingPeriod=${period(1)}&grain=CHARGE`, pause);
    clearInterval(sampler);
    const calls = await sim.calls();
    const floorMs = await floor();
    const growth = peak - idle;
    worst = Math.max(worst, growth);
    fewest = Math.min(fewest, r.rows);
    const name = pause ? `${run} (client stops 3 s)` : String(run);
    console.log(`| ${name} | ${r.rows} | ${(r.bytes / 1_048_576).toFixed(1)} | ${calls} | ${(r.ms / 1000).toFixed(2)} (${(floorMs / 1000).toFixed(2)}) | ${Math.round(r.rows / (r.ms / 1000))} | ${peak.toFixed(0)} | ${growth >= 0 ? "+" : ""}${growth.toFixed(0)} |`);
  }
  const enough = fewest >= 100_000;
  console.log(`\nrows ≥ 100,000: ${enough ? 'yes' : 'NO'}; worst RSS growth +${worst.toFixed(0)} MB: ${worst <= TARGET_MB ? 'PASS' : 'FAIL'} (target ≤ ${TARGET_MB} MB)`);
  process.exitCode = enough && worst <= TARGET_MB ? 0 : 1;
} finally {
  gateway.child.kill('SIGKILL');
  await agent.close();
  await sim.close();
}
