import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/config/tokens.js';
import { Simulator } from '../../src/simulator/server.js';
import { startAgainst } from '../helpers/process.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL, GATEWAY_TOKEN_GLOBEX, SCALR_TOKEN, SECRET, SIGNING_KEY } from '../helpers/secrets.js';

/**
 * Each attack of the security review, tried as an attacker would: over a real socket against the
 * real gateway process (`src/main.ts`) in tokens mode, pointed at the simulator as at Scaleway and
 * Scalr. Each test failed on the gateway before the fix.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const sim = new Simulator({ scalewaySecretKey: SECRET, scalrToken: SCALR_TOKEN });
const [ACME, GLOBEX] = sim.data.organizations.map((o) => o.id) as [string, string];
const [ACC_A, ACC_B] = sim.data.scalrAccounts.map((a) => a.id) as [string, string];
const acme = { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` };
const all = { authorization: `Bearer ${GATEWAY_TOKEN_ALL}` };
let base = '';
let output: () => string;
let stop: () => void;

beforeAll(async () => {
  await sim.listen();
  const gateway = await startAgainst(
    { url: sim.url, secret: SECRET, scalrToken: SCALR_TOKEN, organizations: sim.data.organizations.map((o) => o.id), scalrAccounts: sim.data.scalrAccounts.map((a) => a.id) },
    {
      GATEWAY_TOKENS: JSON.stringify([
        { name: 'acme-dashboard', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [ACME], scalrAccounts: [ACC_A] },
        { name: 'finance', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*', scalrAccounts: '*' },
        { name: 'globex-dashboard', sha256: sha256(GATEWAY_TOKEN_GLOBEX), organizations: [GLOBEX], scalrAccounts: [ACC_B] },
      ]),
      GATEWAY_SIGNING_KEYS: SIGNING_KEY,
      CORS_ORIGINS: 'https://app.example.com',
      MAX_UPSTREAM_CALLS: '30',
      FINOPS_PAGE_SIZE: '100',
    },
  );
  base = gateway.base;
  output = gateway.output;
  stop = () => gateway.child.kill('SIGKILL');
});
afterAll(async () => {
  stop?.();
  await sim.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.resetLog();
});

async function post(body: unknown, headers: Record<string, string> = acme) {
  const res = await request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as any };
}
const gql = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = acme) => (await post({ query, variables }, headers)).body;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await request(`${base}${path}`, { headers });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
};
const codes = (r: { errors?: { extensions?: { code?: string } }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('1. invoice PDFs', () => {
  const acmeInvoice = sim.data.invoices.get(ACME)![3]!.id;
  const globexInvoice = sim.data.invoices.get(GLOBEX)![3]!.id;

  it('serves no PDF to a browser without a token (Accept: text/html is no credential)', async () => {
    const res = await get(`/invoices/${acmeInvoice}.pdf`, { accept: 'text/html,application/xhtml+xml' });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('%PDF');
    expect(sim.calls('/billing')).toHaveLength(0);
  });

  it('serves no PDF of another organization to a scoped token, and says "not found"', async () => {
    const res = await get(`/invoices/${globexInvoice}.pdf`, { ...acme, accept: 'text/html' });
    expect(res.status).toBe(404);
    expect(sim.calls(`/billing/v2beta1/invoices/${globexInvoice}/download`)).toHaveLength(0);
  });

  it('hands out signed, expiring links that open without a token, and refuses any changed part with 403', async () => {
    const r = await gql(`query($id: UUID) { organization(id: $id) { invoices(first: 1) { edges { node { invoiceId downloadUrl } } } } }`, { id: ACME });
    const { invoiceId, downloadUrl } = r.data.organization.invoices.edges[0].node;
    const url = new URL(downloadUrl);
    expect(url.pathname).toBe(`/invoices/${invoiceId}.pdf`);
    expect([...url.searchParams.keys()].sort()).toEqual(['expires', 'organization', 'signature']);
    expect(Number(url.searchParams.get('expires')) - Date.now() / 1000).toBeGreaterThan(250);
    const link = `${url.pathname}${url.search}`;
    const ok = await get(link);
    expect(ok.status).toBe(200);
    expect(ok.text.startsWith('%PDF-')).toBe(true);
    const changed = (key: string, value: string) => {
      const u = new URL(url);
      u.searchParams.set(key, value);
      return `${u.pathname}${u.search}`;
    };
    for (const bad of [
      changed('organization', GLOBEX),
      changed('expires', String(Number(url.searchParams.get('expires')) + 3600)),
      changed('signature', `${url.searchParams.get('signature')!.slice(0, -2)}AA`),
      link.replace(invoiceId, globexInvoice),
    ]) {
      const res = await get(bad);
      expect(res.status, bad).toBe(403);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('FORBIDDEN');
    }
    // A link that has expired (signed with the gateway's key, its time past).
    const { signPdfLink } = await import('../../src/access/pdf-link.js');
    const { Keyring } = await import('../../src/lib/keys.js');
    const expired = signPdfLink(new Keyring([SIGNING_KEY]), { invoiceId, organizationId: ACME, expires: Math.floor(Date.now() / 1000) - 1 });
    const late = await get(`/invoices/${invoiceId}.pdf?${expired}`);
    expect(late.status).toBe(403);
    expect(late.text).toMatch(/expired/);
    // Only the good link downloaded.
    expect(sim.calls('/billing/v2beta1/invoices').filter((c) => c.path.endsWith('/download'))).toHaveLength(1);
  });
});

describe('2. a project filter across tenants', () => {
  it('serves no consumption of another organization’s project', async () => {
    const project = sim.data.organizations[1]!.projects[0]!.id;
    const period = sim.data.now.toISOString().slice(0, 7);
    expect(sim.data.consumptions(GLOBEX, period).filter((c) => c.projectId === project).length).toBeGreaterThan(0);
    const r = await gql(`query($id: UUID, $p: UUID) { organization(id: $id) { consumptions(projectId: $p) { totalCount totals { amount currency } edges { node { projectId } } } } }`, {
      id: ACME,
      p: project,
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.consumptions).toEqual({ totalCount: 0, totals: [], edges: [] });
    // Read by organization, never by project.
    expect(sim.calls('/billing/v2beta1/consumptions').every((c) => c.query.get('organization_id') === ACME && !c.query.has('project_id'))).toBe(true);
  });

  it('serves a project of one’s own organization, exactly', async () => {
    const project = sim.data.organizations[0]!.projects[1]!.id;
    const period = sim.data.now.toISOString().slice(0, 7);
    const expected = sim.data.consumptions(ACME, period).filter((c) => c.projectId === project);
    const r = await gql(`query($p: UUID) { organization { consumptions(projectId: $p, first: 500) { totalCount edges { node { projectId sku } } } } }`, { p: project });
    expect(r.data.organization.consumptions.totalCount).toBe(expected.length);
    expect(r.data.organization.consumptions.edges.map((e: any) => e.node.sku)).toEqual(expected.map((c) => c.sku));
  });
});

describe('3. forged cursors', () => {
  /** A cursor as the old gateway made them: a SHA-256 of public inputs, which anyone can compute. */
  const oldOffsetCursor = (name: string, filter: unknown, offset: number) =>
    Buffer.from(`o1:${offset}:${createHash('sha256').update(`${name}\n${JSON.stringify(filter)}\n${offset}`).digest('base64url').slice(0, 16)}`).toString('base64url');

  it('refuses an offset cursor minted from public inputs, without an upstream call', async () => {
    const forged = oldOffsetCursor('Organization.invoices', { organizationId: ACME, orderBy: 'start_date_desc' }, 5);
    const r = await gql(`query($c: String) { organization { invoices(first: 2, after: $c) { edges { node { invoiceId } } } } }`, { c: forged });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(sim.log).toHaveLength(0);
  });

  it('never sends a page token of the caller’s choosing upstream', async () => {
    const window = { startDateAfter: '2026-01-01T00:00:00Z', endDateBefore: '2026-02-01T00:00:00Z' };
    const positions = [['CHOSEN-BY-ATTACKER', 0]];
    const query = { organizationId: ACME, startDateAfter: '2026-01-01T00:00:00.000Z', endDateBefore: '2026-02-01T00:00:00.000Z', clampToTimeRange: false, orderBy: 'start_date_asc' };
    const sig = createHash('sha256')
      .update(`Organization.charges\n${JSON.stringify({ query, chunk: 50 })}\n${JSON.stringify(positions)}`)
      .digest('base64url')
      .slice(0, 16);
    const forged = Buffer.from(JSON.stringify(['t1', positions, sig])).toString('base64url');
    const r = await gql(`query($c: String, $f: ChargeFilter!) { organization { charges(first: 5, after: $c, filter: $f) { edges { node { sku } } } } }`, { c: forged, f: window });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(sim.log.some((c) => c.query.get('page_token') === 'CHOSEN-BY-ATTACKER')).toBe(false);
  });

  it('hides the upstream page token inside a charges cursor', async () => {
    const now = sim.data.now;
    const window = { startDateAfter: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)).toISOString(), endDateBefore: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString() };
    const r = await gql(`query($f: ChargeFilter!) { organization { charges(first: 150, filter: $f) { pageInfo { endCursor } } } }`, { f: window });
    const cursor: string = r.data.organization.charges.pageInfo.endCursor;
    // Pages of 100 (FINOPS_PAGE_SIZE): the cursor after row 150 resumes on the second page, by its token.
    const tokens = sim.log.map((c) => c.query.get('page_token')).filter(Boolean) as string[];
    expect(tokens.length).toBeGreaterThan(0);
    // The simulator issues random tokens; none may be readable in the cursor in any encoding.
    const decoded = [cursor, Buffer.from(cursor.replace(/^t2\./, ''), 'base64url').toString('latin1')];
    for (const token of tokens) for (const text of decoded) expect(text).not.toContain(token);
  });
});

describe('4. the cost limit', () => {
  it('counts the ids of organizations(ids:) and nodes(ids:)', async () => {
    const ids = Array.from({ length: 50 }, () => ACME);
    const r = await gql(`query($ids: [UUID!]!) { organizations(ids: $ids) { invoices(first: 500) { edges { node { invoiceId } } } } }`, { ids }, all);
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(r.errors[0].extensions.cost).toBe(25_000);
    const nodes = Array.from({ length: 100 }, () => Buffer.from(`Organization:${ACME}`).toString('base64'));
    const n = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { invoices(first: 100) { totalCount } } } }`, { ids: nodes }, all);
    expect(codes(n)).toEqual(['QUERY_TOO_COSTLY']);
    expect(n.errors[0].extensions.cost).toBe(10_000);
    expect(sim.log).toHaveLength(0);
  });

  it('reads a variable’s default as its value', async () => {
    const r = await gql(`query($n: Int = 500) { organization { a: invoices(first: $n) { totalCount } b: consumptions(first: $n) { totalCount } c: discounts(first: $n) { totalCount } d: invoices(last: $n) { totalCount } e: discounts(last: $n) { totalCount } f: invoices(first: $n, orderBy: DUE_DATE_ASC) { totalCount } g: discounts(first: $n, orderBy: STOP_DATE_ASC) { totalCount } } }`);
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(r.errors[0].extensions.cost).toBe(3500);
    expect(sim.log).toHaveLength(0);
  });

  it('sums the operations of a batch', async () => {
    const op = { query: `{ organization { a: invoices(first: 500) { totalCount } b: invoices(first: 500, orderBy: DUE_DATE_ASC) { totalCount } } }` };
    const res = await post(Array.from({ length: 4 }, () => op));
    const results = res.body as any[];
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(codes(result)).toEqual(['QUERY_TOO_COSTLY']);
      expect(result.errors[0].extensions.cost).toBe(4000);
    }
    expect(sim.log).toHaveLength(0);
    // Three of them fit.
    const fine = (await post(Array.from({ length: 3 }, () => op))).body as any[];
    expect(fine.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
  });

  it('costs each fragment once: 4 levels of 60 spreads are costed at once, the process answering meanwhile', async () => {
    const spreads = (name: string) => Array.from({ length: 60 }, () => `...${name}`).join(' ');
    const query = `query { organization { ...L4 } }
      fragment L4 on Organization { ${spreads('L3')} }
      fragment L3 on Organization { ${spreads('L2')} }
      fragment L2 on Organization { ${spreads('L1')} }
      fragment L1 on Organization { ${spreads('L0')} }
      fragment L0 on Organization { invoices(first: 1) { totalCount } }`;
    expect(query.length).toBeLessThan(2_500);
    const started = Date.now();
    const r = await gql(query);
    const took = Date.now() - started;
    // 60⁴ connections of 1 row: refused by its cost, before anything runs.
    expect(codes(r)).toEqual(['QUERY_TOO_COSTLY']);
    expect(r.errors[0].extensions.cost).toBe(60 ** 4);
    // The old walk took 4–10 s here; costing once per fragment takes milliseconds.
    expect(took).toBeLessThan(2_000);
    expect((await get('/health')).status).toBe(200);
  });

  it('stops a request at MAX_UPSTREAM_CALLS, with a coded error and no more calls', async () => {
    // 5 organizations × 7 orders of one invoice each: 35 calls where the limit is 30 (and 35 rows, a cheap query).
    const orders = ['DUE_DATE_ASC', 'DUE_DATE_DESC', 'START_DATE_ASC', 'START_DATE_DESC', 'ISSUED_DATE_ASC', 'ISSUED_DATE_DESC', 'TOTAL_TAXED_ASC'];
    const r = await gql(
      `query($ids: [UUID!]!) { organizations(ids: $ids) { ${orders.map((o, i) => `i${i}: invoices(first: 1, orderBy: ${o}) { totalCount }`).join(' ')} } }`,
      { ids: sim.data.organizations.map((o) => o.id) },
      all,
    );
    expect(r.errors?.length).toBeGreaterThan(0);
    for (const error of r.errors) expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', variable: 'MAX_UPSTREAM_CALLS', limit: 30 });
    expect(sim.log.length).toBeLessThanOrEqual(30);
  });
});

describe('5. minted tokens', () => {
  it('scope nothing by default, and print their scopes', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/new-token.ts', 'dashboard', '--organizations', ACME], { cwd: root, encoding: 'utf8' });
    const entry = JSON.parse(/\{"name".*\}/.exec(out)![0]);
    expect(entry.organizations).toEqual([ACME]);
    expect(entry.scalrAccounts).toEqual([]);
    expect(out).toMatch(/Scalr accounts: none/);
    const bare = JSON.parse(/\{"name".*\}/.exec(execFileSync(process.execPath, ['--import', 'tsx', 'scripts/new-token.ts', 'nobody'], { cwd: root, encoding: 'utf8' }))![0]);
    expect(bare).toMatchObject({ organizations: [], scalrAccounts: [] });
  });
});

describe('6. CORS', () => {
  it('sends no CORS headers to an origin that is not listed', async () => {
    const evil = await post({ query: '{ organization { organizationId } }' }, { ...acme, origin: 'https://evil.example' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await request(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    await preflight.body.dump();
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows a listed origin, never with credentials', async () => {
    const res = await post({ query: '{ organization { organizationId } }' }, { ...acme, origin: 'https://app.example.com' });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await request(`${base}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    await preflight.body.dump();
    expect(preflight.statusCode).toBeLessThan(300);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/);
  });
});

describe('7. existence disclosure', () => {
  it('answers "not yours" exactly as "does not exist", in the graph and on the PDF route', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    const theirs = await gql(`query($id: UUID) { organization(id: $id) { organizationId } }`, { id: GLOBEX });
    const none = await gql(`query($id: UUID) { organization(id: $id) { organizationId } }`, { id: unknown });
    expect(codes(theirs)).toEqual(['NOT_FOUND']);
    expect(theirs.errors[0].message.replace(GLOBEX, 'X')).toBe(none.errors[0].message.replace(unknown, 'X'));
    const scalrTheirs = await gql(`query($id: ID) { scalrAccount(id: $id) { accountId } }`, { id: ACC_B });
    const scalrNone = await gql(`query($id: ID) { scalrAccount(id: $id) { accountId } }`, { id: 'acc-doesnotexist0' });
    expect(codes(scalrTheirs)).toEqual(['NOT_FOUND']);
    expect(scalrTheirs.errors[0].message.replace(ACC_B, 'X')).toBe(scalrNone.errors[0].message.replace('acc-doesnotexist0', 'X'));
    const pdfTheirs = await get(`/invoices/${sim.data.invoices.get(GLOBEX)![0]!.id}.pdf`, acme);
    const pdfNone = await get(`/invoices/${unknown}.pdf`, acme);
    expect([pdfTheirs.status, pdfNone.status]).toEqual([404, 404]);
    expect(pdfTheirs.text.replace(/[0-9a-f-]{36}/, 'X')).toBe(pdfNone.text.replace(/[0-9a-f-]{36}/, 'X'));
  });
});

describe('8. secrets echoed by an upstream', () => {
  const upper = SECRET.toUpperCase();
  const partial = SECRET.slice(0, 20);
  const windows = (text: string) => {
    const lower = text.toLowerCase();
    return [SECRET, SCALR_TOKEN, GATEWAY_TOKEN_ACME].flatMap((s) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12).toLowerCase())).filter((w) => lower.includes(w));
  };

  it('cuts the key from every field of an error, in any case and in part', async () => {
    sim.inject({
      path: '/billing/v2beta1/invoices',
      status: 403,
      headers: { 'content-type': 'application/json', 'x-request-id': `req-${upper}` },
      body: JSON.stringify({ type: `denied_for_${upper}`, message: `key ${upper} (${partial}…) may not read this` }),
      times: 1,
    });
    sim.inject({
      path: '/api/iacp/v3/usage-statistics',
      status: 422,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ errors: [{ status: '422', code: `bad-${SCALR_TOKEN.toUpperCase()}`, title: `Token ${SCALR_TOKEN}`, detail: `for ${partial}`, source: { parameter: SCALR_TOKEN.toUpperCase() } }] }),
      times: 1,
    });
    const before = output().length;
    const res = await post(
      {
        query: `query($id: ID) { organization { invoices(first: 1) { totalCount } } scalrAccount(id: $id) { usageStatistics(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z") { totalCount } } }`,
        variables: { id: ACC_A },
      },
      acme,
    );
    const text = JSON.stringify(res.body);
    expect(res.body.errors.length).toBe(2);
    expect(windows(text)).toEqual([]);
    // Callers get the gateway's words; the upstream's go to the log, cut of every piece of a credential.
    expect(res.body.errors.map((e: any) => e.message).sort()).toEqual(['Scaleway answered 403', 'Scalr answered 422']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = output().slice(before);
    expect(log).toContain('[redacted]');
    expect(windows(log)).toEqual([]);
  });

  it('cuts a gateway token the caller sent from what it is answered and from the log', async () => {
    const res = await post({ query: `query($x: Int) { organization { invoices(first: $x) { totalCount } } }`, variables: { x: GATEWAY_TOKEN_ACME } }, acme);
    expect(codes(res.body)).toEqual(['BAD_USER_INPUT']);
    expect(windows(JSON.stringify(res.body))).toEqual([]);
  });
});

describe('9. a malformed path', () => {
  it('answers 400 without a stack trace or a file path', async () => {
    for (const path of ['/invoices/%E0%A4%A.pdf', '/invoices/%.pdf', '/invoices/%FF%FE.pdf']) {
      const res = await get(path, acme);
      expect(res.status, path).toBe(400);
      expect(res.text).not.toMatch(/\bat \w|node_modules|\/src\/|file:\/\//);
    }
    const link = await get('/invoices/%E0%A4%A.pdf?organization=x&expires=1&signature=x');
    expect([400, 403]).toContain(link.status);
    expect(link.text).not.toMatch(/\bat \w|node_modules|\/src\//);
  });
});

describe('a second adversarial pass', () => {
  it('answers text of the caller’s the same whether or not it holds a piece of a credential (no redaction oracle)', async () => {
    const echo = async (text: string) => {
      const r = await gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [Buffer.from(`Invoice:x/zz${text}zz`).toString('base64')] });
      return JSON.stringify(r).replaceAll(text, 'TEXT');
    };
    // A piece of the gateway's Scaleway key, and text of the same shape that is none.
    const piece = SECRET.slice(8, 20);
    const other = '-0000-4000-8';
    expect(await echo(piece)).toBe(await echo(other));
    // Variables echoed by graphql-js too.
    const variable = async (text: string) => JSON.stringify(await gql(`query($id: UUID) { organization(id: $id) { organizationId } }`, { id: `zz${text}zz` })).replaceAll(text, 'TEXT');
    expect(await variable(piece)).toBe(await variable(other));
    expect(sim.log).toHaveLength(0);
  });

  it('costs a persisted document sent with an empty query like any other', async () => {
    const { PROJECT_DOCUMENTS } = await import('../helpers/stack.js');
    const [id] = [...PROJECT_DOCUMENTS].find(([, text]) => text.includes('query InvoicesPage'))!;
    const res = await post(Array.from({ length: 7 }, () => ({ query: '', documentId: id, variables: { first: 500 } })));
    expect((res.body as any[]).map(codes)).toEqual(Array.from({ length: 7 }, () => ['QUERY_TOO_COSTLY']));
    expect(sim.log).toHaveLength(0);
  });

  it('runs a persisted document by GET ?documentId=', async () => {
    const { PROJECT_DOCUMENTS } = await import('../helpers/stack.js');
    const [id] = [...PROJECT_DOCUMENTS].find(([, text]) => text.includes('query InvoicesPage'))!;
    const res = await get(`/graphql?documentId=${id}&variables=${encodeURIComponent(JSON.stringify({ first: 2 }))}`, { ...acme, accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).data.organization.invoices.edges).toHaveLength(2);
  });

  it('does not name the default organization or Scalr account to a caller who may not read them', async () => {
    const globex = { authorization: `Bearer ${GATEWAY_TOKEN_GLOBEX}` };
    const r = await gql(`{ organization { organizationId } }`, {}, globex);
    expect(codes(r)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(r)).not.toContain(ACME);
    const s = await gql(`{ scalrAccount { accountId } }`, {}, globex);
    expect(codes(s)).toEqual(['NOT_FOUND']);
    expect(JSON.stringify(s)).not.toContain(ACC_A);
  });

  it('refuses a batch entry that is no request with a code, not an internal error', async () => {
    const res = await post([{ query: '{ __typename }' }, null, 1]);
    const results = res.body as any[];
    expect(results[0].data).toEqual({ __typename: 'Query' });
    expect(results.slice(1).map(codes)).toEqual([['BAD_REQUEST'], ['BAD_REQUEST']]);
  });

  it('serves a signed link written in capitals as the same invoice', async () => {
    const r = await gql(`{ organization { invoices(first: 1) { edges { node { downloadUrl } } } } }`);
    const url = new URL(r.data.organization.invoices.edges[0].node.downloadUrl);
    const res = await get(`${url.pathname.toUpperCase().replace('/INVOICES/', '/invoices/').replace('.PDF', '.pdf')}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('%PDF-')).toBe(true);
  });

  it('never lets a global id name another upstream path', async () => {
    for (const raw of [`Invoice:${ACME}/..`, `Invoice:${ACME}/../../account/v3/projects`, `Discount:${ACME}/..`]) {
      const r = await gql(`query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from(raw).toString('base64') });
      expect(r.data.node).toBeNull();
    }
    expect(sim.log).toHaveLength(0);
  });

  it('tells caches that answers differ by Origin, and never quotes a malformed body back', async () => {
    const res = await post({ query: '{ organization { organizationId } }' }, { ...acme, origin: 'https://app.example.com' });
    expect(String(res.headers.vary)).toMatch(/origin/i);
    const bad = await request(`${base}/graphql`, { method: 'POST', headers: { ...acme, 'content-type': 'application/json' }, body: '{"query": "SECRET-LOOKING BODY' });
    const text = await bad.body.text();
    expect(bad.statusCode).toBe(400);
    expect(text).not.toContain('SECRET-LOOKING');
    expect(text).not.toContain('originalError');
  });
});
