import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { getSchema } from '../src/schema/index.js';

/** Writes schema/schema.graphql: the printed, sorted schema. A test fails when it drifts from the code. */
export const schemaPath = fileURLToPath(new URL('../schema/schema.graphql', import.meta.url));

export function printedSchema(): string {
  return `${printSchema(getSchema())}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaPath, printedSchema());
  console.log(`wrote ${schemaPath}`);
}
