import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/**
 * Every GraphQL example of the README, the reports and the reconciliation pages runs as written, with no error, on a
 * gateway whose clock is the day the examples were written for (a block holds one or more
 * operations, each starting at a line's first column with `{`, `query` or `#`).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const stack = useStack({ now: new Date('2026-12-02T10:00:00Z'), finopsPageSize: 1000 });

function examples(page: string): string[] {
  const text = readFileSync(join(root, page), 'utf8');
  const blocks = [...text.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.split(/\n(?=[{#]|query )/).map((s) => s.trim()).filter((s) => s.replace(/^#.*$/gm, '').trim() !== ''));
}

describe.each(['README.md', 'docs/reports.md', 'docs/reconciliation.md'])('the examples of %s', (page) => {
  const list = examples(page);
  it('has examples', () => expect(list.length).toBeGreaterThan(0));
  for (const example of list) {
    it(example.replace(/\s+/g, ' ').slice(0, 90), async () => {
      expect(() => parse(example)).not.toThrow();
      const res = await stack.query(example);
      expect(res.errors).toBeUndefined();
      expect(res.data).toBeTruthy();
    });
  }
});
