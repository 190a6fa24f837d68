import { LRUCache } from 'lru-cache';

/**
 * Totals of lists seen recently in this process. With one, a window fires every page it needs at
 * once instead of reading its first page alone to learn the total. A hint only plans calls: the
 * rows and the total served always come from the pages read, and a stale hint costs at most a
 * wasted or a late call. Keys name the credential that read the list (see `OffsetSource.tenant`).
 */
export class TotalHints {
  private readonly totals: LRUCache<string, number>;

  constructor(ttlMs = 5 * 60_000, max = 10_000) {
    this.totals = new LRUCache({ max, ttl: ttlMs });
  }

  get(key: string): number | undefined {
    return this.totals.get(key);
  }

  set(key: string, total: number): void {
    this.totals.set(key, total);
  }
}
