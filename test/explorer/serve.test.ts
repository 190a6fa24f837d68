import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as documents from '../../client/generated/graphql.js';
import { sha256 } from '../../src/config/tokens.js';
import { EXPLORER_CSP } from '../../src/http/explorer.js';
import { GATEWAY_TOKEN_ALL } from '../helpers/secrets.js';
import { startGateway, waitFor } from '../helpers/process.js';
import { PROJECT_DOCUMENTS, SECRET, type Stack, useStack } from '../helpers/stack.js';

/**
 * The cost explorer's files over HTTP: the page at `/` and its assets, with their types, caching
 * and a strict CSP; nothing else (unknown assets, traversal, other methods); off with
 * EXPLORER=false; public like GraphiQL's page while the data behind it still needs a token.
 */
const dist = new URL('../../explorer/dist/', import.meta.url);
const files = readdirSync(dist);
const assetOf = (ext: string) => files.find((f) => f.startsWith('main-') && f.endsWith(ext))!;

async function get(stack: Stack, path: string, init: RequestInit = {}) {
  return stack.yoga.fetch(`http://gateway.test${path}`, init);
}

/** Every document the page sends (operations/explorer/), with variables that work today. */
const now = new Date();
const day = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back)).toISOString();
const month = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString();
const PAGE_DOCUMENTS: [string, object, Record<string, unknown>][] = [
  ['ExplorerScopes', documents.ExplorerScopesDocument, {}],
  ['ExplorerMonthToDate', documents.ExplorerMonthToDateDocument, { from: month(0), to: day(-1), previousFrom: month(1), previousTo: month(0) }],
  ['ExplorerDaily', documents.ExplorerDailyDocument, { from: month(0), to: day(-1), first: 10 }],
  ['ExplorerMonthly', documents.ExplorerMonthlyDocument, { fromPeriod: month(11).slice(0, 7), toPeriod: month(0).slice(0, 7), first: 10 }],
  ['ExplorerTop', documents.ExplorerTopDocument, { from: month(0), to: day(-1) }],
  ['ExplorerInvoices', documents.ExplorerInvoicesDocument, { startedAfter: month(11), startedBefore: day(-1), first: 50 }],
  ['ExplorerUsage', documents.ExplorerUsageDocument, { from: day(30), to: day(0), first: 10 }],
];
const idOf = (document: object) => (document as { __meta__: { hash: string } }).__meta__.hash;

describe('the explorer’s files', () => {
  const stack = useStack();

  it('serves the page at / with its type, a strict CSP, nosniff and revalidation', async () => {
    const res = await get(stack, '/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(EXPLORER_CSP.split('; ')).toContain(directive);
    }
    expect(EXPLORER_CSP).not.toMatch(/unsafe|\*|data:|http/);
    // The policy the docs quote is the one sent.
    expect(readFileSync(new URL('../../docs/explorer.md', import.meta.url), 'utf8')).toContain(`Content-Security-Policy: ${EXPLORER_CSP}\``);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toBe(readFileSync(new URL('index.html', dist), 'utf8'));
    // No inline script or style for the CSP to forbid: every script has a src, no style attribute.
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script type="module" src="/explorer/${assetOf('.js')}">`]);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=|javascript:/i);
  });

  it('serves each asset with its type, cached for good under its content hash, gzipped when asked', async () => {
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
    const assets = files.filter((f) => f !== 'index.html');
    expect(assets).toHaveLength(3);
    for (const name of assets) {
      const bytes = readFileSync(new URL(name, dist));
      const res = await get(stack, `/explorer/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(types[name.split('.').pop()!]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control'), name).toBe(name.startsWith('main-') ? 'public, max-age=31536000, immutable' : 'no-cache');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes), name).toBe(true);
      const zipped = await get(stack, `/explorer/${name}`, { headers: { 'accept-encoding': 'gzip, br' } });
      const body = Buffer.from(await zipped.arrayBuffer());
      if (zipped.headers.get('content-encoding') === 'gzip') expect(gunzipSync(body).equals(bytes), name).toBe(true);
      else expect(body.equals(bytes), name).toBe(true);
    }
    const js = await get(stack, `/explorer/${assetOf('.js')}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(js.headers.get('content-encoding')).toBe('gzip');
    expect(js.headers.get('vary')).toBe('Accept-Encoding');
  });

  it('answers HEAD without a body, and 304 to a matching ETag', async () => {
    const head = await get(stack, '/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const etag = head.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get(stack, '/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('answers 404 to an asset it does not have, and 405 to other methods', async () => {
    for (const path of ['/explorer/nope.js', '/explorer/', '/explorer', '/explorer/index.html', `/explorer/${assetOf('.js')}.map`, '/explorer/main.js', '/index.html', '/favicon.ico']) {
      const res = await get(stack, path);
      expect(res.status, path).toBe(404);
    }
    const post = await get(stack, '/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('traversal', () => {
  const stack = useStack();
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer(stack.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A request line sent as written (a client library would normalize the path first). */
  function raw(path: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
      socket.on('error', reject);
    });
  }

  it('never serves a file outside its list, however the path is written', async () => {
    const secrets = [readFileSync(new URL('../../package.json', import.meta.url), 'utf8').slice(0, 40), 'root:x:0:0', 'loadConfig', 'createGateway'];
    const paths = [
      '/explorer/../package.json',
      '/explorer/../../package.json',
      '/explorer/%2e%2e/package.json',
      '/explorer/%2e%2e%2fpackage.json',
      '/explorer/..%2F..%2Fpackage.json',
      '/explorer/..%5c..%5cpackage.json',
      '/explorer/....//....//package.json',
      '/explorer/%252e%252e%252fpackage.json',
      '/explorer/../src/main.ts',
      '/explorer/../../../../../../etc/passwd',
      '//etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/explorer/%00',
      '/explorer/index.html%00.js',
      `/explorer/${assetOf('.js')}/../../src/config/config.ts`,
      '/explorer/./../explorer/src/main.ts',
    ];
    for (const path of paths) {
      const res = await raw(path);
      expect([400, 404], path).toContain(res.status);
      for (const secret of secrets) expect(res.text, path).not.toContain(secret);
    }
    // The same connection-level client serves a listed file: the check itself works.
    expect((await raw(`/explorer/${assetOf('.css')}`)).status).toBe(200);
  });
});

describe('EXPLORER=false', () => {
  const stack = useStack({ explorer: false });
  it('answers 404 for the page and its assets', async () => {
    for (const path of ['/', ...files.filter((f) => f !== 'index.html').map((f) => `/explorer/${f}`)]) {
      expect((await get(stack, path, { headers: { accept: 'text/html' } })).status, path).toBe(404);
    }
  });

  it('is read from the environment by the process', async () => {
    const gateway = startGateway({ EXPLORER: 'false' });
    try {
      const m = await waitFor(gateway.output, /listening on (http:\/\/[^/]+)\/graphql/);
      expect((await fetch(`${m[1]}/`)).status).toBe(404);
      expect((await fetch(`${m[1]}/health`)).status).toBe(200);
      expect(gateway.output()).not.toContain('Cost explorer on');
    } finally {
      gateway.child.kill('SIGTERM');
    }
  });
});

describe('the explorer under passthrough', () => {
  const stack = useStack({ auth: { mode: 'passthrough', tokens: [] } });
  it('is not served: the page would have to ask a browser for Scaleway keys', async () => {
    // Like any path the gateway does not serve: 401 to a caller without Scaleway credentials, 404 with them.
    for (const path of ['/', ...files.filter((f) => f !== 'index.html').map((f) => `/explorer/${f}`)]) {
      expect((await get(stack, path, { headers: { accept: 'text/html' } })).status, path).toBe(401);
      expect((await get(stack, path, { headers: { accept: 'text/html', 'x-auth-token': SECRET } })).status, path).toBe(404);
    }
  });
});

describe('the explorer under gateway tokens', () => {
  const stack = useStack({ auth: { mode: 'tokens', tokens: [{ name: 'finance', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*', scalrAccounts: '*', arbitraryOperations: false }] } });

  it('serves the page and its assets without a token, GET and HEAD only', async () => {
    for (const path of ['/', ...files.filter((f) => f !== 'index.html').map((f) => `/explorer/${f}`)]) {
      expect((await get(stack, path)).status, path).toBe(200);
      expect((await get(stack, path, { method: 'HEAD' })).status, path).toBe(200);
    }
    expect((await get(stack, '/', { method: 'POST', body: '{}' })).status).toBe(401);
    // Only the listed paths are public.
    expect((await get(stack, '/explorer/nope.js')).status).toBe(401);
  });

  it('still refuses the data without a token, and answers it with one', async () => {
    const body = JSON.stringify({ documentId: idOf(documents.ExplorerScopesDocument), variables: {} });
    const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };
    const refused = await get(stack, '/graphql', { method: 'POST', headers, body });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const answered = await get(stack, '/graphql', { method: 'POST', headers: { ...headers, authorization: `Bearer ${GATEWAY_TOKEN_ALL}` }, body });
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as any).data.servedOrganizations.length).toBeGreaterThan(0);
  });
});

describe.each([false, true])('the page’s documents by id, PERSISTED_ONLY=%s', (only) => {
  // GraphiQL off: an open gateway's callers may otherwise send documents of their own (GraphiQL users).
  const stack = useStack({ persisted: { manifest: PROJECT_DOCUMENTS, only }, graphiql: false, scalrPageSize: 100, finopsPageSize: 1000 });
  it('runs every document the page sends by its documentId', async () => {
    for (const [name, document, variables] of PAGE_DOCUMENTS) {
      expect(PROJECT_DOCUMENTS.has(idOf(document).replace('sha256:', '')), name).toBe(true);
      const res = await stack.persisted(idOf(document), variables);
      expect(res.errors, name).toBeUndefined();
      expect(res.data, name).toBeTruthy();
    }
    const text = await stack.query('{ servedOrganizations { organizationId } }');
    if (only) expect(text.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    else expect(text.errors).toBeUndefined();
  });
});
