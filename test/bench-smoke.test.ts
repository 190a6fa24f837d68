import { describe, expect, it } from 'vitest';
import { runMemory } from '../bench/memory.js';
import { runBench } from '../bench/run.js';

/**
 * The benchmark itself is not part of the test suite (slow, machine-dependent); one tiny run of it is,
 * so that it cannot rot. Timings are not asserted here; the call counts are.
 */
describe('benchmark smoke run', () => {
  it('runs every scenario against every baseline, with the minimum of upstream calls, and a load phase', async () => {
    const result = await runBench({ latencyMs: 2, runs: 1, loadSeconds: 1, connections: 2, print: false });
    expect(result.scenarios.map((s) => s.name[0])).toEqual(['A', 'B', 'C', 'D']);
    for (const s of result.scenarios) {
      expect(s.gateway.times).toHaveLength(1);
      expect(s.floor.times).toHaveLength(1);
      expect(s.targets.find((t) => t.name === 'upstream calls = minimum')!.pass, `${s.name}: ${s.gateway.calls} calls`).toBe(true);
    }
    expect(result.scenarios.filter((s) => s.sdk).map((s) => s.name[0])).toEqual(['A', 'B', 'D']);
    expect(result.load.requestsPerSecond).toBeGreaterThan(0);
  }, 120_000);
});

describe('memory benchmark smoke run', () => {
  it('sends a worst case that the default limits let through whole, and measures the gateway', async () => {
    const result = await runMemory({ concurrent: 2, rounds: 1, print: false });
    // Refused parts would throw: the case is in the limits, and close to the call limit (100).
    expect(result.callsPerRequest).toBeGreaterThan(80);
    expect(result.callsPerRequest).toBeLessThanOrEqual(100);
    expect(result.peakMb).toBeGreaterThanOrEqual(result.idleMb);
  }, 120_000);
});
