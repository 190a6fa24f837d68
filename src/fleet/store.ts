import { LRUCache } from 'lru-cache';

/**
 * Where shared state lives: upstream answers, list totals, the fleet's upstream budget. In process
 * by default; Redis (redis.ts) when replicas share it. Every method may throw when the store fails:
 * callers read around it (an unavailable cache is a slower gateway, never a failed query).
 */
export interface Store {
  /** Shared by other processes (single flight and limits then need locks, not just promises). */
  readonly shared: boolean;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Takes `key` for `ms` if nobody holds it; true when taken. */
  lock(key: string, ms: number): Promise<boolean>;
  unlock(key: string): Promise<void>;
  close(): Promise<void>;
}

/** An in-process store bounded in bytes (`CACHE_MAX_MB`): the least recently used entries go first. */
export class MemoryStore implements Store {
  readonly shared = false;
  private readonly entries: LRUCache<string, string>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, string>({
      // lru-cache needs a bound above 0; 0 bytes means "hold nothing", which a size of 1 byte gives.
      maxSize: Math.max(1, maxBytes),
      // UTF-16 code units, 2 bytes each: what a JS string costs at most.
      sizeCalculation: (value, key) => Math.max(1, 2 * (value.length + key.length)),
      ttlAutopurge: false,
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return;
    this.entries.set(key, value, { ttl: ttlSeconds * 1000 });
  }

  // One process: single flight is the caller's promise, nothing to lock.
  async lock(): Promise<boolean> {
    return true;
  }

  async unlock(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }
}
