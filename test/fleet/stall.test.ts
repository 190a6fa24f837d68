import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLimiter, RedisLimiter } from '../../src/fleet/limiter.js';
import { connectRedis, RedisStore } from '../../src/fleet/redis.js';
import { TEST_KEYS } from '../helpers/stack.js';
import { type RedisProcess, redisServerPath, startRedis } from '../helpers/redis.js';

/**
 * Redis stalling (SIGSTOP: connections open, nothing answered) past the command timeout, then coming
 * back: a command the gateway gave up on still runs when Redis resumes; it must leave no slot of the
 * fleet's upstream budget and no lock that nobody holds (the other replicas would wait on them).
 */
const available = redisServerPath() !== undefined || process.env.REQUIRE_REDIS === '1';

/** A real redis-server per describe block, the gateway's connection to it, and a probe connection. */
function useRedis(failures: string[] = []) {
  const fixture = {} as { server: RedisProcess; redis: Redis; probe: Redis };
  beforeAll(async () => {
    fixture.server = await startRedis();
    fixture.redis = connectRedis(fixture.server.url, { failed: (use) => failures.push(use), down: () => {}, up: () => {} });
    fixture.probe = new Redis(fixture.server.url);
    await new Promise((resolve) => fixture.redis.once('ready', resolve));
  });
  afterAll(async () => {
    fixture.server.resume();
    fixture.redis.disconnect();
    fixture.probe.disconnect();
    await fixture.server.stop();
  });
  return fixture;
}

describe.runIf(available)('a Redis stall', () => {
  const failures: string[] = [];
  const fixture = useRedis(failures);

  const stalled = async <T>(run: () => Promise<T>): Promise<T> => {
    fixture.server.stall();
    try {
      return await run();
    } finally {
      fixture.server.resume();
      // Redis runs what it was sent meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('leaves no upstream slot behind when it ran an acquire the gateway gave up on', async () => {
    const store = new RedisStore(fixture.redis, TEST_KEYS, { failed: () => {}, down: () => {}, up: () => {} });
    const caps = () => ({ concurrency: 4, rps: 0 });
    const limiter = new RedisLimiter(fixture.redis, (key) => store.name(`limit\n${key}`), caps, 40_000, new LocalLimiter(caps), () => failures.push('limit'));
    const release = await stalled(() => limiter.acquire('scaleway\nk'));
    expect(failures).toContain('limit');
    release();
    const flight = `${store.name('limit\nscaleway\nk')}:flight`;
    expect(await fixture.probe.zcard(flight)).toBe(0);
    // And the budget works again through Redis, once the second it is read around has passed.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await limiter.acquire('scaleway\nk');
    expect(await fixture.probe.zcard(flight)).toBe(1);
    again();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await fixture.probe.zcard(flight)).toBe(0);
  });

  it('leaves no lock behind when it ran a lock the gateway gave up on', async () => {
    const store = new RedisStore(fixture.redis, TEST_KEYS, { failed: () => {}, down: () => {}, up: () => {} });
    await expect(stalled(() => store.lock('page', 5_000))).rejects.toThrow();
    expect(await fixture.probe.exists(`${store.name('page')}:lock`)).toBe(0);
  });
});

describe.runIf(available)('reading around a stalled Redis', () => {
  const fixture = useRedis();

  it('waits out one command timeout, not one per command, then asks Redis again a second later', async () => {
    const store = new RedisStore(fixture.redis, TEST_KEYS, { failed: () => {}, down: () => {}, up: () => {} });
    fixture.server.stall();
    const started = Date.now();
    for (let i = 0; i < 12; i++) await expect(store.get(`k${i}`)).rejects.toThrow();
    // Twelve commands each waiting its 250 ms would take 3 s.
    expect(Date.now() - started).toBeLessThan(1_500);
    fixture.server.resume();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await store.set('k', 'v', 60);
    expect(await store.get('k')).toBe('v');
  });
});

describe.runIf(available)('letting go after a stall', () => {
  const fixture = useRedis();
  const events: string[] = [];

  it('lets go of a lock taken before a stall even while Redis is read around, and says Redis is back once a command works', async () => {
    const { onePerOutage } = await import('../../src/fleet/redis.js');
    const store = new RedisStore(fixture.redis, TEST_KEYS, onePerOutage({ failed: () => {}, down: (m) => events.push(`down`), up: () => events.push('up') }));
    expect(await store.lock('page', 5_000)).toBe(true);
    fixture.server.stall();
    await expect(store.get('page')).rejects.toThrow();
    fixture.server.resume();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Within the second Redis is read around: the unlock still goes.
    await store.unlock('page').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await fixture.probe.exists(`${store.name('page')}:lock`)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await store.set('x', 'y', 60);
    expect(events).toEqual(['down', 'up']);
  });
});
