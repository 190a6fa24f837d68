import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../src/schema/index.js';

/**
 * Clients depend on the schema: a change that breaks the previous committed schema/schema.graphql
 * fails here unless schema/breaking-changes.json acknowledges it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** The schema before the latest change: HEAD's when the working copy changes it, else the one before the last commit that did. */
function previousSchema(): string | undefined {
  try {
    const changedNow = git('status', '--porcelain', '--', 'schema/schema.graphql').trim() !== '';
    if (changedNow) return git('show', 'HEAD:schema/schema.graphql');
    const last = git('log', '-1', '--format=%H', '--', 'schema/schema.graphql').trim();
    return git('show', `${last}^:schema/schema.graphql`);
  } catch {
    // No history (a shallow clone, or the commit that created the file): nothing to compare with.
    return undefined;
  }
}

describe('schema compatibility', () => {
  const previous = previousSchema();
  it.skipIf(previous === undefined)('breaks nothing of the previous schema that is not acknowledged', () => {
    const acknowledged = new Set((JSON.parse(readFileSync(`${root}/schema/breaking-changes.json`, 'utf8')) as { acknowledged: string[] }).acknowledged);
    const breaking = findBreakingChanges(buildSchema(previous!), getSchema())
      .map((change) => change.description)
      .filter((description) => !acknowledged.has(description));
    expect(breaking).toEqual([]);
  });

  it('detects a breaking change (the check itself works)', () => {
    // A previous schema with a field the code no longer has.
    const older = buildSchema(readFileSync(`${root}/schema/schema.graphql`, 'utf8').replace('type Query {', 'type Query {\n  legacyTotal: Int\n'));
    expect(findBreakingChanges(older, getSchema()).map((c) => c.description)).toEqual(['Query.legacyTotal was removed.']);
  });
});
