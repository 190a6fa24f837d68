import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './money.js';
import './organization.js';
import './invoice.js';
import './consumption.js';
import './discount.js';
import './charge.js';
import './scalr.js';
import './report.js';
import './cost-reports.js';
import './usage-report.js';
import './reconciliation.js';
import './focus.js';

builder.queryType({ description: 'Cloud bills: Scaleway Billing and FinOps, Scalr usage.' });

let schema: GraphQLSchema | undefined;

/** The schema, built once, sorted (the same order as the committed SDL). */
export function getSchema(): GraphQLSchema {
  return (schema ??= lexicographicSortSchema(builder.toSchema()));
}
