import { describe, expect, it } from 'vitest';
import { PageCache } from '../../src/fleet/pages.js';
import type { Store } from '../../src/fleet/store.js';

/**
 * The page cache's single flight across replicas, against a shared store whose answers are timed
 * by the test: what a replica sees between its lookup and its lock.
 */
class TimedStore implements Store {
  readonly shared = true;
  readonly values = new Map<string, string>();
  locks = new Set<string>();
  gets = 0;
  /** Called before each get answers: lets the test move the other replica on. */
  beforeGet: (n: number) => void = () => {};

  async get(key: string) {
    this.beforeGet(++this.gets);
    return this.values.get(key);
  }
  async set(key: string, value: string) {
    this.values.set(key, value);
  }
  async lock(key: string) {
    if (this.locks.has(key)) return false;
    this.locks.add(key);
    return true;
  }
  async unlock(key: string) {
    this.locks.delete(key);
  }
  async close() {}
}

describe('the page cache over a shared store', () => {
  it('makes no call when another replica stored the answer and let go of its lock between this one’s lookup and its lock', async () => {
    const store = new TimedStore();
    // The lookup misses; right after it, the other replica stores the answer and unlocks.
    store.beforeGet = (n) => {
      if (n === 1) queueMicrotask(() => store.values.set('k', 'from the other replica'));
    };
    let calls = 0;
    const cache = new PageCache(store, { closedSeconds: 60, openSeconds: 60 });
    const answer = await cache.read('k', async () => {
      calls++;
      return { text: 'called', finality: 'open' };
    });
    expect(answer).toEqual({ text: 'from the other replica', hit: true });
    expect(calls).toBe(0);
    // The lock it took to look again is let go.
    expect(store.locks.size).toBe(0);
  });

  it('calls once, and stores, when nobody holds the answer', async () => {
    const store = new TimedStore();
    let calls = 0;
    const cache = new PageCache(store, { closedSeconds: 60, openSeconds: 60 });
    const answer = await cache.read('k', async () => {
      calls++;
      return { text: 'called', finality: 'open' };
    });
    expect(answer).toEqual({ text: 'called', hit: false });
    expect([calls, store.values.get('k'), store.locks.size]).toEqual([1, 'called', 0]);
  });
});
