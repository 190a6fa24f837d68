import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ECHO_WINDOW } from '../src/lib/redact.js';
import { SECRETS } from './helpers/secrets.js';
import { transcriptDir } from './helpers/transcript.js';

/**
 * Runs after every other test file (its own vitest project, a later group): every log line,
 * response body and process output the gateway produced in the whole suite is searched for every
 * configured secret (Scaleway and Scalr credentials, gateway tokens, passthrough keys).
 */
describe('secrets', () => {
  const files = readdirSync(transcriptDir);
  const texts = [
    ...files.map((file) => ({ file, text: readFileSync(`${transcriptDir}${file}`, 'utf8') })),
    // The SDL and the GraphiQL tabs are served to anyone.
    { file: 'schema/schema.graphql', text: readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8') },
  ];
  const lines = texts.reduce((n, t) => n + t.text.split('\n').length, 0);
  const bodies = texts.reduce((n, t) => n + t.text.split('\n--- response').length - 1, 0);

  it('has a transcript of the whole suite to search', () => {
    expect(lines).toBeGreaterThan(1000);
    expect(bodies).toBeGreaterThan(100);
    // Upstream failures are logged at WARN with the upstream's own words: where an echoed key would show.
    expect(texts.some((t) => t.text.includes('--- log warn'))).toBe(true);
    expect(texts.some((t) => t.text.includes('--- log debug'))).toBe(true);
    expect(texts.some((t) => t.text.includes('--- process output'))).toBe(true);
  });

  it('never shows a configured secret in a log line, response body or process output, in any case or in part', () => {
    // Whole, or any 12 characters of one in a row, in any letter case (an upstream may echo a key
    // upper-cased or truncated). Secrets are named by index in the failure: printing one would be the leak.
    const pieces = SECRETS.map((secret) => Array.from({ length: secret.length - ECHO_WINDOW + 1 }, (_, i) => secret.slice(i, i + ECHO_WINDOW).toLowerCase()));
    const leaks = texts.flatMap(({ file, text }) => {
      const lower = text.toLowerCase();
      return pieces.flatMap((windows, i) => (windows.some((w) => lower.includes(w)) ? [`${file}: secret #${i}`] : []));
    });
    expect(leaks).toEqual([]);
    console.log(`secrets scan: ${lines} lines, ${bodies} response bodies, ${files.length} transcript files: no secret found, whole or in part, in any case`);
  });
});
