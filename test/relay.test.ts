import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';

/**
 * Relay: relay-compiler compiles fragments with @connection and @refetchable on the three
 * connections against schema/schema.graphql, and the refetch queries it generates run on the gateway.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const stack = useStack();

/** The persisted id of a generated Relay query artifact: Relay sends ids, not texts. */
function operationId(name: string): string {
  const source = readFileSync(`${root}/relay/__generated__/${name}.graphql.ts`, 'utf8');
  return /"id": "([0-9a-f]{64})"/.exec(source)![1]!;
}

describe('Relay', () => {
  it('compiles the fragments, and the committed artifacts are current (relay-compiler --validate)', () => {
    // Throws (non-zero exit) on an invalid fragment or an artifact that would change.
    const out = execFileSync(`${root}/node_modules/.bin/relay-compiler`, ['--validate'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(out).not.toMatch(/ERROR/);
  });

  it('refetches an organization’s next page of invoices through node(id:)', async () => {
    const first = await stack.query(`{ organization { id invoices(first: 20) { pageInfo { endCursor } } } }`);
    const { id } = first.data.organization;
    const r = await stack.persisted(operationId('OrganizationInvoicesPaginationQuery'), { id, count: 20, cursor: first.data.organization.invoices.pageInfo.endCursor });
    expect(r.errors).toBeUndefined();
    expect(r.data.node.__typename).toBe('Organization');
    expect(r.data.node.invoices.edges).toHaveLength(20);
    expect(r.data.node.invoices.pageInfo.hasNextPage).toBe(true);
  });

  it('refetches charges and Scalr usage pages through node(id:)', async () => {
    const ids = await stack.query(`{ organization { id } scalrAccount { id } }`);
    const charges = await stack.persisted(operationId('OrganizationChargesPaginationQuery'), {
      id: ids.data.organization.id,
      count: 5,
      filter: { startDateAfter: new Date(Date.now() - 20 * 86_400_000).toISOString(), endDateBefore: new Date(Date.now() - 10 * 86_400_000).toISOString() },
    });
    expect(charges.errors).toBeUndefined();
    expect(charges.data.node.charges.edges).toHaveLength(5);
    const usage = await stack.persisted(operationId('ScalrUsagePaginationQuery'), {
      id: ids.data.scalrAccount.id,
      count: 3,
      from: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      to: new Date(Date.now() - 10 * 86_400_000).toISOString(),
      breakdownBy: 'ENVIRONMENT',
    });
    expect(usage.errors).toBeUndefined();
    expect(usage.data.node.usageStatistics.edges).toHaveLength(3);
  });

  it('runs the dashboard query built from the fragments', async () => {
    const r = await stack.persisted(operationId('DashboardQuery'), {
      filter: { startDateAfter: new Date(Date.now() - 5 * 86_400_000).toISOString(), endDateBefore: new Date(Date.now() - 86_400_000).toISOString() },
      from: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.organization.invoices.totalCount).toBe(540);
    expect(r.data.organization.charges.edges.length).toBeGreaterThan(0);
    expect(r.data.scalrAccount.usageStatistics.totalCount).toBeGreaterThan(0);
  });
});
