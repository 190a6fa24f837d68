import { Decimal } from 'decimal.js';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLCurrency, GraphQLDate, GraphQLDateTime, GraphQLUUID } from 'graphql-scalars';
import { builder } from '../builder.js';
import { Exact, formatDecimal } from '../lib/money.js';
import { UUID as uuidText } from '../lib/uuid.js';

/**
 * graphql-scalars' DateTime, except that UTC text from the upstream is served as it came:
 * a JS Date would cut Scaleway's microseconds (`…23:59:59.999999Z`) to milliseconds.
 */
const DateTime = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  description: 'An RFC 3339 timestamp in UTC, such as `2026-06-30T23:59:59.999999Z` (sub-millisecond digits kept as the upstream sent them).',
  serialize(value) {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value)) return value;
    const date = GraphQLDateTime.serialize(value) as Date;
    return date.toISOString();
  },
  // Arguments become JS Dates, which hold milliseconds: finer digits are refused rather than cut
  // (a window would silently differ from the one asked for).
  parseValue(value) {
    return GraphQLDateTime.parseValue(millisecondsAtMost(value));
  },
  parseLiteral(ast, variables) {
    if (ast.kind === Kind.STRING) millisecondsAtMost(ast.value);
    return GraphQLDateTime.parseLiteral(ast, variables);
  },
});

function millisecondsAtMost(value: unknown): unknown {
  const fraction = typeof value === 'string' ? /\.(\d+)/.exec(value)?.[1] : undefined;
  if (fraction && fraction.length > 3 && /[1-9]/.test(fraction.slice(3))) {
    throw new GraphQLError('DateTime arguments are read to the millisecond: give at most three fractional digits of seconds');
  }
  return value;
}

/**
 * graphql-scalars' UUID, with a fast path for ids in canonical form (every id served): its own
 * check costs a pattern with optional braces per id, 500 per page.
 */
const UUID = new GraphQLScalarType({
  ...GraphQLUUID.toConfig(),
  serialize(value) {
    return typeof value === 'string' && uuidText.test(value) ? value : GraphQLUUID.serialize(value);
  },
});

const decimalText = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string' || !decimalText.test(value)) {
    throw new GraphQLError('Decimal takes a string in plain decimal notation, such as "-12.340000001"');
  }
  return new Exact(value);
}

/** Exact decimal: decimal.js inside, plain-notation string on the wire; never a float. */
const DecimalScalar = new GraphQLScalarType<Decimal | string, string>({
  name: 'Decimal',
  description:
    'An exact decimal number as a string in plain notation, such as `"-12.340000001"`. Never a float: parse it with a decimal library, not `parseFloat`.',
  serialize(value) {
    if (value instanceof Decimal) return formatDecimal(value);
    // Text already in plain notation (Money built from the upstream's integers).
    if (typeof value === 'string' && decimalText.test(value)) return value;
    throw new GraphQLError('Decimal can only serialize decimal.js values or plain decimal text');
  },
  parseValue: parseDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Decimal literals are strings, such as "12.5"');
    return parseDecimal(ast.value);
  },
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', pattern: decimalText.source } },
});

/** A month of billing, `YYYY-MM` (years 2000 to 2999: Scaleway's periods, and no year that rolls over). */
const billingPeriodText = /^2\d{3}-(?:0[1-9]|1[0-2])$/;

function parseBillingPeriod(value: unknown): string {
  if (typeof value !== 'string' || !billingPeriodText.test(value)) throw new GraphQLError('BillingPeriod is a month as "YYYY-MM", such as "2026-07"');
  return value;
}

const BillingPeriod = new GraphQLScalarType<string, string>({
  name: 'BillingPeriod',
  description: 'A billing period: a calendar month as `YYYY-MM`, such as `2026-07` (UTC).',
  serialize: parseBillingPeriod,
  parseValue: parseBillingPeriod,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('BillingPeriod literals are strings, such as "2026-07"');
    return parseBillingPeriod(ast.value);
  },
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', pattern: billingPeriodText.source } },
});

builder.addScalarType('DateTime', DateTime);
builder.addScalarType('BillingPeriod', BillingPeriod);
builder.addScalarType('Date', GraphQLDate);
builder.addScalarType('UUID', UUID);
builder.addScalarType('Currency', GraphQLCurrency);
builder.addScalarType('Decimal', DecimalScalar);
