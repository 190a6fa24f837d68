import { MemoryStore, type Store } from '../fleet/store.js';

/**
 * Totals of lists seen recently, in the gateway's store: in process, or in Redis and so shared by
 * every replica. With one, a window fires every page it needs at once instead of reading its first
 * page alone to learn the total. A hint only plans calls: the rows and the total served always come
 * from the pages read, and a stale hint costs at most a wasted or a late call; a store that fails
 * is no hint. Keys name the credential that read the list (see `OffsetSource.tenant`).
 */
export class TotalHints {
  constructor(
    private readonly store: Store = new MemoryStore(4 * 1024 * 1024),
    private readonly ttlSeconds = 300,
  ) {}

  async get(key: string): Promise<number | undefined> {
    const text = await this.store.get(`total\n${key}`).catch(() => undefined);
    return text === undefined ? undefined : Number(text);
  }

  set(key: string, total: number): void {
    this.store.set(`total\n${key}`, String(total), this.ttlSeconds).catch(() => undefined);
  }
}
