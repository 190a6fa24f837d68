import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/config/tokens.js';
import { generate } from '../../src/simulator/data.js';
import { GATEWAY_TOKEN_ACME, PASSTHROUGH_KEY, PASSTHROUGH_SCALR } from '../helpers/secrets.js';
import { type Stack, useStack } from '../helpers/stack.js';

/**
 * Tenant isolation as a matrix: a caller of organization A (and Scalr account A) asks, in every way
 * the graph offers, for organization B's bills (and Scalr account B's usage) — every query root,
 * every connection, every filter that takes an id, node/nodes, the PDF route and signed links;
 * alone, batched, aliased, through fragments and through variables; with a gateway token scoped to
 * A, and in passthrough mode with upstream credentials scoped to A. Nothing of B is ever served.
 */
const seeded = generate(42);
const [A, B] = seeded.organizations as [(typeof seeded.organizations)[0], (typeof seeded.organizations)[0]];
const [ACC_A, ACC_B] = seeded.scalrAccounts as [(typeof seeded.scalrAccounts)[0], (typeof seeded.scalrAccounts)[0]];
const bInvoice = seeded.invoices.get(B.id)![2]!;
const bDiscount = seeded.discounts.get(B.id)![0]!;
const bCharge = seeded.charges.get(B.id)!.find((c) => c.invoiceId)!;
const node = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** Every id of B: none may appear in what a caller of A is served. */
const bIds = [
  B.id,
  ...B.projects.map((p) => p.id),
  ...seeded.invoices.get(B.id)!.map((i) => i.id),
  ...seeded.discounts.get(B.id)!.map((d) => d.id),
  ...new Set(seeded.charges.get(B.id)!.map((c) => c.resourceId)),
  ACC_B.id,
  ...ACC_B.workspaces.map((w) => w.id),
  ...ACC_B.environments.map((e) => e.id),
];

const values: Record<string, [type: string, value: unknown]> = {
  a: ['UUID', A.id],
  b: ['UUID', B.id],
  bOrgNode: ['ID!', node('Organization', B.id)],
  bInvoiceNode: ['ID!', node('Invoice', `${B.id}/${bInvoice.id}`)],
  bDiscountNode: ['ID!', node('Discount', `${B.id}/${bDiscount.id}`)],
  // A's organization in the global id, B's object in it: the lookup must check whose it is.
  forgedInvoiceNode: ['ID!', node('Invoice', `${A.id}/${bInvoice.id}`)],
  forgedDiscountNode: ['ID!', node('Discount', `${A.id}/${bDiscount.id}`)],
  bProject: ['UUID!', B.projects[0]!.id],
  bInvoice: ['String!', bInvoice.id],
  bChargeInvoice: ['String!', bCharge.invoiceId],
  bResource: ['String!', bCharge.resourceId],
  accB: ['ID', ACC_B.id],
  accBNode: ['ID!', node('ScalrAccount', ACC_B.id)],
  from: ['DateTime!', new Date(Date.parse(bCharge.startDate) - 40 * 86_400_000).toISOString()],
  to: ['DateTime!', new Date(Date.parse(bCharge.startDate) + 40 * 86_400_000).toISOString()],
  period: ['BillingPeriod!', bCharge.startDate.slice(0, 7)],
};

/** Root selections asking for B; `$name` stands for a value of `values`. */
const cases: [string, string][] = [
  ['organization(id:)', `organization(id: $b) { organizationId invoices(first: 5) { edges { node { invoiceId downloadUrl } } } discounts(first: 5) { edges { node { discountId } } } }`],
  ['organizations(ids:)', `organizations(ids: [$b, $a]) { organizationId consumptions(first: 5) { edges { node { projectId sku } } } }`],
  ['node(id:) of B', `node(id: $bOrgNode) { id ... on Organization { organizationId } }`],
  [
    'nodes(ids:) of B and forged ones',
    `nodes(ids: [$bOrgNode, $bInvoiceNode, $bDiscountNode, $forgedInvoiceNode, $forgedDiscountNode]) { id ... on Invoice { invoiceId downloadUrl } ... on Discount { discountId } }`,
  ],
  ['consumptions(projectId:) of B', `organization(id: $a) { consumptions(projectId: $bProject, first: 50) { totalCount totals { amount } edges { node { projectId sku } } } }`],
  ['charges(projectIds:) of B', `organization(id: $a) { charges(first: 50, filter: { startDateAfter: $from, endDateBefore: $to, projectIds: [$bProject] }) { edges { node { resourceId projectId invoiceId } } } }`],
  ['charges(invoiceIds:) of B', `organization(id: $a) { charges(first: 50, filter: { startDateAfter: $from, endDateBefore: $to, invoiceIds: [$bChargeInvoice] }) { edges { node { resourceId invoiceId } } } }`],
  ['charges(resourceIds:) of B', `organization(id: $a) { charges(first: 50, filter: { startDateAfter: $from, endDateBefore: $to, resourceIds: [$bResource] }) { edges { node { resourceId projectId } } } }`],
  ['scalrAccount(id:) of B', `scalrAccount(id: $accB) { accountId usageStatistics(from: $from, to: $to, first: 50, breakdownBy: WORKSPACE) { totalCount edges { node { breakdownId } } } }`],
  ['node(id:) of B’s Scalr account', `node(id: $accBNode) { id }`],
  ['servedOrganizations, servedScalrAccounts', `servedOrganizations { organizationId } servedScalrAccounts { accountId }`],
  ['reconciliation of B’s period', `organization(id: $b) { reconciliation(billingPeriod: $period) { status invoices { invoiceId } chargesTotal { amount } } }`],
  ['reconciliation of B’s invoice by node id', `nodes(ids: [$bInvoiceNode, $forgedInvoiceNode]) { id ... on Invoice { invoiceId reconciliation { chargeCount bySku(first: 5) { edges { node { sku } } } } } }`],
];

const used = (text: string) => [...new Set([...text.matchAll(/\$(\w+)/g)].map((m) => m[1]!))];
const literal = (text: string) => text.replace(/\$(\w+)/g, (_m, name: string) => JSON.stringify(values[name]![1]));
const declare = (names: string[]) => (names.length ? `(${names.map((n) => `$${n}: ${values[n]![0]}`).join(', ')})` : '');
const variablesOf = (names: string[]) => Object.fromEntries(names.map((n) => [n, values[n]![1]]));

/** The same requests, sent each way the graph allows. */
function shapes(): { name: string; body: unknown }[] {
  const out: { name: string; body: unknown }[] = [];
  for (const [name, selection] of cases) {
    out.push({ name: `${name}, literal`, body: { query: `{ ${literal(selection)} }` } });
    const vars = used(selection);
    out.push({ name: `${name}, variables`, body: { query: `query Q${declare(vars)} { ${selection} }`, variables: variablesOf(vars) } });
    out.push({ name: `${name}, fragment`, body: { query: `query${declare(vars)} { ...F } fragment F on Query { ${selection} }`, variables: variablesOf(vars) } });
  }
  const all = cases.map(([, s]) => s);
  const vars = used(all.join(' '));
  out.push({ name: 'every case aliased in one operation', body: { query: `query${declare(vars)} { ${all.map((s, i) => `c${i}: ${s}`).join(' ')} }`, variables: variablesOf(vars) } });
  out.push({ name: 'every case in one batch', body: cases.map(([, s]) => ({ query: `{ ${literal(s)} }` })) });
  return out;
}

async function send(stack: Stack, body: unknown, headers: Record<string, string>) {
  const text = JSON.stringify(body);
  const res = await stack.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers },
    body: text,
  });
  return { status: res.status, body: (await res.json()) as any };
}

/**
 * B's ids found in the data served (errors may name what the caller itself asked for). `named`:
 * ids the caller wrote itself that may come back as a bare handle (passthrough: the gateway holds
 * no list of organizations, so `node(id:)` of any id is an object whose every field asks the
 * upstream, which refuses; the id alone tells nothing, for it answers so for any id).
 */
function leaks(body: any, named: string[]): string[] {
  const data = JSON.stringify((Array.isArray(body) ? body : [body]).map((r: any) => r?.data ?? null)).toLowerCase();
  return bIds.filter((id) => !named.includes(id) && data.includes(id.toLowerCase()));
}

async function pdf(stack: Stack, path: string, headers: Record<string, string>) {
  const res = await stack.yoga.fetch(`http://gateway.test${path}`, { headers });
  return { status: res.status, text: await res.text() };
}

function matrix(mode: string, stack: Stack, headers: Record<string, string>, named: string[], upstreamChecks: (s: Stack) => void) {
  describe(mode, () => {
    it('serves nothing of B to a caller of A, whichever way it is asked', async () => {
      const requests = shapes();
      expect(requests.length).toBeGreaterThanOrEqual(30);
      for (const { name, body } of requests) {
        const r = await send(stack, body, headers);
        expect(r.status, name).toBeLessThan(500);
        expect(leaks(r.body, named), name).toEqual([]);
      }
      upstreamChecks(stack);
    });

    it('answers with A’s own data meanwhile (the caller is not simply refused everything)', async () => {
      const r = await send(stack, { query: `{ organization(id: "${A.id}") { invoices(first: 3) { edges { node { invoiceId } } } } scalrAccount(id: "${ACC_A.id}") { accountId } }` }, headers);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.organization.invoices.edges).toHaveLength(3);
      expect(r.body.data.scalrAccount.accountId).toBe(ACC_A.id);
    });

    it('serves no PDF of B, by id or by a link re-pointed at B', async () => {
      const byId = await pdf(stack, `/invoices/${bInvoice.id}.pdf`, headers);
      expect(byId.status).toBe(404);
      expect(byId.text).not.toContain('%PDF');
      const mine = await send(stack, { query: `{ organization(id: "${A.id}") { invoices(first: 1) { edges { node { invoiceId downloadUrl } } } } }` }, headers);
      const url = new URL(mine.body.data.organization.invoices.edges[0].node.downloadUrl);
      const own = `${url.pathname}${url.search}`;
      for (const path of [own.replace(url.pathname, `/invoices/${bInvoice.id}.pdf`), own.replace(A.id, B.id)]) {
        const res = await pdf(stack, path, {});
        expect(res.status, path).toBe(403);
        expect(res.text).not.toContain('%PDF');
      }
    });
  });
}

const tokens = useStack({
  auth: { mode: 'tokens', tokens: [{ name: 'a', sha256: sha256(GATEWAY_TOKEN_ACME), organizations: [A.id], scalrAccounts: [ACC_A.id], arbitraryOperations: false }] },
});
matrix('gateway token of A', tokens, { authorization: `Bearer ${GATEWAY_TOKEN_ACME}` }, [], (s) => {
  // Refused before any call: nothing of B was even asked for upstream, but the two forged global
  // ids (A's organization, B's objects), whose organization only the upstream knows.
  expect(s.sim.log.filter((c) => c.query.get('organization_id') === B.id || c.query.get('filter[account]') === ACC_B.id)).toEqual([]);
});

const passthrough = useStack({
  auth: { mode: 'passthrough', tokens: [] },
  simulator: { scopedKeys: { [PASSTHROUGH_KEY]: [A.id] }, scopedScalrTokens: { [PASSTHROUGH_SCALR]: [ACC_A.id] } },
});
matrix('passthrough credentials of A', passthrough, { 'x-auth-token': PASSTHROUGH_KEY, 'x-scalr-token': PASSTHROUGH_SCALR }, [B.id], (s) => {
  // Every call carried the caller's own credentials, which the upstream scopes to A.
  expect(s.sim.log.every((c) => c.headers['x-auth-token'] === PASSTHROUGH_KEY || c.headers.authorization === `Bearer ${PASSTHROUGH_SCALR}`)).toBe(true);
});
