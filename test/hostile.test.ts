import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/**
 * 130+ hostile requests over a real socket: each gets a 4xx or GraphQL errors with stable codes,
 * the process stays up, and repeating the corpus does not grow memory.
 */
const stack = useStack();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer(stack.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const STABLE = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_COSTLY',
  'NOT_FOUND',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'LENGTH_REQUIRED',
  'METHOD_NOT_ALLOWED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

interface Hostile {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Sent as a stream: chunked, with no Content-Length. */
  chunked?: boolean;
}

const gql = (query: string, variables?: unknown, extra: Record<string, unknown> = {}): Hostile => ({
  name: query.slice(0, 60),
  body: JSON.stringify({ query, variables, ...extra }),
});

/** A cursor of the right kind for another connection, and some damaged ones. */
const cursors = (valid: string) => [
  'garbage',
  '',
  'x'.repeat(100_000),
  valid.slice(0, -2),
  `${valid}AA`,
  Buffer.from('o1:5:AAAAAAAAAAAAAAAA').toString('base64url'),
  Buffer.from('o1:-5:AAAAAAAAAAAAAAAA').toString('base64url'),
  Buffer.from('o1:999999999:AAAAAAAAAAAAAAAA').toString('base64url'),
  Buffer.from(JSON.stringify(['t1', [['tok', 1]], 'AAAAAAAAAAAAAAAA'])).toString('base64url'),
  Buffer.from(JSON.stringify(['t1', 'not-a-list', 'x'])).toString('base64url'),
  Buffer.from('{"__proto__":{"polluted":true}}').toString('base64url'),
  // Forged: the current formats with a made-up MAC or sealed part.
  Buffer.from('o2:5:AAAAAAAAAAAAAAAAAAAAAA').toString('base64url'),
  Buffer.from(`o2:5:${valid.slice(-22)}`).toString('base64url'),
  't2.',
  't2.AAAA',
  `t2.${'A'.repeat(64)}`,
  `t2.${valid}`,
];

function corpus(validCursor: string): Hostile[] {
  const window = 'startDateAfter: "2026-08-01T00:00:00Z", endDateBefore: "2026-09-01T00:00:00Z"';
  const list: Hostile[] = [];
  // Malformed bodies.
  for (const body of ['{', '{"query":', '[', 'null', '123', '"str"', '\u0000', 'a'.repeat(1000), '{"query": 123}', '{"query": null}', '{"query": ""}', '{"query": "{"}', '{"query": "{ organization { "}', '{"query":"{ __typename }","variables":"x"}', '{"query":"{ __typename }","variables":[1]}', '{"query":"{ __typename }","operationName":5}', '{"query":"{ __typename }","extensions":"x"}', '[[[[[[[[[[]]]]]]]]]]', '['.repeat(100_000)]) {
    list.push({ name: `body ${body.slice(0, 20)}`, body });
  }
  // Wrong content types.
  for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'image/png']) {
    list.push({ name: `content-type ${type}`, headers: { 'content-type': type }, body: JSON.stringify({ query: '{ organization { invoices { totalCount } } }' }).replace('{"query"', type.startsWith('application/x-www') ? 'query=%7B%7D&x' : '{"query"') });
  }
  // Operations that are not there, or not allowed.
  list.push(gql('query A { __typename }', undefined, { operationName: 'B' }));
  list.push(gql('query A { __typename } query B { __typename }'));
  list.push(gql('subscription { __typename }'));
  list.push(gql('mutation { redeemCoupon }'));
  list.push(gql('{ organization { nope } }'));
  list.push(gql('fragment F on Organization { ...F } { organization { ...F } }'));
  // Deep nesting.
  list.push(gql(`{ ${'a { '.repeat(200)}b${' }'.repeat(200)} }`));
  list.push(gql(`query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId } }`, { ids: JSON.parse(`${'['.repeat(500)}"x"${']'.repeat(500)}`) }));
  // Invalid variables.
  const invoices = 'query($f: Int, $a: String, $s: DateTime, $t: InvoiceType) { organization { invoices(first: $f, after: $a, startedAfter: $s, invoiceType: $t) { totalCount } } }';
  for (const variables of [{ f: 'ten' }, { f: 1.5 }, { f: 2 ** 40 }, { a: 5 }, { s: 'yesterday' }, { s: '2026-13-45T99:00:00Z' }, { t: 'BOGUS' }, { f: -1 }, { f: 501 }, { f: { $gt: 1 } }]) {
    list.push({ ...gql(invoices, variables), name: `variables ${JSON.stringify(variables)}` });
  }
  list.push(gql('query($id: UUID!) { organization(id: $id) { organizationId } }', { id: "'; DROP TABLE invoices; --" }));
  list.push(gql('query($id: UUID!) { organization(id: $id) { organizationId } }', {}));
  list.push(gql(`{ organization { consumptions(billingPeriod: "2026-13") { totalCount } } }`));
  list.push(gql(`{ organization { consumptions(billingPeriod: "../../etc") { totalCount } } }`));
  list.push(gql(`{ organization { invoices(startedAfter: "2026-05-01T00:00:00Z", startedBefore: "2026-01-01T00:00:00Z") { totalCount } } }`));
  list.push(gql(`{ organization { charges(last: 5, filter: { ${window} }) { edges { cursor } } } }`));
  list.push(gql(`{ organization { charges(filter: { startDateAfter: "2026-09-01T00:00:00Z", endDateBefore: "2026-08-01T00:00:00Z" }) { edges { cursor } } } }`));
  list.push(gql(`{ scalrAccount { usageStatistics(from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z") { totalCount } } }`));
  list.push(gql(`{ scalrAccount(id: "acc-../../x") { accountId } }`));
  list.push(gql(`{ organization { invoices(first: 1, last: 1) { totalCount } } }`));
  // Tampered and foreign cursors, on every connection.
  for (const cursor of cursors(validCursor)) {
    list.push({ ...gql('query($c: String) { organization { invoices(after: $c) { totalCount } } }', { c: cursor }), name: `invoices cursor ${cursor.slice(0, 12)}` });
    list.push({ ...gql('query($c: String) { organization { discounts(before: $c, last: 2) { totalCount } } }', { c: cursor }), name: `discounts cursor ${cursor.slice(0, 12)}` });
    list.push({ ...gql(`query($c: String) { organization { charges(after: $c, filter: { ${window} }) { edges { cursor } } } }`, { c: cursor }), name: `charges cursor ${cursor.slice(0, 12)}` });
  }
  // Oversized lists.
  list.push(gql('query($ids: [UUID!]!) { organizations(ids: $ids) { organizationId } }', { ids: Array.from({ length: 51 }, () => '11111111-2222-4333-8444-555555555555') }));
  list.push(gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 5000 }, (_, i) => `id${i}`) }));
  list.push(gql(`query($r: [String!]) { organization { charges(filter: { ${window}, resourceIds: $r }) { edges { cursor } } } }`, { r: Array.from({ length: 1001 }, (_, i) => `r${i}`) }));
  list.push(gql(`query($r: [String!]) { organization { charges(filter: { ${window}, skus: $r }) { edges { cursor } } } }`, { r: Array.from({ length: 101 }, (_, i) => `s${i}`) }));
  list.push(gql(`{ organization { charges(filter: { ${window}, resourceIds: [] }) { edges { cursor } } } }`));
  // Query limits.
  list.push(gql(`{ organization { ${Array.from({ length: 31 }, (_, i) => `a${i}: organizationId`).join(' ')} } }`));
  list.push(gql(`{ ${'organization { organizationId } '.repeat(1300)} }`));
  list.push(gql(`{ organization { ${Array.from({ length: 7 }, (_, i) => `i${i}: invoices(first: 500) { totalCount }`).join(' ')} } }`));
  // Global ids.
  list.push(gql('{ node(id: "garbage") { id } }'));
  list.push(gql(`{ node(id: "${Buffer.from('Invoice:../../x').toString('base64')}") { id } }`));
  list.push(gql(`{ node(id: "${Buffer.from('Unknown:1').toString('base64')}") { id } }`));
  // Batches.
  list.push({ name: 'batch of 11', body: JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ __typename }' }))) });
  list.push({ name: 'empty batch', body: '[]' });
  list.push({ name: 'batch of numbers', body: '[1, 2, 3]' });
  list.push({ name: 'batch of nested batches', body: JSON.stringify([[{ query: '{ __typename }' }]]) });
  // Methods and paths.
  for (const method of ['PUT', 'DELETE', 'PATCH']) list.push({ name: method, method, body: JSON.stringify({ query: '{ __typename }' }) });
  list.push({ name: 'GET mutation', method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { x }')}` });
  list.push({ name: 'GET huge query', method: 'GET', path: `/graphql?query=${'a'.repeat(30_000)}` });
  list.push({ name: 'GET bad variables', method: 'GET', path: `/graphql?query=${encodeURIComponent('{ __typename }')}&variables=%7B` });
  list.push({ name: 'PDF bad id', method: 'GET', path: '/invoices/not-a-uuid.pdf' });
  list.push({ name: 'PDF traversal', method: 'GET', path: '/invoices/..%2F..%2Fetc%2Fpasswd.pdf' });
  list.push({ name: 'PDF unknown', method: 'GET', path: '/invoices/00000000-0000-4000-8000-000000000000.pdf' });
  list.push({ name: 'PDF POST', method: 'POST', path: '/invoices/00000000-0000-4000-8000-000000000000.pdf', body: '{}' });
  list.push({ name: 'unknown path', method: 'GET', path: '/admin' });
  // Malformed percent-encoding, forged invoice links.
  for (const path of ['/invoices/%E0%A4%A.pdf', '/invoices/%.pdf', '/invoices/%FF.pdf', '/invoices/%E0%A4%A.pdf?organization=x&expires=1&signature=x']) {
    list.push({ name: `PDF ${path}`, method: 'GET', path });
  }
  list.push({ name: 'PDF forged link', method: 'GET', path: '/invoices/00000000-0000-4000-8000-000000000000.pdf?organization=00000000-0000-4000-8000-000000000000&expires=99999999999&signature=AAAAAAAAAAAAAAAAAAAAAA' });
  list.push({ name: 'PDF link without expiry', method: 'GET', path: '/invoices/00000000-0000-4000-8000-000000000000.pdf?signature=x' });
  // Costs that multiply: ids, batches, variable defaults, fragments spread many times.
  list.push(gql('query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 500) { totalCount } } }', { ids: Array.from({ length: 50 }, () => '11111111-2222-4333-8444-555555555555') }));
  list.push(gql('query($n: Int = 500) { organization { a: invoices(first: $n) { totalCount } b: invoices(last: $n) { totalCount } c: discounts(first: $n) { totalCount } d: discounts(last: $n) { totalCount } e: consumptions(first: $n) { totalCount } f: consumptions(last: $n) { totalCount } g: invoices(first: $n, orderBy: DUE_DATE_ASC) { totalCount } } }'));
  list.push({ name: 'costly batch', body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: '{ organization { invoices(first: 500) { totalCount } } }' }))) });
  const spread = (name: string) => Array.from({ length: 60 }, () => `...${name}`).join(' ');
  list.push(gql(`{ organization { ...A } } fragment A on Organization { ${spread('B')} } fragment B on Organization { ${spread('C')} } fragment C on Organization { ${spread('D')} } fragment D on Organization { invoices(first: 1) { totalCount } }`));
  // Persisted documents that are not there, or malformed.
  list.push({ name: 'unknown documentId', body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` }) });
  list.push({ name: 'documentId of a number', body: JSON.stringify({ documentId: 5 }) });
  list.push({ name: 'persistedQuery of garbage', body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: '../../etc/passwd' } } }) });
  // Bodies too large, or of no declared length.
  list.push({ name: '2 MB body', body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } }) });
  list.push({ name: 'chunked body', chunked: true, body: JSON.stringify({ query: '{ __typename }' }) });
  return list;
}

async function send(h: Hostile): Promise<{ status: number; text: string }> {
  const method = h.method ?? 'POST';
  const chunked = h.chunked === true;
  const headers = { 'content-type': 'application/json', accept: 'application/json', ...h.headers };
  const res = await request(`${base}${h.path ?? '/graphql'}`, {
    method: method as 'POST',
    headers,
    // A generator body is sent chunked, without Content-Length.
    body: h.body === undefined ? undefined : chunked ? Readable.from([Buffer.from(h.body)]) : h.body,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

function verdict(h: Hostile, r: { status: number; text: string }): string | undefined {
  if (r.status >= 500) return `${h.name}: HTTP ${r.status}`;
  if (r.status >= 400) return undefined;
  let body: any;
  try {
    body = JSON.parse(r.text);
  } catch {
    return `${h.name}: HTTP ${r.status} with a body that is not JSON`;
  }
  const results = Array.isArray(body) ? body : [body];
  for (const result of results) {
    if (!result?.errors?.length) return `${h.name}: answered without an error`;
    for (const error of result.errors) if (!STABLE.has(error.extensions?.code)) return `${h.name}: error without a stable code (${error.extensions?.code}): ${error.message}`;
  }
  return undefined;
}

describe('hostile requests', () => {
  it('answers each of 130+ hostile requests with a 4xx or coded GraphQL errors, stays up, and does not grow memory', async () => {
    const first = await stack.query(`{ organization { discounts(first: 2) { pageInfo { endCursor } } } }`);
    const list = corpus(first.data.organization.discounts.pageInfo.endCursor);
    expect(list.length).toBeGreaterThanOrEqual(130);
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap: number[] = [];
    for (let round = 0; round < 4; round++) {
      const problems: string[] = [];
      for (const h of list) {
        const v = verdict(h, await send(h));
        if (v) problems.push(v);
      }
      expect(problems).toEqual([]);
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
    // The process still serves, and memory after the 4th round is where it was after the 2nd.
    expect((await request(`${base}/health`)).statusCode).toBe(200);
    const ok = await stack.query(`{ organization { invoices(first: 1) { totalCount } } }`);
    expect(ok.data.organization.invoices.totalCount).toBe(540);
    expect(heap[3]! - heap[1]!).toBeLessThan(16 * 1024 * 1024);
  });
});
