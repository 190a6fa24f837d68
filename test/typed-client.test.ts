import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { BillingGraphClient } from '../client/billing-client.js';
import { useStack } from './helpers/stack.js';

/** The generated TypedDocumentNodes, used as a frontend would, against the gateway over a real socket. */
const stack = useStack();
let server: Server;
let client: BillingGraphClient;

beforeAll(async () => {
  server = createServer(stack.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new BillingGraphClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('typed client', () => {
  it('pages through every invoice with typed rows', async () => {
    const numbers: (number | null)[] = [];
    for await (const invoice of client.invoices(undefined, 100)) {
      expectTypeOf(invoice.totalTaxed).toEqualTypeOf<{ amount: string; currency: string } | null>();
      expectTypeOf(invoice.invoiceType).toEqualTypeOf<'CREDIT_NOTE' | 'PERIODIC' | 'PURCHASE' | 'UNKNOWN'>();
      expect(typeof invoice.totalTaxed?.amount).toBe('string');
      numbers.push(invoice.number);
    }
    expect(numbers).toHaveLength(540);
    // 540 invoices in pages of 100: six requests, one upstream call each.
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(6);
  });

  it('pages through a month of FinOps charges with typed rows', async () => {
    const now = new Date();
    const filter = {
      startDateAfter: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)).toISOString(),
      endDateBefore: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString(),
    };
    let count = 0;
    for await (const charge of client.charges(filter, 250)) {
      expectTypeOf(charge.price.amount).toEqualTypeOf<string>();
      expectTypeOf(charge.resourceName).toEqualTypeOf<string | null>();
      expect(charge.startDate >= filter.startDateAfter.replace('.000Z', 'Z')).toBe(true);
      count++;
    }
    const expected = stack.sim.data.charges
      .get(stack.orgs[0]!)!
      .filter((c) => Date.parse(c.startDate) >= Date.parse(filter.startDateAfter) && Date.parse(c.endDate) < Date.parse(filter.endDateBefore)).length;
    expect(count).toBe(expected);
    expect(count).toBeGreaterThan(250);
  });

  it('surfaces the error code of a refused request', async () => {
    await expect(client.request((await import('../client/generated/graphql.js')).InvoicesPageDocument, { first: -1 })).rejects.toThrow(/^BAD_USER_INPUT/);
  });
});
