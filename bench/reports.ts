/**
 * `npm run bench:reports`: cost reports over the simulator's size switch (100,000 FinOps charges
 * for one organization over three months), against the floor.
 *
 *   npm run bench:reports -- [--latency 25] [--runs 7] [--charges 100000]
 *
 * 1. chargeReport DAY × PROJECT over last month, against the floor: plain undici walking the same
 *    month's clamped token pages serially (what a token walk is) and summing exactly with BigInt.
 *    Targets: ≤ 0.5× the floor's median time; the gateway's peak RSS growth ≤ 64 MB.
 * 2. consumptionReport by CATEGORY over 12 months (figures only).
 * The two answers are checked equal (totals per currency) before anything is timed.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { SECRET, startGateway, startSimulator } from './processes.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const latency = arg('latency', 25);
const runs = arg('runs', 7);
const charges = arg('charges', 100_000);
const split = arg('split', 8);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const sim = await startSimulator(latency, charges);
const gateway = await startGateway(sim, undefined, { MAX_UPSTREAM_CALLS: '1000', MAX_TOKEN_PAGES: '200', REPORT_SPLIT: String(split), ...(process.env.BENCH_FINOPS_PAGE_SIZE ? { FINOPS_PAGE_SIZE: process.env.BENCH_FINOPS_PAGE_SIZE } : {}), ...(process.env.BENCH_CACHE === '1' ? { CACHE_TTL_OPEN_SECONDS: undefined, CACHE_TTL_CLOSED_SECONDS: undefined } : {}) });
const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
const org = sim.organizations[0]!;
const now = new Date();
const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString();
const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
const period = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);

try {
  const graphql = async (query: string, variables: object) => {
    const res = await request(gateway.url, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.body.json()) as { data?: any; errors?: any[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data;
  };
  const CHARGES = `query($from: DateTime!, $to: DateTime!) { organization { chargeReport(from: $from, to: $to, granularity: DAY, groupBy: [PROJECT]) {
    rowCount totals { amount currency } buckets { start totals { amount currency } } groups(first: 50) { totalCount edges { node { keys { id name } totals { amount currency } series { start totals { amount currency } } } } } } } }`;
  const CONSUMPTION = `query($a: BillingPeriod!, $b: BillingPeriod!) { organization { consumptionReport(fromPeriod: $a, toPeriod: $b, groupBy: [CATEGORY]) {
    rowCount totals { amount currency } buckets { start totals { amount currency } } groups(first: 50) { edges { node { keys { id } totals { amount currency } series { totals { amount currency } } } } } } } }`;

  /** The floor: one serial walk of the month's clamped pages, summed per currency with BigInt. */
  const floor = async () => {
    const sums = new Map<string, bigint>();
    let token: string | undefined;
    let rows = 0;
    do {
      const q = new URLSearchParams({ organization_id: org, start_date_after: from, end_date_before: to, clamp_to_time_range: 'true', page_size: '1000', ...(token ? { page_token: token } : {}) });
      const res = await request(`${sim.url}/billing/v2beta1/charges?${q}`, { dispatcher: agent, headers: { 'x-auth-token': SECRET } });
      const page = (await res.body.json()) as { charges: { price: { currency_code: string; units?: number; nanos?: number } }[]; next_page_token?: string };
      for (const c of page.charges) {
        const n = BigInt(c.price.units ?? 0) * 1_000_000_000n + BigInt(c.price.nanos ?? 0);
        sums.set(c.price.currency_code, (sums.get(c.price.currency_code) ?? 0n) + n);
      }
      rows += page.charges.length;
      token = page.next_page_token || undefined;
    } while (token);
    return { sums, rows };
  };

  // Equal answers first.
  const want = await floor();
  const got = (await graphql(CHARGES, { from, to })).organization.chargeReport;
  const text = (n: bigint) => `${n < 0n ? '-' : ''}${(n < 0n ? -n : n) / 1_000_000_000n}.${((n < 0n ? -n : n) % 1_000_000_000n).toString().padStart(9, '0')}`.replace(/\.?0+$/, '');
  const floorTotals = [...want.sums].sort().map(([c, n]) => `${c} ${text(n)}`).join(', ');
  const gatewayTotals = got.totals.map((m: any) => `${m.currency} ${m.amount}`).join(', ');
  console.log(`chargeReport ${from.slice(0, 7)}: ${got.rowCount} charges (floor ${want.rows}), ${got.groups.totalCount} projects, ${got.buckets.length} days; totals ${gatewayTotals}`);
  // Sub-windows come back as clamped pieces, each prorated and rounded to the nano by the upstream:
  // the totals may differ from one walk's by half a nano per piece at most.
  for (const m of got.totals as { amount: string; currency: string }[]) {
    const [w, f = ''] = m.amount.replace('-', '').split('.');
    const nanos = (BigInt(w!) * 1_000_000_000n + BigInt(f.padEnd(9, '0'))) * (m.amount.startsWith('-') ? -1n : 1n);
    const diff = nanos - (want.sums.get(m.currency) ?? 0n);
    console.log(`  ${m.currency}: gateway − floor = ${diff} nano (${got.rowCount - want.rows} more pieces than charges)`);
    if ((diff < 0n ? -diff : diff) * 2n > BigInt(got.rowCount)) throw new Error(`totals differ: gateway ${gatewayTotals}, floor ${floorTotals}`);
  }

  // RSS after one report (first growth of the heap included in the peak), and after as many reports as
  // are measured (the heap grown to its working size: what each further report adds).
  const afterOne = rssMb(gateway.child.pid!);
  let warmPeak = afterOne;
  const warmSampler = setInterval(() => (warmPeak = Math.max(warmPeak, rssMb(gateway.child.pid!))), 5);
  for (let i = 0; i < runs; i++) await graphql(CHARGES, { from, to });
  clearInterval(warmSampler);
  const idle = rssMb(gateway.child.pid!);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(gateway.child.pid!))), 5);
  const gatewayMs: number[] = [];
  const floorMs: number[] = [];
  let calls = 0;
  let floorCalls = 0;
  for (let i = 0; i < runs; i++) {
    await sim.reset();
    let t = performance.now();
    await graphql(CHARGES, { from, to });
    gatewayMs.push(performance.now() - t);
    calls = await sim.calls();
    await sim.reset();
    t = performance.now();
    await floor();
    floorMs.push(performance.now() - t);
    floorCalls = await sim.calls();
  }
  clearInterval(sampler);
  const ratio = median(gatewayMs) / median(floorMs);
  // Growth over the gateway's RSS after one report: the conservative reading (after the warm-up V8 may
  // keep its heap grown, and later peaks look small over it).
  const growth = Math.max(peak, warmPeak) - afterOne;
  console.log(`RSS: ${afterOne.toFixed(0)} MB after one report, peak ${warmPeak.toFixed(0)} MB over the next ${runs} (+${(warmPeak - afterOne).toFixed(0)} MB); ${idle.toFixed(0)} MB after them, then peak ${peak.toFixed(0)} MB over ${runs} more with the floor between them.`);
  console.log(`\n| report | upstream calls | gateway median ms | floor median ms (calls) | gateway ÷ floor | gateway RSS after one report → peak |`);
  console.log(`| --- | --- | --- | --- | --- | --- |`);
  console.log(`| chargeReport DAY × PROJECT, one month | ${calls} | ${median(gatewayMs).toFixed(0)} | ${median(floorMs).toFixed(0)} (${floorCalls}) | ${ratio.toFixed(2)} ${ratio <= 0.5 ? 'PASS' : 'FAIL'} (target ≤ 0.5) | ${afterOne.toFixed(0)} → ${Math.max(peak, warmPeak).toFixed(0)} MB, +${growth.toFixed(0)} MB ${growth <= 64 ? 'PASS' : 'FAIL'} (target ≤ 64) |`);

  const consumptionMs: number[] = [];
  let consumptionCalls = 0;
  for (let i = 0; i < runs; i++) {
    await sim.reset();
    const t = performance.now();
    await graphql(CONSUMPTION, { a: period(11), b: period(0) });
    consumptionMs.push(performance.now() - t);
    consumptionCalls = await sim.calls();
  }
  console.log(`| consumptionReport by CATEGORY, 12 months | ${consumptionCalls} | ${median(consumptionMs).toFixed(0)} | – | – | – |`);
  process.exitCode = ratio <= 0.5 && growth <= 64 ? 0 : 1;
} finally {
  gateway.child.kill('SIGKILL');
  await agent.close();
  await sim.close();
}
