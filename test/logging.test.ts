import type { YogaLogger } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { quietExpected } from '../src/http/log.js';
import { DeadlineError } from '../src/lib/budget.js';
import { startStack } from './helpers/stack.js';

/**
 * The gateway's log under failures it expects (load shedding, deadlines): one line each at its
 * level, never an ERR with a stack, which would flood the log exactly when it matters; a bug still
 * logs its stack at ERR.
 */
function capture() {
  const lines: { level: string; text: string }[] = [];
  const at = (level: string) => (...args: unknown[]) => lines.push({ level, text: args.map((a) => (a instanceof Error ? a.stack : String(a))).join(' ') });
  const logger: YogaLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, logger };
}

describe('the log of expected failures', () => {
  it('says UPSTREAM_BUSY once per kind with a count, and never at ERR', async () => {
    const { lines, logger } = capture();
    const stack = await startStack({ concurrency: 1, queue: 0, latencyMs: 150, logging: logger });
    try {
      // One invoice list per organization, all at once: one call gets the connection, the others are refused.
      const r = await stack.query(`query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 1) { totalCount } } }`, { ids: stack.orgs });
      const busy = (r.errors ?? []).filter((e) => e.extensions?.code === 'UPSTREAM_BUSY');
      expect(busy.length).toBeGreaterThanOrEqual(2);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
      const warned = lines.filter((l) => l.level === 'warn' && l.text.startsWith('UPSTREAM_BUSY from scaleway'));
      expect(warned).toHaveLength(1);
      expect(warned[0]!.text).toMatch(new RegExp(`\\(×${busy.length}\\)$`));
      expect(lines.map((l) => l.text).join('\n')).not.toMatch(/\n\s+at /);
    } finally {
      await stack.close();
    }
  });

  it('says a deadline at INFO in one line, without a stack', async () => {
    const { lines, logger } = capture();
    const stack = await startStack({ requestTimeoutMs: 100, latencyMs: 400, logging: logger });
    try {
      const r = await stack.query(`{ organization { invoices(first: 1) { totalCount } } }`);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['REQUEST_TIMEOUT']);
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
      expect(lines.filter((l) => l.level === 'info' && l.text.startsWith('DeadlineError: This request took longer than 100 ms'))).toHaveLength(1);
      expect(lines.map((l) => l.text).join('\n')).not.toMatch(/\n\s+at /);
    } finally {
      await stack.close();
    }
  });

  it('logs a caller’s malformed global id at DEBUG, not at ERR with a stack', async () => {
    const { lines, logger } = capture();
    const stack = await startStack({ logging: logger });
    try {
      for (const id of ['x', Buffer.from('Foo:bar').toString('base64')]) {
        const r = await stack.query(`{ node(id: "${id}") { id } }`);
        expect(r.errors?.map((e) => e.extensions?.code), id).toEqual(['BAD_USER_INPUT']);
      }
      expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it('still logs what nobody foresaw at ERR, with its stack', () => {
    const { lines, logger } = capture();
    const quiet = quietExpected(logger);
    quiet.error(new TypeError('a bug'));
    quiet.error(new DeadlineError(5));
    expect(lines.map((l) => l.level)).toEqual(['error', 'info']);
    expect(lines[0]!.text).toMatch(/^TypeError: a bug\n\s+at /);
    expect(lines[1]!.text).toBe('DeadlineError: This request took longer than 5 ms (REQUEST_TIMEOUT_MS); ask for less');
  });
});
