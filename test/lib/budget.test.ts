import { describe, expect, it } from 'vitest';
import { Budget, BudgetExceededError, ClientGoneError, DeadlineError } from '../../src/lib/budget.js';

/** A request's budget: calls, rows and time, one signal for all its upstream calls. */
describe('Budget', () => {
  it('counts calls and throws before the one past the limit', () => {
    const b = new Budget(2, 10);
    b.call();
    b.call();
    expect(() => b.call()).toThrow(BudgetExceededError);
    expect(b.calls).toBe(2);
    try {
      b.call();
    } catch (error) {
      expect(error).toMatchObject({ variable: 'MAX_UPSTREAM_CALLS', limit: 2 });
      expect((error as Error).message).toMatch(/more than 2 upstream calls/);
    }
  });

  it('counts rows and throws once past the limit', () => {
    const b = new Budget(2, 10);
    b.take(10);
    expect(() => b.take(1)).toThrow(expect.objectContaining({ variable: 'MAX_RESPONSE_ROWS', limit: 10 }));
    expect(b.rows).toBe(11);
  });

  it('aborts its signal at the deadline, and not after it ended', async () => {
    const b = new Budget(1, 1, 20);
    expect(b.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(b.signal.aborted).toBe(true);
    expect(b.signal.reason).toBeInstanceOf(DeadlineError);
    expect((b.signal.reason as DeadlineError).ms).toBe(20);
    const ended = new Budget(1, 1, 20);
    ended.end();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(ended.signal.aborted).toBe(false);
  });

  it('aborts when its client goes, or at once when it already went', () => {
    const client = new EventTarget() as EventTarget & { aborted: boolean };
    client.aborted = false;
    const b = new Budget(1, 1, undefined, client);
    expect(b.signal.aborted).toBe(false);
    client.dispatchEvent(new Event('abort'));
    expect(b.signal.reason).toBeInstanceOf(ClientGoneError);
    const gone = new Budget(1, 1, undefined, { aborted: true, addEventListener: () => {} });
    expect(gone.signal.reason).toBeInstanceOf(ClientGoneError);
    expect(new Budget(1, 1).signal.aborted).toBe(false);
  });

  it('names its errors and says what to do', () => {
    const exceeded = new BudgetExceededError('m', 'MAX_RESPONSE_ROWS', 3);
    expect([exceeded.name, exceeded.message]).toEqual(['BudgetExceededError', 'm']);
    const deadline = new DeadlineError(250);
    expect([deadline.name, deadline.message]).toEqual(['DeadlineError', 'This request took longer than 250 ms (REQUEST_TIMEOUT_MS); ask for less']);
    const gone = new ClientGoneError();
    expect([gone.name, gone.message]).toEqual(['ClientGoneError', 'The client closed the request']);
  });

  it('has no deadline without one, and listens to its client once', async () => {
    const b = new Budget(1, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(b.signal.aborted).toBe(false);
    const options: unknown[] = [];
    new Budget(1, 1, undefined, { aborted: false, addEventListener: (_type, _listener, o) => options.push(o) });
    // Once: the listener goes with the event, not with the request's whole life.
    expect(options).toEqual([{ once: true }]);
  });

  it('lets every upstream call of a request listen to its signal without a false "memory leak" warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const b = new Budget(100, 1);
      for (let i = 0; i < 50; i++) b.signal.addEventListener('abort', () => {});
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});
