/**
 * The simulator as a process of its own, for the benchmark: a real upstream runs on other machines,
 * so no client under test may share its event loop (a client in the simulator's process reached it
 * without a single wake-up of another process, which the gateway's calls always paid).
 *
 * Started by bench/run.ts with an IPC channel. Arguments: latency ms, the secret key, the Scalr
 * token. It answers `{ type: 'reset' }` (clear the call log) and `{ type: 'calls' }` (calls since
 * the reset) with `{ calls }`, and sends the facts the benchmark needs once it listens.
 */
import { Simulator } from '../src/simulator/server.js';

export interface SimulatorFacts {
  url: string;
  organizations: string[];
  scalrAccounts: string[];
  /** Consumption rows of the first organization in the current billing period. */
  consumptionRows: number;
}

const [latency = '0', scalewaySecretKey = '', scalrToken = ''] = process.argv.slice(2);
// The size switch, as in demo mode.
const sim = new Simulator({ scalewaySecretKey, scalrToken, latencyMs: Number(latency), chargesPerOrg: Number(process.env.SIM_CHARGES_PER_ORG ?? 0) || undefined });
const url = await sim.listen();
const organizations = sim.data.organizations.map((o) => o.id);
const facts: SimulatorFacts = {
  url,
  organizations,
  scalrAccounts: sim.data.scalrAccounts.map((a) => a.id),
  consumptionRows: sim.data.consumptions(organizations[0]!, new Date().toISOString().slice(0, 7)).length,
};
process.send!(facts);
process.on('message', (message: { type: 'reset' | 'calls' }) => {
  if (message.type === 'reset') sim.resetLog();
  process.send!({ calls: sim.log.length });
});
// The benchmark ends: so does this process.
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
