import { setTimeout as sleep } from 'node:timers/promises';
import { BudgetExceededError, ClientGoneError, DeadlineError } from '../lib/budget.js';
import type { Store } from './store.js';

/**
 * Whether an upstream answer can still change: `closed` (a billing period long over, a paid invoice,
 * charges wholly before yesterday) lives `CACHE_TTL_CLOSED_SECONDS`, `open` `CACHE_TTL_OPEN_SECONDS`.
 */
export type Finality = 'closed' | 'open';

export interface CacheCounts {
  /** One lookup's result: answered from the cache (or from another request's call), looked up and missed, skipped on request, or the store failed. */
  count(result: 'hit' | 'miss' | 'bypass' | 'error'): void;
}

/** How long a replica waits for another's call of the same answer before making it itself, ms. */
const LOCK_MS = 5_000;
const POLL_MS = 20;

/** A request's own end (its deadline, its client, its budget): another request waiting on its call calls again. */
const endedItsRequest = (error: unknown) => error instanceof DeadlineError || error instanceof ClientGoneError || error instanceof BudgetExceededError;

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Upstream answers (their body text) by request: read through, single flight. The body is cached,
 * not the parsed page: it is what Redis can hold, every hit is parsed and checked at the boundary
 * like a fresh answer, and exact decimals stay their source text. Failures are never cached.
 */
export class PageCache {
  private readonly flights = new Map<string, Promise<string>>();

  /** Whether any answer is kept (a TTL above 0): without, readers need not keep an answer's text. */
  get keeps(): boolean {
    return this.ttl.closedSeconds > 0 || this.ttl.openSeconds > 0;
  }

  constructor(
    private readonly store: Store,
    private readonly ttl: { closedSeconds: number; openSeconds: number },
    private readonly counts?: CacheCounts,
  ) {}

  /**
   * The answer under `key`: from the store, or from `fetch` once however many ask at the same time
   * (in this process, and across replicas when the store is shared), stored for its finality's TTL.
   * `refresh` (Cache-Control: no-cache) skips the lookup and stores the fresh answer. `hit` says that
   * this caller made no upstream call.
   */
  async read(key: string, fetch: () => Promise<{ text: string; finality: Finality }>, { refresh = false, signal }: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<{ text: string; hit: boolean }> {
    if (refresh) this.counts?.count('bypass');
    else {
      const cached = await this.lookup(key);
      if (cached !== undefined) return { text: cached, hit: true };
      const flight = this.flights.get(key);
      if (flight) {
        try {
          // Another request's call: this one still ends at its own deadline, or when its client goes.
          const text = await untilAborted(flight, signal);
          this.counts?.count('hit');
          return { text, hit: true };
        } catch (error) {
          // Its request ended (deadline, client gone): this one calls for itself.
          if (!endedItsRequest(error)) throw error;
        }
      }
    }
    let hit = false;
    const flight = (async () => {
      const fromAnother = refresh ? undefined : await this.waitForAnother(key, signal);
      if (fromAnother !== undefined) {
        hit = true;
        return fromAnother;
      }
      try {
        const { text, finality } = await fetch();
        const ttl = finality === 'closed' ? this.ttl.closedSeconds : this.ttl.openSeconds;
        await this.store.set(key, text, ttl).catch(() => this.counts?.count('error'));
        return text;
      } finally {
        if (this.store.shared) await this.store.unlock(key).catch(() => undefined);
      }
    })();
    this.flights.set(key, flight);
    try {
      return { text: await flight, hit };
    } finally {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  private async lookup(key: string): Promise<string | undefined> {
    try {
      const value = await this.store.get(key);
      this.counts?.count(value === undefined ? 'miss' : 'hit');
      return value;
    } catch {
      this.counts?.count('error');
      return undefined;
    }
  }

  /**
   * With a shared store: takes the answer's lock, or, when another replica holds it, waits for its
   * answer (up to the lock's life). Undefined: this replica calls. A failing store: it calls too.
   */
  private async waitForAnother(key: string, signal?: AbortSignal): Promise<string | undefined> {
    if (!this.store.shared) return undefined;
    const taken = await this.store.lock(key, LOCK_MS).catch(() => true);
    if (taken) {
      // Another replica may have stored the answer and let go of the lock since the lookup missed.
      const value = await this.store.get(key).catch(() => undefined);
      if (value !== undefined) await this.store.unlock(key).catch(() => undefined);
      return value;
    }
    for (const until = Date.now() + LOCK_MS; Date.now() < until; ) {
      // The request's own end (deadline, client gone) ends the wait with its reason.
      await sleep(POLL_MS, undefined, { signal }).catch(() => signal?.throwIfAborted());
      const value = await this.store.get(key).catch(() => undefined);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}
