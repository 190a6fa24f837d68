/**
 * `npm run bench`: the gateway against direct API use, on the in-repo simulator with a fixed
 * upstream latency, all in one run on this machine.
 *
 *   npm run bench -- [--latency 25] [--runs 20] [--load-seconds 10] [--connections 10] [--only AB] [--profile DIR]
 *
 * BENCH_NODE_FLAGS adds node flags to the gateway process; BENCH_GATEWAY_ROOT runs the gateway of
 * another checkout (a before/after comparison on the same simulator and baselines).
 *
 * Baselines: (1) the official Scaleway SDK (@scaleway/sdk-billing) used as its docs show, and
 * (2) plain undici calls written to be as fast as possible (the floor). Each prints a table and
 * PASS/FAIL for every target; the exit code is non-zero when a target fails.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Billingv2beta1 } from '@scaleway/sdk-billing';
import { createClient } from '@scaleway/sdk-client';
import autocannon from 'autocannon';
import { Agent, request } from 'undici';
import { DASHBOARD_QUERY, forkHelper, SCALR_TOKEN, SECRET, startGateway, startSimulator } from './processes.js';


export interface BenchOptions {
  latencyMs: number;
  runs: number;
  loadSeconds: number;
  connections: number;
  /** Print as it goes (off in the smoke test). */
  print: boolean;
  /** Write a CPU profile of the gateway process here (`--profile DIR`). */
  profileDir?: string;
  /** Only the scenarios whose letters are given (`--only AB`), and no load phase unless B is among them. */
  only?: string;
}

interface Measure {
  name: string;
  /** Wall times, ms. */
  times: number[];
  /** Upstream calls of the last run. */
  calls: number;
  /** The fewest calls this client could make for the work. */
  minCalls?: number;
  /** CPU time of the gateway process per run, ms (Linux only; the gateway's row only). */
  cpuMs?: number;
}

export interface ScenarioResult {
  name: string;
  criticalPathMs: number;
  gateway: Measure;
  floor: Measure;
  sdk?: Measure;
  /** The hand-written proxy, for reference (no target). */
  proxy?: Measure;
  targets: { name: string; pass: boolean; detail: string }[];
}

export interface BenchResult {
  scenarios: ScenarioResult[];
  load: { requestsPerSecond: number; p99Ms: number; peakRssMb: number; rssGrowthPct: number; pass: boolean };
  pass: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.99) - 1)]!;

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = (text = '') => options.print && console.log(text);
  const sim = await startSimulator(options.latencyMs);
  const gateway = await startGateway(sim, options.profileDir);
  const proxy = forkHelper('proxy.ts', [sim.url, SECRET, ...sim.organizations]);
  const proxyUrl = `http://127.0.0.1:${(await proxy.next()) as number}`;
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const orgs = sim.organizations;
  const acme = orgs[0]!;
  const account = sim.scalrAccounts[0]!;
  const sdk = new Billingv2beta1.API(createClient({ accessKey: 'SCWBENCH0000000000XX', secretKey: SECRET, apiURL: sim.url, defaultOrganizationId: acme, defaultPageSize: 100 }));
  const day = 86_400_000;
  const now = Date.now();
  const midnight = now - (now % day);
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const chargeWindow = { startDateAfter: iso(midnight - 90 * day), endDateBefore: iso(midnight - day) };
  const recentCharges = { startDateAfter: iso(midnight - 8 * day), endDateBefore: iso(midnight - day) };
  const usageWindow = { from: iso(midnight - 30 * day), to: iso(midnight) };

  const graphql = async (query: string, variables: Record<string, unknown> = {}) => {
    const body = JSON.stringify({ query, variables });
    const res = await request(gateway.url, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await res.body.json()) as { data?: any; errors?: unknown[] };
    if (json.errors) throw new Error(`gateway errors: ${JSON.stringify(json.errors).slice(0, 500)}`);
    return json.data;
  };
  const viaProxy = async (scenario: 'a' | 'b') => {
    const res = await request(`${proxyUrl}/${scenario}`, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await res.body.json()) as { data: any }).data;
  };
  const scw = async (path: string, query: Record<string, string | number>) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const res = await request(`${sim.url}${path}?${qs}`, { dispatcher: agent, headers: { 'x-auth-token': SECRET } });
    return (await res.body.json()) as any;
  };
  const scalr = async (query: Record<string, string | number>) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const res = await request(`${sim.url}/api/iacp/v3/usage-statistics?${qs}`, { dispatcher: agent, headers: { authorization: `Bearer ${SCALR_TOKEN}`, accept: 'application/vnd.api+json' } });
    return (await res.body.json()) as any;
  };
  const usageQuery = { 'filter[date]': `between:${usageWindow.from},${usageWindow.to}`, 'filter[account]': account, breakdown_by: 'workspace' };
  const usageRows = (await scalr({ ...usageQuery, 'page[size]': 100 })).meta.pagination['total-count'] as number;
  const consumptionRows = sim.consumptionRows;

  type Work = () => Promise<number>;
  interface Scenario {
    name: string;
    depth: number;
    gateway: Work;
    gatewayMinCalls: number;
    floor: Work;
    floorMinCalls?: number;
    sdk?: Work;
    sdkNote?: string;
    /** The hand-written proxy (bench/proxy.ts): what the extra hop alone costs. */
    proxy?: Work;
    /** Targets on wall time against the floor and the SDK. */
    nearFloor: boolean;
    beatSdk: boolean;
  }

  const scenarios: Scenario[] = [
    {
      name: 'A: first 500 invoices of one organization',
      depth: 1,
      gateway: async () => (await graphql(`{ organization { invoices(first: 500) { edges { node { invoiceId number totalTaxed { amount currency } } } } } }`)).organization.invoices.edges.length,
      gatewayMinCalls: 5,
      floor: async () => {
        // It wants 500 rows: five pages of 100 at once, no need to know the total first.
        const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => scw('/billing/v2beta1/invoices', { organization_id: acme, order_by: 'start_date_desc', page, page_size: 100 })));
        return pages.flatMap((p) => p.invoices).slice(0, 500).length;
      },
      floorMinCalls: 5,
      sdk: async () => (await sdk.listInvoices({ organizationId: acme, orderBy: 'start_date_desc', pageSize: 100 }).all()).slice(0, 500).length,
      proxy: async () => (await viaProxy('a')).organization.invoices.edges.length,
      nearFloor: true,
      beatSdk: false,
    },
    {
      name: 'B: invoices + consumptions + discounts of 5 organizations',
      depth: 1,
      gateway: async () => {
        const data = await graphql(
          `query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 100) { totalCount edges { node { invoiceId totalTaxed { amount } } } } consumptions(first: 100) { totalCount edges { node { value { amount } } } } discounts(first: 100) { totalCount edges { node { value } } } } }`,
          { ids: orgs },
        );
        return data.organizations.length;
      },
      gatewayMinCalls: 15,
      floor: async () => {
        const calls = orgs.flatMap((organization_id) => [
          scw('/billing/v2beta1/invoices', { organization_id, order_by: 'start_date_desc', page: 1, page_size: 100 }),
          scw('/billing/v2beta1/consumptions', { organization_id, page: 1, page_size: 100 }),
          scw('/billing/v2beta1/discounts', { organization_id, page: 1, page_size: 100 }),
        ]);
        return (await Promise.all(calls)).length / 3;
      },
      floorMinCalls: 15,
      // As the SDK's docs show: one awaited call after another.
      sdk: async () => {
        for (const organizationId of orgs) {
          await sdk.listInvoices({ organizationId, orderBy: 'start_date_desc', pageSize: 100 });
          await sdk.listConsumptions({ organizationId, pageSize: 100 });
          await sdk.listDiscounts({ organizationId, pageSize: 100 });
        }
        return orgs.length;
      },
      proxy: async () => (await viaProxy('b')).organizations.length,
      nearFloor: true,
      beatSdk: true,
    },
    {
      name: 'C: 1,000 FinOps charges walked in pages of 250',
      // Four requests one after the other; the last also reads the next upstream page to know hasNextPage.
      depth: 5,
      gateway: async () => {
        let after: string | null = null;
        let rows = 0;
        for (let i = 0; i < 4; i++) {
          const data: any = await graphql(`query($f: ChargeFilter!, $a: String) { organization { charges(first: 250, after: $a, filter: $f) { edges { node { resourceId price { amount } } } pageInfo { hasNextPage endCursor } } } }`, { f: chargeWindow, a: after });
          rows += data.organization.charges.edges.length;
          after = data.organization.charges.pageInfo.endCursor;
        }
        return rows;
      },
      gatewayMinCalls: 5,
      floor: async () => (await scw('/billing/v2beta1/charges', { organization_id: acme, start_date_after: chargeWindow.startDateAfter, end_date_before: chargeWindow.endDateBefore, page_size: 1000 })).charges.length,
      floorMinCalls: 1,
      sdkNote: 'n/a: @scaleway/sdk-billing 1.3 has no FinOps API',
      nearFloor: false,
      beatSdk: false,
    },
    {
      name: 'D: dashboard (all connections, consumption and Scalr totals)',
      depth: 1,
      gateway: async () => {
        const data = await graphql(
          DASHBOARD_QUERY,
          { c: recentCharges, ...usageWindow },
        );
        return data.organization.invoices.edges.length;
      },
      gatewayMinCalls: 1 + Math.ceil(consumptionRows / 100) + 1 + 1 + Math.ceil(usageRows / 100),
      floor: async () => {
        // No total is known in advance: first pages of everything at once, then the rest of the lists it sums.
        const [, consumptions, , , usage] = await Promise.all([
          scw('/billing/v2beta1/invoices', { organization_id: acme, order_by: 'start_date_desc', page: 1, page_size: 100 }),
          scw('/billing/v2beta1/consumptions', { organization_id: acme, page: 1, page_size: 100 }),
          scw('/billing/v2beta1/discounts', { organization_id: acme, page: 1, page_size: 100 }),
          scw('/billing/v2beta1/charges', { organization_id: acme, start_date_after: recentCharges.startDateAfter, end_date_before: recentCharges.endDateBefore, page_size: 1000 }),
          scalr({ ...usageQuery, 'page[number]': 1, 'page[size]': 100 }),
        ]);
        const more = [];
        for (let page = 2; page <= Math.ceil(consumptions.total_count / 100); page++) more.push(scw('/billing/v2beta1/consumptions', { organization_id: acme, page, page_size: 100 }));
        for (let page = 2; page <= usage.meta.pagination['total-pages']; page++) more.push(scalr({ ...usageQuery, 'page[number]': page, 'page[size]': 100 }));
        await Promise.all(more);
        return 10;
      },
      sdk: async () => {
        await sdk.listInvoices({ organizationId: acme, orderBy: 'start_date_desc', pageSize: 100 });
        await sdk.listConsumptions({ organizationId: acme, pageSize: 100 }).all();
        await sdk.listDiscounts({ organizationId: acme, pageSize: 100 });
        // No SDK for FinOps or Scalr: a plain call each, awaited in turn as the rest of the script.
        await scw('/billing/v2beta1/charges', { organization_id: acme, start_date_after: recentCharges.startDateAfter, end_date_before: recentCharges.endDateBefore, page_size: 1000 });
        for (let page = 1; page <= Math.ceil(usageRows / 100); page++) await scalr({ ...usageQuery, 'page[number]': page, 'page[size]': 100 });
        return 10;
      },
      nearFloor: true,
      beatSdk: true,
    },
  ];

  // User + system CPU time of the gateway process, ms; undefined off Linux.
  const gatewayCpu = (): number | undefined => {
    try {
      const fields = readFileSync(`/proc/${gateway.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return undefined;
    }
  };
  /**
   * Runs the clients of a scenario in turn, run after run (gateway, floor, SDK, gateway, …): a slow
   * phase of this shared machine then weighs on every client alike, not on whichever ran during it.
   * The first is the gateway: its process's CPU time is summed over its own runs.
   */
  const measure = async (clients: { name: string; work: Work; minCalls?: number }[]): Promise<Measure[]> => {
    const out: Measure[] = clients.map(({ name, minCalls }) => ({ name, times: [], calls: 0, minCalls }));
    let cpu: number | undefined = 0;
    // Two warm-up rounds (JIT, keep-alive connections, list totals), then the measured ones.
    for (let i = 0; i < 2 + options.runs; i++) {
      for (const [j, client] of clients.entries()) {
        await sim.reset();
        const cpuBefore = j === 0 ? gatewayCpu() : undefined;
        const started = performance.now();
        await client.work();
        const elapsed = performance.now() - started;
        const cpuAfter = j === 0 ? gatewayCpu() : undefined;
        if (i < 2) continue;
        out[j]!.times.push(elapsed);
        out[j]!.calls = Math.max(out[j]!.calls, await sim.calls());
        if (j === 0) cpu = cpu === undefined || cpuBefore === undefined || cpuAfter === undefined ? undefined : cpu + cpuAfter - cpuBefore;
      }
    }
    if (cpu !== undefined) out[0]!.cpuMs = cpu / options.runs;
    return out;
  };

  const results: ScenarioResult[] = [];
  log(`billing-graph benchmark: upstream latency ${options.latencyMs} ms, ${options.runs} runs each, Node ${process.version}, ${process.platform}/${process.arch}`);
  for (const s of scenarios.filter((x) => !options.only || options.only.includes(x.name[0]!))) {
    const [g, f, ...rest] = await measure([
      { name: 'gateway', work: s.gateway, minCalls: s.gatewayMinCalls },
      { name: 'plain undici (floor)', work: s.floor, minCalls: s.floorMinCalls },
      ...(s.sdk ? [{ name: 'Scaleway SDK', work: s.sdk }] : []),
      ...(s.proxy ? [{ name: 'hand-written proxy (reference)', work: s.proxy, minCalls: s.floorMinCalls }] : []),
    ]);
    if (!g || !f) throw new Error('no measures');
    const k = s.sdk ? rest[0] : undefined;
    const x = s.proxy ? rest.at(-1) : undefined;
    const targets: ScenarioResult['targets'] = [
      { name: 'upstream calls = minimum', pass: g.calls === s.gatewayMinCalls, detail: `${g.calls} vs ${s.gatewayMinCalls}` },
    ];
    if (s.nearFloor) {
      const ratio = median(g.times) / median(f.times);
      targets.push({ name: 'gateway ≤ 1.10 × floor', pass: ratio <= 1.1, detail: `${ratio.toFixed(2)}×` });
    }
    if (s.beatSdk && k) {
      const ratio = median(g.times) / median(k.times);
      targets.push({ name: 'gateway faster than the SDK', pass: ratio < 1, detail: `${ratio.toFixed(2)}×` });
    }
    const result = { name: s.name, criticalPathMs: s.depth * options.latencyMs, gateway: g, floor: f, sdk: k, proxy: x, targets };
    results.push(result);
    log(`\n${s.name}  (critical path ${s.depth} × ${options.latencyMs} ms = ${result.criticalPathMs} ms)`);
    log('| client | calls (min) | median ms | p99 ms | × critical path | gateway ÷ this |');
    log('| --- | --- | --- | --- | --- | --- |');
    for (const m of [g, f, ...(k ? [k] : []), ...(x ? [x] : [])]) {
      log(`| ${m.name} | ${m.calls}${m.minCalls === undefined ? '' : ` (${m.minCalls})`} | ${median(m.times).toFixed(1)} | ${p99(m.times).toFixed(1)} | ${(median(m.times) / result.criticalPathMs).toFixed(2)} | ${(median(g.times) / median(m.times)).toFixed(2)} |`);
    }
    if (!k) log(`| Scaleway SDK | ${s.sdkNote} | | | | |`);
    if (x) log(`hand-written proxy ÷ floor: ${(median(x.times) / median(f.times)).toFixed(2)}× (the extra hop alone, without GraphQL or validation)`);
    if (g.cpuMs !== undefined) log(`gateway process CPU time (all its threads, user + system): ${g.cpuMs.toFixed(1)} ms per run`);
    for (const t of targets) log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
  }

  // Load: scenario B at a fixed concurrency, bounded in time, RSS of the gateway sampled alongside.
  const rss: number[] = [];
  const sample = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
      rss.push(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
    } catch {
      // Not Linux: no RSS figures.
    }
  }, 100);
  const loadBody = JSON.stringify({
    query: `query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 100) { totalCount edges { node { invoiceId totalTaxed { amount } } } } consumptions(first: 100) { totalCount edges { node { value { amount } } } } discounts(first: 100) { totalCount edges { node { value } } } } }`,
    variables: { ids: orgs },
  });
  const hammer = (seconds: number) =>
    autocannon({ url: gateway.url, method: 'POST', headers: { 'content-type': 'application/json' }, body: loadBody, connections: options.connections, duration: seconds });
  // A warm-up as long as the measured phase, unsampled: the heap grows to its working size, then must
  // stay there. (A third of it was too short here: V8 was still growing its heap in steps, +4 to +12 %
  // over 10 s from run to run, where 60 s of the same load showed no growth at all.)
  await hammer(options.loadSeconds);
  rss.length = 0;
  const load = await hammer(options.loadSeconds);
  clearInterval(sample);
  const third = Math.max(1, Math.floor(rss.length / 3));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const growth = rss.length > 3 ? (avg(rss.slice(-third)) / avg(rss.slice(0, third)) - 1) * 100 : 0;
  const loadResult = {
    requestsPerSecond: load.requests.average,
    p99Ms: load.latency.p99,
    peakRssMb: Math.max(0, ...rss),
    rssGrowthPct: growth,
    pass: growth < 10 && load.errors === 0 && load.non2xx === 0,
  };
  log(`\nLoad: scenario B, ${options.connections} connections for ${options.loadSeconds} s`);
  log(`| requests/s | p99 ms | peak RSS MB | RSS first third → last third | errors |`);
  log('| --- | --- | --- | --- | --- |');
  log(`| ${loadResult.requestsPerSecond.toFixed(0)} | ${loadResult.p99Ms} | ${loadResult.peakRssMb.toFixed(0)} | ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} % | ${load.errors + load.non2xx} |`);
  log(`${loadResult.pass ? 'PASS' : 'FAIL'}  no RSS growth across the load phase (< 10 %), no errors`);

  gateway.child.kill('SIGTERM');
  await new Promise((resolve) => gateway.child.once('exit', resolve));
  await agent.close();
  await proxy.close();
  await sim.close();
  const pass = results.every((r) => r.targets.every((t) => t.pass)) && loadResult.pass;
  log(`\n${pass ? 'ALL TARGETS PASS' : 'SOME TARGETS FAIL'}`);
  return { scenarios: results, load: loadResult, pass };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const result = await runBench({
    latencyMs: arg('latency', 25),
    runs: arg('runs', 20),
    loadSeconds: arg('load-seconds', 10),
    connections: arg('connections', 10),
    print: true,
    profileDir: process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined,
    only: process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined,
  });
  process.exit(result.pass ? 0 : 1);
}
