/**
 * What one HTTP request may spend, across every operation of a batch: upstream calls (each holds
 * a page of rows in memory) and rows served. Past either limit the field that asked fails; nothing
 * is cut short silently.
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

export class Budget {
  calls = 0;
  rows = 0;

  constructor(
    readonly maxCalls: number,
    readonly maxRows: number,
  ) {}

  /** Counts one upstream call; throws before the call when the request has made its last. */
  call(): void {
    if (this.calls >= this.maxCalls) {
      throw new BudgetExceededError(`This request needs more than ${this.maxCalls} upstream calls; ask for less (fewer organizations, smaller windows, no whole-list totals), or page.`, 'MAX_UPSTREAM_CALLS', this.maxCalls);
    }
    this.calls++;
  }

  /** Counts rows served; throws when the request's answer would hold more than the limit. */
  take(rows: number): void {
    this.rows += rows;
    if (this.rows > this.maxRows) {
      throw new BudgetExceededError(`This request would answer more than ${this.maxRows} rows; ask for fewer, or page.`, 'MAX_RESPONSE_ROWS', this.maxRows);
    }
  }
}
