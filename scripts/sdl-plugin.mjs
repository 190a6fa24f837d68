// graphql-codegen plugin: the schema printed by graphql-js itself, sorted, so that the committed
// SDL is byte-for-byte what `printSchema` gives (reviews read schema changes as SDL diffs).
import { lexicographicSortSchema, printSchema } from 'graphql';

export const plugin = (schema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
