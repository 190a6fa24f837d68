import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Keyring, Signer } from '../lib/keys.js';
import type { Store } from './store.js';

/** What the Redis store reports: each failure (counted), that Redis went and came back (see onePerOutage). */
export interface RedisEvents {
  failed(use: 'cache' | 'lock' | 'limit'): void;
  down(message: string): void;
  up(): void;
}

/** Deletes a lock only if it still holds the caller's token. */
const UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Longest a Redis command may take before the gateway reads around it, ms (Redis answers in well under 1). */
const COMMAND_TIMEOUT_MS = 250;

/** After a command failed, how long Redis is read around before it is asked again, ms. */
const REST_MS = 1_000;
const resting = new WeakMap<Redis, number>();

/**
 * Runs a command unless Redis failed one less than REST_MS ago: a stalled Redis costs one command
 * timeout a second, not one per command (a page read makes several).
 */
export function ask<T>(redis: Redis, run: () => Promise<T>): Promise<T> {
  if (Date.now() < (resting.get(redis) ?? 0)) return Promise.reject(new Error('Redis failed a moment ago: read around'));
  return run().catch((error: unknown) => {
    resting.set(redis, Date.now() + REST_MS);
    throw error;
  });
}

/**
 * A Redis connection that never fails a query: commands fail fast when Redis is away (no offline
 * queue, one short timeout each), it reconnects in the background, and an outage is reported once.
 */
export function connectRedis(url: string, events: RedisEvents): Redis {
  const redis = new Redis(url, {
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnect forever, backing off to 2 s: Redis coming back is picked up without a restart.
    retryStrategy: (times) => Math.min(2_000, 50 * 2 ** Math.min(times, 6)),
    lazyConnect: false,
  });
  // ioredis' messages name the host and port, never the password.
  redis.on('error', (error: Error) => events.down(error.message));
  redis.on('ready', () => {
    // Connected again: Redis is asked at once.
    resting.delete(redis);
    events.up();
  });
  return redis;
}

/** `down` and `up` once per outage, whichever of the connection or a command notices it first. */
export function onePerOutage(events: RedisEvents): RedisEvents {
  let healthy = true;
  return {
    failed: (use) => events.failed(use),
    down: (message) => {
      if (!healthy) return;
      healthy = false;
      events.down(message);
    },
    up: () => {
      if (healthy) return;
      healthy = true;
      events.up();
    },
  };
}

/**
 * A {@link Store} on Redis, shared by the replicas. Billing data at rest in a shared service is
 * sealed: values are encrypted and authenticated with the gateway's signing keys (AES-256-GCM,
 * bound to their key, so an entry cannot be moved under another key), and keys are MACs, so that
 * neither organization ids nor credentials' hashes can be read off Redis.
 */
export class RedisStore implements Store {
  readonly shared = true;
  private readonly names: Signer;
  /** Locks this process holds, with the token that proves it. */
  private readonly held = new Map<string, string>();

  constructor(
    readonly redis: Redis,
    private readonly keys: Keyring,
    private readonly events: RedisEvents,
    private readonly prefix = 'bg1:',
  ) {
    this.names = keys.signer('redis-key');
  }

  /** The Redis key of a store key: a MAC, the same on every replica that shares the signing keys. */
  name(key: string): string {
    return `${this.prefix}${this.names.sign(key)}`;
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = await this.command('cache', () => this.redis.get(this.name(key)));
    // Not ours (another key ring), or changed: a miss.
    return sealed === null ? undefined : this.keys.open(key, sealed);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    await this.command('cache', () => this.redis.set(this.name(key), this.keys.seal(key, value), 'EX', ttlSeconds));
  }

  async lock(key: string, ms: number): Promise<boolean> {
    const token = randomUUID();
    const lock = `${this.name(key)}:lock`;
    let taken: boolean;
    try {
      taken = (await this.command('lock', () => this.redis.set(lock, token, 'PX', ms, 'NX'))) === 'OK';
    } catch (error) {
      // Given up on, the SET may still run (a stall): let go of it after, on the same connection,
      // so that other replicas do not wait on a lock nobody holds.
      this.redis.eval(UNLOCK, 1, lock, token).catch(() => undefined);
      throw error;
    }
    if (taken) this.held.set(key, token);
    return taken;
  }

  /** Lets go of a lock this process holds; one that expired and was taken by another replica is left to it. */
  async unlock(key: string): Promise<void> {
    const token = this.held.get(key);
    if (token === undefined) return;
    this.held.delete(key);
    // Sent even while Redis is read around after a failure: a lock left behind makes every other
    // replica wait it out.
    try {
      await this.redis.eval(UNLOCK, 1, `${this.name(key)}:lock`, token);
    } catch (error) {
      this.events.failed('lock');
      throw error;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** A command, counted when it fails; the failure is thrown on for the caller to read around. */
  private async command<T>(use: 'cache' | 'lock', run: () => Promise<T>): Promise<T> {
    try {
      const result = await ask(this.redis, run);
      // Redis answers again (after a stall there is no reconnection to say so).
      this.events.up();
      return result;
    } catch (error) {
      this.events.failed(use);
      this.events.down((error as Error).message);
      throw error;
    }
  }
}
