import { isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { getSchema } from '../../src/schema/index.js';

/**
 * The schema's own contract is the committed SDL (schema/schema.graphql): its drift is checked by
 * test/codegen.test.ts, and what would break its clients by test/schema/breaking.test.ts.
 */
describe('schema', () => {
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
