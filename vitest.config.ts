import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // One copy of graphql: without this vitest may load the ESM and CJS builds side by side
    // ("Cannot use GraphQLScalarType from another module or realm").
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Empties the transcript that test/secrets-scan.test.ts searches at the end.
    globalSetup: ['./test/helpers/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/secrets-scan.test.ts'], sequence: { groupOrder: 0 } } },
      // A later group: runs once every other test file has finished.
      { extends: true, test: { name: 'secrets', include: ['test/secrets-scan.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
