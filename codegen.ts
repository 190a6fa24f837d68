import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { getSchema } from './src/schema/index.js';

/**
 * The one generator (`npm run codegen`): the SDL in schema/schema.graphql, printed from the Pothos
 * schema, and typed documents for clients from the example operations in operations/.
 */
const config: CodegenConfig = {
  schema: printSchema(getSchema()),
  documents: ['operations/**/*.graphql'],
  generates: {
    'schema/schema.graphql': { plugins: ['./scripts/sdl-plugin.mjs'] },
    'client/generated/': {
      preset: 'client',
      config: {
        // Money and ids travel as strings: never let a client type them as numbers.
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string', UUID: 'string', Currency: 'string', SafeInt: 'number', BillingPeriod: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      // persisted-documents.json: the id (SHA-256) → text of every operation, for the gateway's trusted documents.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
    },
  },
  // NodeNext output needs explicit extensions.
  importExtension: '.js',
};

export default config;
