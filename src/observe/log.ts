import type { YogaLogger } from 'graphql-yoga';
import { pino } from 'pino';

/**
 * The process's log: one JSON object per line on stdout (pino), with `level` as a word and `time`
 * in ISO 8601, so that a log pipeline reads fields, not prose. A line's fields come from a leading
 * object argument; the rest is its `msg`.
 */
export function jsonLogger(level: 'debug' | 'info' | 'warn' | 'error' = 'info', destination?: NodeJS.WritableStream): YogaLogger {
  const log = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Synchronous writes: a line is out before the process exits (exit codes, crash guard).
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const at =
    (write: (fields: object, message?: string) => void) =>
    (...args: unknown[]) => {
      const [first, ...rest] = args;
      if (first && typeof first === 'object' && !(first instanceof Error)) write(first, rest.map(String).join(' ') || undefined);
      else write({}, args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
    };
  return {
    debug: at((f, m) => log.debug(f, m)),
    info: at((f, m) => log.info(f, m)),
    warn: at((f, m) => log.warn(f, m)),
    error: at((f, m) => log.error(f, m)),
  };
}
