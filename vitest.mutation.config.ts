import { defineConfig } from 'vitest/config';

/**
 * `npm run mutation` (Stryker) runs the unit tests of the modules it mutates, alone: src/lib/,
 * src/pagination/ and src/reports/ each have their own (the reports' property tests over a socket).
 */
export default defineConfig({
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: { include: ['test/lib/**/*.test.ts', 'test/pagination/**/*.test.ts', 'test/reports/**/*.test.ts'] },
});
