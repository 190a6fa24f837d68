import { setMaxListeners } from 'node:events';

/**
 * What one HTTP request may spend, across every operation of a batch: upstream calls (each holds
 * a page of rows in memory), rows served, and time. Past a limit the field that asked fails;
 * nothing is cut short silently. Its signal aborts every queued and in-flight upstream call of the
 * request at its deadline, or when its client goes.
 */
export class BudgetExceededError extends Error {
  constructor(
    message: string,
    /** The configuration variable that sets the limit. */
    readonly variable: 'MAX_UPSTREAM_CALLS' | 'MAX_RESPONSE_ROWS',
    readonly limit: number,
  ) {
    super(message);
    this.name = 'BudgetExceededError';
  }
}

/** The request ran past its deadline (`REQUEST_TIMEOUT_MS`). */
export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`This request took longer than ${ms} ms (REQUEST_TIMEOUT_MS); ask for less`);
    this.name = 'DeadlineError';
  }
}

/** The client went before its answer: its upstream calls are given up. */
export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the request');
    this.name = 'ClientGoneError';
  }
}

/** What a request's own signal is to us: an event target that says when it was given up. */
interface ClientSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

export class Budget {
  calls = 0;
  rows = 0;
  /** Upstream answers this request had from the cache (no call made). */
  hits = 0;
  /** Aborted at the deadline or when the client goes; every upstream call of the request listens. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly maxCalls: number,
    readonly maxRows: number,
    deadlineMs?: number,
    client?: ClientSignal,
  ) {
    this.signal = this.controller.signal;
    // Every upstream call of the request listens while it runs (its pool, its retry wait): as many
    // listeners as calls in flight, which MAX_UPSTREAM_CALLS bounds; Node's warning at 11 would cry leak.
    setMaxListeners(0, this.signal);
    if (deadlineMs !== undefined) {
      this.timer = setTimeout(() => this.controller.abort(new DeadlineError(deadlineMs)), deadlineMs);
      this.timer.unref();
    }
    if (client?.aborted) this.controller.abort(new ClientGoneError());
    else client?.addEventListener('abort', () => this.controller.abort(new ClientGoneError()), { once: true });
  }

  /** The answer has left: no deadline to keep any more (a streamed body keeps its client's signal). */
  end(): void {
    clearTimeout(this.timer);
  }

  /** Counts one upstream call; throws before the call when the request has made its last. */
  call(): void {
    if (this.calls >= this.maxCalls) {
      throw new BudgetExceededError(`This request needs more than ${this.maxCalls} upstream calls; ask for less (fewer organizations, smaller windows, no whole-list totals), or page.`, 'MAX_UPSTREAM_CALLS', this.maxCalls);
    }
    this.calls++;
  }

  /** Counts an answer from the cache: no upstream call, nothing against the limit. */
  hit(): void {
    this.hits++;
  }

  /** Counts rows served; throws when the request's answer would hold more than the limit. */
  take(rows: number): void {
    this.rows += rows;
    if (this.rows > this.maxRows) {
      throw new BudgetExceededError(`This request would answer more than ${this.maxRows} rows; ask for fewer, or page.`, 'MAX_RESPONSE_ROWS', this.maxRows);
    }
  }
}
