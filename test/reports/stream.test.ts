import { describe, expect, it } from 'vitest';
import { startStack, useStack } from '../helpers/stack.js';

/**
 * Charge reports read FinOps pages row by row as they arrive (no page held whole where no answer is
 * cached): a page malformed, cut or of another organization mid-way fails the report with a code,
 * never a shortened total; the same report through a cache that keeps answers is equal.
 */
const NOW = new Date('2026-12-02T10:00:00Z');
const stack = useStack({ now: NOW, finopsPageSize: 1000, simulator: { chargesPerOrg: 3000 } });
const REPORT = `{ organization { chargeReport(from: "2026-11-01T00:00:00Z", to: "2026-11-05T00:00:00Z", granularity: DAY, groupBy: [PROJECT]) { rowCount totals { amount currency } buckets { totals { amount currency } } } } }`;
const codes = (r: any) => (r.errors ?? []).map((e: any) => e.extensions?.code);

describe('a charge report read row by row', () => {
  it('fails UPSTREAM_BAD_RESPONSE on a page that is not JSON', async () => {
    stack.sim.inject({ path: '/billing/v2beta1/charges', malformed: true, times: 1 });
    const r = await stack.query(REPORT);
    expect(codes(r)).toEqual(['UPSTREAM_BAD_RESPONSE']);
    expect(r.data.organization).toBeNull();
  });

  it('on a page cut mid-row: a code, or the whole report (a retry before any row was read), never a shortened one', async () => {
    const clean = await stack.query(REPORT);
    for (const cutAfterBytes of [200, 2_000, 20_000]) {
      stack.sim.inject({ path: '/billing/v2beta1/charges', cutAfterBytes, times: 1 });
      const r = await stack.query(REPORT);
      if (r.errors) {
        expect(codes(r)).toEqual(['UPSTREAM_UNAVAILABLE']);
        expect(r.data.organization).toBeNull();
      } else expect(r.data, `cut after ${cutAfterBytes} bytes`).toEqual(clean.data);
    }
    // Without retries, always the code.
    const once = await startStack({ now: NOW, finopsPageSize: 1000, simulator: { chargesPerOrg: 3000 }, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1, retryAfterCapMs: 1 } });
    try {
      for (const cutAfterBytes of [200, 20_000]) {
        once.sim.inject({ path: '/billing/v2beta1/charges', cutAfterBytes, times: 1 });
        const cut = await once.query(REPORT);
        expect(codes(cut)).toEqual(['UPSTREAM_UNAVAILABLE']);
      }
    } finally {
      await once.close();
    }
  });

  it('fails UPSTREAM_BAD_RESPONSE on a row of another organization, or a row not in the documented shape', async () => {
    const row = (org: string, price: unknown) => ({ organization_id: org, project_id: '11111111-1111-4111-8111-111111111111', sku: 's', resource_id: 'r', price, start_date: '2026-11-01T00:00:00Z', end_date: '2026-11-01T23:59:59.999999Z' });
    const page = (rows: unknown[]) => ({ path: '/billing/v2beta1/charges', status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ charges: rows, next_page_token: '' }), times: 1 });
    stack.sim.inject(page([row(stack.orgs[0]!, { currency_code: 'EUR', units: 1, nanos: 0 }), row('22222222-2222-4222-8222-222222222222', { currency_code: 'EUR', units: 1 })]));
    expect(codes(await stack.query(REPORT))).toEqual(['UPSTREAM_BAD_RESPONSE']);
    stack.sim.inject(page([row(stack.orgs[0]!, { currency_code: 'EUR', units: 1.5 })]));
    expect(codes(await stack.query(REPORT))).toEqual(['UPSTREAM_BAD_RESPONSE']);
  });

  it('answers as the same report read through a cache that keeps whole pages', async () => {
    const streamed = await stack.query(REPORT);
    expect(streamed.errors).toBeUndefined();
    const cached = await startStack({ now: NOW, finopsPageSize: 1000, simulator: { chargesPerOrg: 3000 }, cache: true });
    try {
      const first = await cached.query(REPORT);
      cached.sim.resetLog();
      const hit = await cached.query(REPORT);
      expect(cached.sim.log).toHaveLength(0);
      expect(first.data).toEqual(streamed.data);
      expect(hit.data).toEqual(streamed.data);
    } finally {
      await cached.close();
    }
  });
});
