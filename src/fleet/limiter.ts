import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { ask } from './redis.js';

/**
 * The upstream budget, per upstream and credential: how many calls may be in flight at once, how
 * many may start each second, and a pause when the upstream said 429 with Retry-After. Keyed by
 * credential because that is what an upstream rate-limits; shared by the fleet through Redis, else
 * per process.
 */
export interface Limiter {
  /** Waits for the right to call (aborted with `signal`); the function returned gives it back (call it once). */
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** The upstream answered 429 for this key: no call for it for `ms`. */
  pause(key: string, ms: number): void;
}

export interface Caps {
  /** Calls in flight at once; fleet-wide with Redis (each process's pool bounds its own anyway). */
  concurrency: number;
  /** Calls started per second; 0: no rate cap. */
  rps: number;
}

/** How long to wait before asking again, at most, ms. */
const MAX_POLL_MS = 50;

/** Waits `ms`, ending with the signal's reason if it aborts first. */
async function wait(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => signal?.throwIfAborted());
}

/**
 * In one process: the rate cap (a token bucket holding one second of calls) and the pause; the
 * concurrency cap is the upstream's connection pool's.
 */
export class LocalLimiter implements Limiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly paused = new Map<string, number>();

  constructor(private readonly caps: (key: string) => Caps) {}

  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.take(key);
      if (waitMs === 0) return () => {};
      await wait(Math.min(waitMs, MAX_POLL_MS), signal);
    }
  }

  pause(key: string, ms: number): void {
    this.paused.set(key, Math.max(this.paused.get(key) ?? 0, Date.now() + ms));
  }

  /** 0 when a call may start now (and counts it), else how long to wait, ms. */
  private take(key: string): number {
    const now = Date.now();
    const until = this.paused.get(key);
    if (until !== undefined) {
      if (until > now) return until - now;
      this.paused.delete(key);
    }
    const { rps } = this.caps(key);
    if (rps <= 0) return 0;
    const bucket = this.buckets.get(key) ?? { tokens: rps, at: now };
    bucket.tokens = Math.min(rps, bucket.tokens + ((now - bucket.at) / 1000) * rps);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / rps) * 1000);
  }
}

/**
 * One script, atomic in Redis, on Redis's clock (replicas' clocks may differ): a paused key waits
 * the pause out; a rate bucket refilled to now must hold a token; the in-flight set (members
 * expire, so a replica that died mid-call frees its slots) must have room. Answers 0 when the call
 * may start (it is counted), else how long to wait, ms.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local pause = redis.call('PTTL', KEYS[1])
if pause > 0 then return pause end
local concurrency, rps, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) >= concurrency then return 5 end
if rps > 0 then
  local bucket = redis.call('HMGET', KEYS[2], 'tokens', 'at')
  local tokens = tonumber(bucket[1]) or rps
  local at = tonumber(bucket[2]) or now
  tokens = math.min(rps, tokens + (now - at) / 1000 * rps)
  if tokens < 1 then
    redis.call('HSET', KEYS[2], 'tokens', tokens, 'at', now)
    redis.call('PEXPIRE', KEYS[2], 2000)
    return math.ceil((1 - tokens) / rps * 1000)
  end
  redis.call('HSET', KEYS[2], 'tokens', tokens - 1, 'at', now)
  redis.call('PEXPIRE', KEYS[2], 2000)
end
redis.call('ZADD', KEYS[3], now + lease, ARGV[4])
redis.call('PEXPIRE', KEYS[3], lease)
return 0
`;

/**
 * Fleet-wide through Redis. Redis failing is never a failed call: the process falls back to its
 * own limits (its pool, its local rate cap) until Redis answers again, and the failure is counted.
 */
export class RedisLimiter implements Limiter {
  constructor(
    private readonly redis: Redis,
    /** The Redis key of a limiter key (MACed like every key of the store). */
    private readonly name: (key: string) => string,
    private readonly caps: (key: string) => Caps,
    /** A slot's longest life: a call ends well before (its timeouts), a dead replica's slot then. */
    private readonly leaseMs: number,
    private readonly fallback: Limiter,
    private readonly failed: () => void,
  ) {}

  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const base = this.name(key);
    const keys = [`${base}:pause`, `${base}:rate`, `${base}:flight`];
    const { concurrency, rps } = this.caps(key);
    const token = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      let waitMs: number;
      try {
        waitMs = Number(await ask(this.redis, () => this.redis.eval(ACQUIRE, 3, ...keys, concurrency, rps, this.leaseMs, token)));
      } catch {
        this.failed();
        // Given up on, the script may still run (a stall: it was sent): its slot is taken back after
        // it, on the same connection, so that no replica waits on a slot nobody holds.
        this.redis.zrem(keys[2]!, token).catch(() => undefined);
        return this.fallback.acquire(key, signal);
      }
      if (waitMs === 0) {
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.redis.zrem(keys[2]!, token).catch(() => this.failed());
        };
      }
      await wait(Math.min(waitMs, MAX_POLL_MS), signal);
    }
  }

  pause(key: string, ms: number): void {
    this.fallback.pause(key, ms);
    // Only ever lengthened: a shorter Retry-After from another replica does not cut a longer pause.
    this.redis
      .eval("if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 1", 1, `${this.name(key)}:pause`, Math.ceil(ms))
      .catch(() => this.failed());
  }
}
