import { describe, expect, it } from 'vitest';
import { examples } from '../src/graphiql/examples.js';
import { useStack } from './helpers/stack.js';

/**
 * Production interprets an operation's first run and compiles the next ones (graphql-jit): both
 * must answer the same bytes, data and errors alike. Every other test runs compiled.
 */
describe('compiled execution', () => {
  const stack = useStack({ jitAfter: 1 });
  const twice = async (text: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const body = JSON.stringify({ query: text, variables, operationName });
    const send = async () => {
      const res = await stack.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    return [await send(), await send()] as const;
  };

  it('answers every GraphiQL operation the same interpreted and compiled', async () => {
    let compared = 0;
    for (const example of examples) {
      for (const [, name] of example.query.matchAll(/^query (\w+)/gm)) {
        const [interpreted, compiled] = await twice(example.query, JSON.parse(example.variables), name);
        expect(interpreted.status, interpreted.text).toBe(200);
        expect(JSON.parse(interpreted.text).data, name).toBeTruthy();
        expect(compiled).toEqual(interpreted);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('reports a bad argument the same way', async () => {
    const [interpreted, compiled] = await twice('{ organization { invoices(first: 2, after: "tampered") { totalCount } } }');
    expect(JSON.parse(interpreted.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(compiled).toEqual(interpreted);
  });

  it('fails the failing field and answers the rest the same way', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/discounts', status: 503, body: '', times: 2 });
    const query = `query($a: UUID!, $b: UUID!) {
      a: organization(id: $a) { discounts(first: 2) { totalCount } }
      b: organization(id: $b) { invoices(first: 2) { edges { node { number totalTaxed { amount currency } } } } }
    }`;
    const [interpreted, compiled] = await twice(query, { a: stack.orgs[0], b: stack.orgs[1] });
    const first = JSON.parse(interpreted.text);
    expect(first.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(first.data.a).toBeNull();
    expect(first.data.b.invoices.edges).toHaveLength(2);
    expect(compiled).toEqual(interpreted);
  });
});
