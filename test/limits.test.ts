import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/** Query limits: each refusal has a clear error with a stable code, and costs no upstream call. */
const stack = useStack();
// This graph's own shape stops at depth 7; a tighter stack shows the depth knob biting.
const tight = useStack({ limits: { maxDepth: 4, introspection: false, maxBatch: 1 }, graphiql: false });

async function post(target: typeof stack, body: string, headers: Record<string, string> = {}) {
  const res = await target.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as any };
}

const codes = (r: { errors?: { extensions?: Record<string, any> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('query limits', () => {
  it('refuses a query deeper than the limit', async () => {
    const r = await tight.query(`{ organization { invoices(first: 1) { edges { node { totalTaxed { amount } } } } } }`);
    expect(codes(r)).toEqual(['QUERY_TOO_DEEP']);
    expect(r.errors![0]!.message).toMatch(/depth limit of 4/);
    expect((await tight.query(`{ organization { invoices(first: 1) { totalCount } } }`)).errors).toBeUndefined();
    tight.sim.resetLog();
    await tight.query(`{ organization { invoices(first: 1) { edges { node { totalTaxed { amount } } } } } }`);
    expect(tight.sim.log).toHaveLength(0);
  });

  it('refuses more than 30 aliases', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: organization { organizationId }`).join(' ');
    const r = await stack.query(`{ ${aliases} }`);
    expect(codes(r)).toEqual(['TOO_MANY_ALIASES']);
    expect(stack.sim.log).toHaveLength(0);
  });

  it('refuses a document of more than 5,000 tokens', async () => {
    const r = await stack.query(`{ ${'organization { organizationId } '.repeat(1300)} }`);
    expect(codes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(r.errors![0]!.message).toMatch(/Token limit of 5000/);
  });

  it('refuses an operation asking for more than 3,000 rows in total, counting variables and fragments', async () => {
    const many = Array.from({ length: 7 }, (_, i) => `i${i}: invoices(first: 500) { totalCount }`).join(' ');
    const r = await stack.query(`{ organization { ${many} } }`);
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(r.errors![0]!.extensions).toMatchObject({ cost: 3500, limit: 3000 });
    const viaVariables = await stack.query(
      `query($n: Int) { organization { ...F } } fragment F on Organization { ${Array.from({ length: 6 }, (_, i) => `c${i}: consumptions(first: $n) { totalCount }`).join(' ')} x: invoices { totalCount } }`,
      { n: 500 },
    );
    // 6 × 500, plus 100 for a connection without `first` (its default page).
    expect(viaVariables.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', cost: 3100 });
    expect(stack.sim.log).toHaveLength(0);
    const fine = await stack.query(`{ organization { ${Array.from({ length: 5 }, (_, i) => `i${i}: invoices(first: 500) { totalCount }`).join(' ')} } }`);
    expect(fine.errors).toBeUndefined();
  });

  it('runs up to 10 batched operations, and refuses more', async () => {
    const op = { query: '{ organization { organizationId } }' };
    const ok = await post(stack, JSON.stringify(Array.from({ length: 10 }, () => op)));
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(10);
    const tooMany = await post(stack, JSON.stringify(Array.from({ length: 11 }, () => op)));
    expect(tooMany.status).toBe(413);
    expect(JSON.stringify(tooMany.body)).toMatch(/Batching is limited to 10 operations/);
    const off = await post(tight, JSON.stringify([op, op]));
    expect(off.status).toBeGreaterThanOrEqual(400);
  });

  it('turns GraphiQL off by configuration', async () => {
    const page = async (target: typeof stack) => (await target.yoga.fetch('http://gateway.test/graphql', { headers: { accept: 'text/html' } })).text();
    expect(await page(stack)).toContain('<title>billing-graph</title>');
    expect(await page(tight)).not.toContain('<title>billing-graph</title>');
  });

  it('turns introspection off by configuration', async () => {
    const r = await tight.query(`{ __schema { queryType { name } } }`);
    expect(r.errors?.[0]?.message).toMatch(/introspection/i);
    expect(codes(r)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await stack.query(`{ __schema { queryType { name } } }`)).data.__schema.queryType.name).toBe('Query');
  });

  it('refuses a body larger than the limit, or of unknown length, before reading it', async () => {
    const big = JSON.stringify({ query: `{ organization { organizationId } }`, variables: { pad: 'x'.repeat(1_100_000) } });
    const r = await post(stack, big);
    expect(r.status).toBe(413);
    expect(r.body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await stack.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}')), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it('gives variables of the wrong type BAD_USER_INPUT', async () => {
    const r = await stack.query(`query($n: Int) { organization { invoices(first: $n) { totalCount } } }`, { n: 'ten' });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses nodes() with more than 100 ids', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`Organization:${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`).toString('base64'));
    const r = await stack.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('global ids from callers', () => {
  it('answers a malformed or unknown global id with BAD_USER_INPUT', async () => {
    for (const id of ['garbage', Buffer.from('Foo:bar').toString('base64')]) {
      const r = await stack.query(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
