/**
 * `npm run bench:memory`: the gateway's peak memory under the heaviest requests its limits let
 * through, several at once. The gateway runs as the Docker image runs it (production, default
 * limits), the simulator in a process of its own; the gateway's RSS is sampled every 10 ms.
 *
 *   npm run bench:memory -- [--concurrent 6] [--rounds 3] [--queue N]
 *
 * With the defaults, requests past the upstream waiting bound (16 calls in flight + 256 waiting,
 * about 2.8 of these requests) are shed at once with UPSTREAM_BUSY: that is the defaults' answer
 * to this load, and is counted, not failed. `--queue 1000` (UPSTREAM_MAX_QUEUE) lets every one
 * through, to measure what six whole worst cases take.
 *
 * The worst case in the limits (MAX_TOTAL_FIRST 3000 rows a request, MAX_UPSTREAM_CALLS 100,
 * MAX_BATCH 10): one batch of 10 operations holding as many upstream rows as it may at once —
 * six charge pages of 500 rows with every field and cursor (the largest upstream pages, 1,000
 * rows each), and list totals that read the first page (100 rows) of 90 lists more, at a cost of
 * 0 rows. The run fails if any of it is refused: it must be in the limits.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startGateway, startSimulator } from './processes.js';

export interface MemoryResult {
  /** RSS of the idle gateway, MB. */
  idleMb: number;
  /** Highest RSS seen while the requests ran, MB. */
  peakMb: number;
  /** Upstream calls of one request. */
  callsPerRequest: number;
  /** Response size of one request, MB. */
  responseMb: number;
  concurrent: number;
  rounds: number;
  /** Requests answered whole, and shed with UPSTREAM_BUSY (HTTP 503). */
  answered: number;
  shed: number;
}

const INVOICE_ORDERS = ['START_DATE', 'ISSUED_DATE', 'DUE_DATE', 'INVOICE_NUMBER', 'TOTAL_UNTAXED', 'TOTAL_TAXED', 'INVOICE_TYPE'].flatMap((k) => [`${k}_ASC`, `${k}_DESC`]);
const DISCOUNT_ORDERS = ['CREATION_DATE_ASC', 'CREATION_DATE_DESC', 'START_DATE_ASC', 'START_DATE_DESC'];

/**
 * The batch: 10 operations, 3,000 rows of cost, under 100 upstream calls. `variant` shifts its charge
 * windows by that many minutes: requests at once are then different worst cases, whose upstream calls
 * the gateway cannot share (identical ones share them, and cost far less).
 */
function worstBatch(organizations: string[], variant: number): unknown[] {
  const day = 86_400_000;
  const midnight = Date.now() - (Date.now() % day) - variant * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const windows = [
    { startDateAfter: iso(midnight - 100 * day), endDateBefore: iso(midnight - day), orderBy: 'START_DATE_ASC' },
    { startDateAfter: iso(midnight - 100 * day), endDateBefore: iso(midnight - day), orderBy: 'START_DATE_DESC' },
    { startDateAfter: iso(midnight - 100 * day), endDateBefore: iso(midnight - day), clampToTimeRange: true },
    { startDateAfter: iso(midnight - 100 * day), endDateBefore: iso(midnight - day), clampToTimeRange: true, orderBy: 'START_DATE_DESC' },
    { startDateAfter: iso(midnight - 120 * day), endDateBefore: iso(midnight), orderBy: 'START_DATE_ASC' },
    { startDateAfter: iso(midnight - 120 * day), endDateBefore: iso(midnight), orderBy: 'START_DATE_DESC' },
  ];
  const charges = windows.map((filter) => ({
    query: `query($f: ChargeFilter!) { organization { charges(first: 500, filter: $f) {
      edges { cursor node { projectId projectName resourceId resourceName sku invoiceId price { amount currency } startDate endDate updatedAt } }
      pageInfo { endCursor hasNextPage } } } }`,
    variables: { f: filter },
  }));
  const lists = [
    // A filter of its own per variant (its upstream calls are its own too).
    ...INVOICE_ORDERS.map((order, i) => `i${i}: invoices(first: 0, orderBy: ${order}, startedBefore: "${iso(midnight)}") { totalCount }`),
    ...DISCOUNT_ORDERS.map((order, i) => `d${i}: discounts(first: 0, orderBy: ${order}) { totalCount }`),
  ];
  // 18 lists × 5 organizations = 90 first pages, spread over 4 operations.
  const totals = [0, 1, 2, 3].map((part) => ({
    query: `query($ids: [UUID!]!) { organizations(ids: $ids) { ${lists.filter((_, i) => i % 4 === part).join(' ')} } }`,
    variables: { ids: organizations },
  }));
  return [...charges, ...totals];
}

/** RSS of a process, MB; 0 once it is gone. */
const rssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

export async function runMemory(options: { concurrent: number; rounds: number; queue?: number; print: boolean }): Promise<MemoryResult> {
  const log = (text = '') => options.print && console.log(text);
  const sim = await startSimulator(0);
  const gateway = await startGateway(sim, undefined, {
    BILLING_GRAPH_ORGANIZATION_IDS: sim.organizations.join(','),
    ...(options.queue === undefined ? {} : { UPSTREAM_MAX_QUEUE: String(options.queue) }),
  });
  const pid = gateway.child.pid!;
  const agent = new Agent({ connections: options.concurrent + 2 });
  let variant = 0;
  const send = async () => {
    const body = JSON.stringify(worstBatch(sim.organizations, variant++));
    const res = await request(gateway.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body });
    const text = await res.body.text();
    const results = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] }[];
    const errors = results.flatMap((r) => r.errors ?? []);
    // Load shedding is the defaults' answer past the waiting bound: counted, not failed.
    if (errors.length > 0 && errors.every((e) => e.extensions?.code === 'UPSTREAM_BUSY')) return { bytes: text.length, shed: true };
    if (res.statusCode !== 200 || errors.length > 0) throw new Error(`the worst case is not in the limits: HTTP ${res.statusCode}, ${errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ')}`);
    return { bytes: text.length, shed: false };
  };
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    // One alone first: it warms the gateway, and counts the calls of one request.
    await sim.reset();
    const { bytes, shed: warmShed } = await send();
    if (warmShed) throw new Error('one request alone was shed: the gateway is not idle');
    const callsPerRequest = await sim.calls();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idleMb = rssMb(pid);
    let peakMb = idleMb;
    sampler = setInterval(() => (peakMb = Math.max(peakMb, rssMb(pid))), 10);
    let answered = 0;
    let shed = 0;
    for (let round = 0; round < options.rounds; round++) {
      for (const outcome of await Promise.all(Array.from({ length: options.concurrent }, send))) {
        if (outcome.shed) shed++;
        else answered++;
      }
    }
    clearInterval(sampler);
    peakMb = Math.max(peakMb, rssMb(pid));
    const result = { idleMb, peakMb, callsPerRequest, responseMb: bytes / 1_048_576, concurrent: options.concurrent, rounds: options.rounds, answered, shed };
    log(`Worst case in the default limits: a batch of 10 operations, 3,000 rows of cost, ${callsPerRequest} upstream calls, ${result.responseMb.toFixed(1)} MB answered`);
    log(`| requests at once | rounds | UPSTREAM_MAX_QUEUE | answered whole | shed (UPSTREAM_BUSY) | gateway RSS idle MB | peak RSS MB |`);
    log('| --- | --- | --- | --- | --- | --- | --- |');
    log(`| ${options.concurrent} | ${options.rounds} | ${options.queue ?? '256 (default)'} | ${answered} | ${shed} | ${idleMb.toFixed(0)} | ${peakMb.toFixed(0)} |`);
    return result;
  } finally {
    clearInterval(sampler);
    gateway.child.kill('SIGTERM');
    await new Promise((resolve) => gateway.child.once('exit', resolve));
    await agent.close();
    await sim.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const queue = process.argv.includes('--queue') ? arg('queue', 256) : undefined;
  await runMemory({ concurrent: arg('concurrent', 6), rounds: arg('rounds', 3), queue, print: true });
}
