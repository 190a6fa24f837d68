import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

/** `npm run codegen` is the one generator: the committed SDL and typed client must be what it writes now. */
describe('codegen', () => {
  it('has written schema/schema.graphql and client/generated/ from the current code (run `npm run codegen`)', async () => {
    const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    const files = outputs.map((o) => o.filename).sort();
    expect(files).toEqual(['client/generated/gql.ts', 'client/generated/graphql.ts', 'client/generated/index.ts', 'client/generated/persisted-documents.json', 'schema/schema.graphql']);
    for (const { filename, content } of outputs) {
      expect(readFileSync(filename, 'utf8'), `${filename} drifted from the code`).toBe(content);
    }
  });
});
