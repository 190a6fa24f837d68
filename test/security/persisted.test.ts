import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingGraphClient } from '../../client/billing-client.js';
import { sha256 } from '../../src/config/tokens.js';
import { loadManifests, PROJECT_MANIFESTS } from '../../src/http/persisted.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL } from '../helpers/secrets.js';
import { PROJECT_DOCUMENTS, useStack } from '../helpers/stack.js';

/**
 * Trusted documents: the codegen and Relay manifests are what the gateway accepts by id; with
 * PERSISTED_ONLY=true nothing else runs, but for GraphiQL users (tokens that say so, GraphiQL on).
 */
const tokens = [
  { name: 'dashboard', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: '*' as const, scalrAccounts: '*' as const, arbitraryOperations: false },
  { name: 'analyst', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*' as const, scalrAccounts: '*' as const, arbitraryOperations: true },
];
const only = useStack({ auth: { mode: 'tokens', tokens }, persisted: { manifest: PROJECT_DOCUMENTS, only: true } });
const noGraphiql = useStack({ auth: { mode: 'tokens', tokens }, persisted: { manifest: PROJECT_DOCUMENTS, only: true }, graphiql: false });
const dashboard = { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` };
const analyst = { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` };
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

const invoicesId = (() => {
  const manifest = JSON.parse(readFileSync(PROJECT_MANIFESTS[0]!, 'utf8')) as Record<string, string>;
  const [key] = Object.entries(manifest).find(([, text]) => text.includes('query InvoicesPage'))!;
  return key;
})();

describe('persisted documents', () => {
  it('loads every document of both manifests, each under the SHA-256 of its text', () => {
    const codegen = Object.keys(JSON.parse(readFileSync(PROJECT_MANIFESTS[0]!, 'utf8')) as object);
    const relay = Object.keys(JSON.parse(readFileSync(PROJECT_MANIFESTS[1]!, 'utf8')) as object);
    expect(codegen.length).toBeGreaterThanOrEqual(5);
    expect(relay.length).toBeGreaterThanOrEqual(4);
    expect(PROJECT_DOCUMENTS.size).toBe(codegen.length + relay.length);
    expect(() => loadManifests(['x'], () => JSON.stringify({ [`sha256:${'0'.repeat(64)}`]: '{ __typename }' }))).toThrow(/not the SHA-256/);
  });

  it('runs a persisted document by id, in either spelling of the id', async () => {
    const byDocumentId = await only.persisted(invoicesId, { first: 2 }, dashboard);
    expect(byDocumentId.errors).toBeUndefined();
    expect(byDocumentId.data.organization.invoices.edges).toHaveLength(2);
    const res = await only.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...dashboard },
      body: JSON.stringify({ variables: { first: 1 }, extensions: { persistedQuery: { version: 1, sha256Hash: invoicesId.replace('sha256:', '') } } }),
    });
    expect(((await res.json()) as any).data.organization.invoices.edges).toHaveLength(1);
  });

  it('refuses a document of the caller’s own, and an unknown id, before any upstream call', async () => {
    const own = await only.query(`{ organization { invoices(first: 2) { totalCount } } }`, {}, dashboard);
    expect(codes(own)).toEqual(['PERSISTED_QUERY_ONLY']);
    const unknown = await only.persisted(`sha256:${'ab'.repeat(32)}`, {}, dashboard);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(only.sim.log).toHaveLength(0);
  });

  it('lets GraphiQL users run their own documents while GraphiQL is on, and nobody when it is off', async () => {
    const mine = await only.query(`{ organization { invoices(first: 2) { totalCount } } }`, {}, analyst);
    expect(mine.errors).toBeUndefined();
    const off = await noGraphiql.query(`{ organization { invoices(first: 2) { totalCount } } }`, {}, analyst);
    expect(codes(off)).toEqual(['PERSISTED_QUERY_ONLY']);
  });

  it('costs a persisted document like any other', async () => {
    const r = await only.persisted(invoicesId, { first: 600 }, dashboard);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    const batch = await only.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...dashboard },
      body: JSON.stringify(Array.from({ length: 7 }, () => ({ documentId: invoicesId, variables: { first: 500 } }))),
    });
    const results = (await batch.json()) as any[];
    expect(results.map(codes)).toEqual(Array.from({ length: 7 }, () => ['QUERY_TOO_COSTLY']));
  });
});

describe('the typed client', () => {
  let server: Server;
  let client: BillingGraphClient;
  beforeAll(async () => {
    server = createServer(only.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new BillingGraphClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, dashboard);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends ids, so that it works against a persisted-only gateway', async () => {
    let count = 0;
    for await (const invoice of client.invoices(undefined, 200)) if (invoice.invoiceId) count++;
    expect(count).toBe(540);
  });
});
