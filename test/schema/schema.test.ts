import { readFileSync } from 'node:fs';
import {
  astFromValue,
  buildSchema,
  type GraphQLArgument,
  print,
  type GraphQLField,
  type GraphQLInputField,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../src/schema/index.js';

/** Names of the contract not built yet, each owned by an open issue; remove a name when it lands. */
const PENDING = new Set<string>([]);

describe('schema', () => {
  it('keeps every name, argument, type and default of the schema contract', () => {
    const contract = buildSchema(readFileSync(new URL('../../../shared/design/schema-contract.graphql', import.meta.url), 'utf8'), {
      assumeValidSDL: true,
    });
    const ours = getSchema();
    const missing: string[] = [];
    for (const [name, type] of Object.entries(contract.getTypeMap())) {
      if (name.startsWith('__') || PENDING.has(name)) continue;
      const mine = ours.getType(name);
      if (!mine) {
        missing.push(name);
        continue;
      }
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        const fields = (mine as typeof type).getFields() as Record<string, GraphQLField<unknown, unknown> | GraphQLInputField>;
        for (const [fieldName, field] of Object.entries(type.getFields()) as [string, GraphQLField<unknown, unknown> | GraphQLInputField][]) {
          if (PENDING.has(`${name}.${fieldName}`)) continue;
          const got = fields[fieldName];
          if (!got) {
            missing.push(`${name}.${fieldName}`);
            continue;
          }
          if (String(got.type) !== String(field.type)) missing.push(`${name}.${fieldName}: ${String(field.type)} (is ${String(got.type)})`);
          for (const arg of 'args' in field ? field.args : []) {
            const gotArg = 'args' in got ? got.args.find((a) => a.name === arg.name) : undefined;
            const printedDefault = (a: GraphQLArgument) => (a.defaultValue === undefined ? '' : print(astFromValue(a.defaultValue, a.type)!));
            if (!gotArg || String(gotArg.type) !== String(arg.type) || printedDefault(gotArg) !== printedDefault(arg)) {
              missing.push(`${name}.${fieldName}(${arg.name}: ${String(arg.type)})`);
            }
          }
        }
      }
      if (isEnumType(type) && isEnumType(mine)) {
        for (const value of type.getValues()) if (!mine.getValue(value.name)) missing.push(`${name}.${value.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('describes every type, field, argument and enum value, and names fields in camelCase', () => {
    const problems: string[] = [];
    for (const type of Object.values(getSchema().getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (!type.description) problems.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          const where = `${type.name}.${field.name}`;
          if (!field.description) problems.push(where);
          if (!/^[a-z][a-zA-Z0-9]*$/.test(field.name)) problems.push(`${where} is not camelCase`);
          for (const arg of 'args' in field ? field.args : []) if (!arg.description) problems.push(`${where}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) problems.push(`${type.name}.${value.name}`);
    }
    expect(problems).toEqual([]);
  });
});
