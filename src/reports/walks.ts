/**
 * Token walks shared by the reports of one request: reports asking for the same upstream pages in
 * the same tick (two reports over one window, grouped differently) subscribe to one walk, which
 * hands each item it reads (a charge) to every subscriber and keeps none. A report arriving once a
 * walk has started gets a walk of its own.
 */
export class SharedWalks<P> {
  private readonly pending = new Map<string, { handlers: Subscriber<P>[]; done: Promise<void> }>();

  /**
   * Runs `walk` for `key` (once for every subscriber of this tick), calling `onPage` with each item
   * as it arrives; resolves when the walk is over, rejects with its failure, or with this
   * subscriber's own (which stops only its own share of the items).
   */
  join(key: string, walk: (emit: (page: P) => void) => Promise<void>, onPage: (page: P) => void): Promise<void> {
    const subscriber: Subscriber<P> = { onPage };
    let open = this.pending.get(key);
    if (open) open.handlers.push(subscriber);
    else {
      const handlers = [subscriber];
      const done = new Promise<void>((resolve, reject) => {
        // Started once the subscribers of this tick have joined.
        setImmediate(() => {
          this.pending.delete(key);
          walk((page) => {
            for (const s of handlers) {
              if (s.error) continue;
              try {
                s.onPage(page);
              } catch (error) {
                s.error = { error };
              }
            }
            // Nobody left to read it: the walk stops.
            if (handlers.every((s) => s.error)) throw handlers[0]!.error!.error;
          }).then(resolve, reject);
        });
      });
      this.pending.set(key, (open = { handlers, done }));
    }
    return open.done.then(
      () => {
        if (subscriber.error) throw subscriber.error.error;
      },
      (error: unknown) => {
        throw subscriber.error ? subscriber.error.error : error;
      },
    );
  }
}

interface Subscriber<P> {
  onPage(page: P): void;
  error?: { error: unknown };
}

/** Runs `tasks` with at most `width` at once; the first failure rejects (the others are not started). */
export async function bounded(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}
