import type { FleetConfig } from '../config/fleet.js';
import type { Keyring } from '../lib/keys.js';
import type { Metrics } from '../observe/metrics.js';
import { type Caps, type Limiter, LocalLimiter, RedisLimiter } from './limiter.js';
import { PageCache } from './pages.js';
import { connectRedis, onePerOutage, RedisStore } from './redis.js';
import { MemoryStore, type Store } from './store.js';

export interface FleetState {
  store: Store;
  pages: PageCache;
  /** The upstream budget per upstream and credential: fleet-wide with Redis, else this process's. */
  limiter: Limiter;
  /** Settles once the store is usable or known down (at most 2 s): the gateway listens after it. */
  started: Promise<void>;
}

/**
 * The gateway's shared state from its configuration: Redis when `REDIS_URL` is set (its outages
 * counted and logged once each), else in process, bounded by `CACHE_MAX_MB`.
 */
export function openFleet(
  config: FleetConfig,
  keys: Keyring,
  metrics: Metrics,
  log: { warn(text: string): void; info(text: string): void },
  budget: { caps: (key: string) => Caps; leaseMs: number },
): FleetState {
  const events = onePerOutage({
    failed: (use) => metrics.redisErrors.inc({ use }),
    down: (message) => log.warn(`Redis is unavailable (${message}): the cache and the fleet's upstream budget are read around it until it is back`),
    up: () => log.info('Redis is back'),
  });
  const redis = config.redisUrl ? connectRedis(config.redisUrl, events) : undefined;
  const store = redis ? new RedisStore(redis, keys, events) : new MemoryStore(config.cache.maxBytes);
  const pages = new PageCache(store, { closedSeconds: config.cache.closedTtlSeconds, openSeconds: config.cache.openTtlSeconds }, { count: (result) => metrics.cacheRequests.inc({ result }) });
  const local = new LocalLimiter(budget.caps);
  const limiter =
    redis && store instanceof RedisStore
      ? new RedisLimiter(redis, (key) => store.name(`limit\n${key}`), budget.caps, budget.leaseMs, local, () => events.failed('limit'))
      : local;
  // Up, or down (it is read around then): either way the gateway may start.
  const started = redis
    ? new Promise<void>((resolve) => {
        redis.once('ready', () => resolve());
        redis.once('error', () => resolve());
        setTimeout(resolve, 2_000).unref();
      })
    : Promise.resolve();
  return { store, pages, limiter, started };
}
