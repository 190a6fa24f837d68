import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulator } from '../../src/simulator/server.js';
import { startAgainst } from '../helpers/process.js';
import { SCALR_TOKEN, SECRET, SIGNING_KEY } from '../helpers/secrets.js';

/**
 * List totals only plan reads (a stale one costs a late or a wasted call, never a wrong answer): a
 * gateway that caches no answer (both TTLs 0) still remembers them, so that a window it has seen
 * fires every page at once.
 */
let sim: Simulator;
let gateway: Awaited<ReturnType<typeof startAgainst>>;
beforeAll(async () => {
  sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN, latencyMs: 60 });
  await sim.listen();
  // startAgainst caches no answer (both TTLs 0), as the benchmark's gateway.
  gateway = await startAgainst(
    { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
    { GATEWAY_AUTH: 'none', GATEWAY_SIGNING_KEYS: SIGNING_KEY },
  );
});
afterAll(async () => {
  gateway.child.kill('SIGKILL');
  await sim.close();
});

describe('total hints without a cache of answers', () => {
  it('reads a seen window’s pages all at once, and still calls for every one', async () => {
    const query = JSON.stringify({ query: '{ organization { invoices(first: 500) { edges { node { id } } } } }' });
    const post = () => fetch(`${gateway.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query }).then((r) => r.json());
    await post();
    sim.resetLog();
    const again = (await post()) as { data: { organization: { invoices: { edges: unknown[] } } } };
    expect(again.data.organization.invoices.edges).toHaveLength(500);
    // No answer cached: five pages called again, all at once (within one latency of each other).
    const starts = sim.log.map((c) => c.at);
    expect(starts).toHaveLength(5);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(40);
  });
});
