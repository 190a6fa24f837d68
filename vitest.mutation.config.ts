import { defineConfig } from 'vitest/config';

/**
 * `npm run mutation` (Stryker) runs the unit tests of the modules it mutates, alone: src/lib/ and
 * src/pagination/ each have their own, fast and without sockets.
 */
export default defineConfig({
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: { include: ['test/lib/**/*.test.ts', 'test/pagination/**/*.test.ts'] },
});
