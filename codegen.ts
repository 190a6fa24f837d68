import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for clients of the graph, from the committed SDL and the example operations.
 * `npm run schema` prints the SDL from the Pothos code first.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['operations/**/*.graphql'],
  generates: {
    'client/generated/': {
      preset: 'client',
      config: {
        // Money and ids travel as strings: never let a client type them as numbers.
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', UUID: 'string', Currency: 'string', SafeInt: 'number' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
  // NodeNext output needs explicit extensions.
  importExtension: '.js',
};

export default config;
