import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin, YogaLogger } from 'graphql-yoga';

/**
 * Everything the gateway says during the test suite (log lines, response bodies, child process
 * output) goes here, one file per test worker; the global teardown greps it for secrets.
 */
export const transcriptDir = fileURLToPath(new URL('../../test-results/transcript/', import.meta.url));

export function record(kind: string, text: string): void {
  mkdirSync(transcriptDir, { recursive: true });
  appendFileSync(`${transcriptDir}${process.pid}.log`, `--- ${kind}\n${text}\n`);
}

const line = (level: string) => (...args: unknown[]) =>
  record(`log ${level}`, args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack ?? ''}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));

/** A yoga logger that writes every level to the transcript instead of the console. */
export const transcriptLogger: YogaLogger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };

/** Records every response body (text ones; PDFs are bytes from the upstream) with its status. */
export const recordResponses: Plugin = {
  onResponse({ request, response }) {
    const type = response.headers.get('content-type') ?? '';
    // A streamed CSV export is not cloned (its clone would be read whole before it is sent): its tests record what they read.
    if (!/json|text|html/.test(type) || type.startsWith('text/csv')) return;
    return response
      .clone()
      .text()
      .then((body) => record(`response ${response.status} ${request.method} ${new URL(request.url).pathname}`, body));
  },
};
