import { describe, expect, it } from 'vitest';
import { MemoryStore, type Store } from '../../src/fleet/store.js';
import { PASSTHROUGH_KEY, SECRET } from '../helpers/secrets.js';
import { startStack, useStack } from '../helpers/stack.js';

/**
 * The cache of upstream answers, in process: paging walks across requests read each upstream page
 * once, concurrent requests share one call, a caller can ask for fresh figures, a credential never
 * reads another's answers, and each answer lives as long as it can stay true.
 */
const NOW = new Date('2026-11-15T12:00:00Z');
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('a walk across requests', () => {
  const stack = useStack({ cache: true, now: NOW, finopsPageSize: 1000 });

  it('reads 120 invoices 41 at a time in 3 requests with 2 upstream calls, the pages of 100 it needs', async () => {
    const org = stack.orgs[4]!;
    let rows = 0;
    for (let after: string | null = null; ; ) {
      const r: any = await stack.query(`query($id: UUID, $after: String) { organization(id: $id) { invoices(first: 41, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`, { id: org, after });
      expect(r.errors).toBeUndefined();
      const c = r.data.organization.invoices;
      rows += c.edges.length;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(rows).toBe(120);
    expect(stack.sim.calls('/billing/v2beta1/invoices').map((c) => c.query.get('page'))).toEqual(['1', '2']);
  });

  it('reads an organization’s charges 77 at a time with 1 upstream call (one page of 1,000)', async () => {
    const org = stack.orgs[2]!;
    const filter = { startDateAfter: '2026-01-01T00:00:00Z', endDateBefore: '2026-11-15T00:00:00Z' };
    let rows = 0;
    for (let after: string | null = null; ; ) {
      const r: any = await stack.query(`query($id: UUID, $f: ChargeFilter!, $after: String) { organization(id: $id) { charges(first: 77, after: $after, filter: $f) { edges { node { sku } } pageInfo { hasNextPage endCursor } } } }`, { id: org, f: filter, after });
      expect(r.errors).toBeUndefined();
      const c = r.data.organization.charges;
      rows += c.edges.length;
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(rows).toBe(stack.sim.data.charges.get(org)!.length);
    expect(rows).toBeGreaterThan(77 * 4);
    expect(stack.sim.calls('/billing/v2beta1/charges')).toHaveLength(1);
  });

  it('makes one upstream call for two concurrent cold requests of one list (single flight)', async () => {
    const q = `{ organization { discounts(first: 5, orderBy: START_DATE_ASC) { totalCount } } }`;
    const [a, b] = await Promise.all([stack.query(q), stack.query(q)]);
    expect(a.data).toEqual(b.data);
    expect(stack.sim.calls('/billing/v2beta1/discounts')).toHaveLength(1);
  });

  it('re-reads on Cache-Control: no-cache, and keeps the fresh answer for the others', async () => {
    const q = `{ organization { invoices(first: 1, orderBy: TOTAL_TAXED_ASC) { totalCount } } }`;
    await stack.query(q);
    await stack.query(q);
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(1);
    const fresh = await stack.query(q, {}, { 'cache-control': 'no-cache' });
    expect(fresh.errors).toBeUndefined();
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(2);
    await stack.query(q);
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(2);
    const counts = await stack.metrics.cacheRequests.get();
    const value = (result: string) => counts.values.find((v) => v.labels.result === result)?.value ?? 0;
    expect(value('bypass')).toBeGreaterThanOrEqual(1);
    expect(value('hit')).toBeGreaterThanOrEqual(2);
    expect(value('miss')).toBeGreaterThanOrEqual(1);
  });

  it('counts a cache hit as no upstream call against MAX_UPSTREAM_CALLS', async () => {
    const q = `{ organization { invoices(first: 500, orderBy: ISSUED_DATE_ASC) { totalCount edges { node { id } } } } }`;
    expect((await stack.query(q)).errors).toBeUndefined();
    expect(stack.sim.calls('/billing/v2beta1/invoices')).toHaveLength(5);
    stack.sim.resetLog();
    expect((await stack.query(q)).errors).toBeUndefined();
    expect(stack.sim.log).toHaveLength(0);
  });
});

describe('credentials', () => {
  it('never serves one credential’s answers to another (passthrough): 0 cross-credential hits', async () => {
    const stack = await startStack({ cache: true, now: NOW, auth: { mode: 'passthrough', tokens: [] }, simulator: { scopedKeys: { [PASSTHROUGH_KEY]: [] } } });
    try {
      const [first] = stack.orgs;
      const q = `query($id: UUID) { organization(id: $id) { invoices(first: 3) { totalCount } } }`;
      const mine = await stack.query(q, { id: first }, { 'x-auth-token': SECRET });
      expect(mine.errors).toBeUndefined();
      // A key that may read no organization: the upstream refuses it, whatever the cache holds for another key.
      const other = await stack.query(q, { id: first }, { 'x-auth-token': PASSTHROUGH_KEY });
      expect(codes(other)).toEqual(['UPSTREAM_FORBIDDEN']);
      expect(stack.sim.log.map((c) => c.headers['x-auth-token'])).toEqual([SECRET, PASSTHROUGH_KEY]);
      // Each again: each from its own entry (the refusal is not cached; the answer is).
      await stack.query(q, { id: first }, { 'x-auth-token': SECRET });
      expect(codes(await stack.query(q, { id: first }, { 'x-auth-token': PASSTHROUGH_KEY }))).toEqual(['UPSTREAM_FORBIDDEN']);
      expect(stack.sim.log.map((c) => c.headers['x-auth-token'])).toEqual([SECRET, PASSTHROUGH_KEY, PASSTHROUGH_KEY]);
    } finally {
      await stack.close();
    }
  });
});

describe('finality', () => {
  /** A store that records the lifetime of every answer it is given. */
  function recording(): Store & { ttls: Map<string, number> } {
    const inner = new MemoryStore(64 * 1024 * 1024);
    const ttls = new Map<string, number>();
    return {
      shared: false,
      ttls,
      get: (key) => inner.get(key),
      set: (key, value, ttl) => (ttls.set(key, ttl), inner.set(key, value, ttl)),
      lock: () => inner.lock(),
      unlock: () => inner.unlock(),
      close: () => inner.close(),
    };
  }
  const ttlOf = (store: ReturnType<typeof recording>, part: string) => [...store.ttls].filter(([key]) => key.includes(part)).map(([, ttl]) => ttl);

  it('keeps closed answers a day and open ones five minutes', async () => {
    const store = recording();
    const stack = await startStack({ cache: { store, closedSeconds: 86_400, openSeconds: 300 }, now: NOW });
    try {
      // A billing period two months before now: closed. The current one: open.
      await stack.query(`{ organization { a: consumptions(billingPeriod: "2026-09") { totalCount } b: consumptions(billingPeriod: "2026-11") { totalCount } c: consumptions(billingPeriod: "2026-10") { totalCount } } }`);
      expect(ttlOf(store, 'billing_period=2026-09')).toEqual([86_400]);
      expect(ttlOf(store, 'billing_period=2026-11')).toEqual([300]);
      // Last month is recomputed until its invoice is issued: open.
      expect(ttlOf(store, 'billing_period=2026-10')).toEqual([300]);
      // Charges wholly before today: closed; a window reaching today: open.
      const charges = (after: string, before: string) => `{ organization { charges(first: 1, filter: { startDateAfter: "${after}", endDateBefore: "${before}" }) { totalCount: edges { cursor } } } }`;
      await stack.query(charges('2026-09-01T00:00:00Z', '2026-09-02T00:00:00Z'));
      await stack.query(charges('2026-11-14T00:00:00Z', '2026-11-16T00:00:00Z'));
      expect(ttlOf(store, 'end_date_before=2026-09-02')).toEqual([86_400]);
      expect(ttlOf(store, 'end_date_before=2026-11-16')).toEqual([300]);
      // Yesterday may still be computed after midnight: open; the day before, closed.
      await stack.query(charges('2026-11-14T00:00:00Z', '2026-11-15T00:00:00Z'));
      await stack.query(charges('2026-11-13T00:00:00Z', '2026-11-14T00:00:00Z'));
      expect(ttlOf(store, 'end_date_before=2026-11-15')).toEqual([300]);
      expect(ttlOf(store, 'end_date_before=2026-11-14')).toEqual([86_400]);
      // A clamped slice may be of a charge still running (a month's, prorated from a price that grows):
      // long only once the previous month has begun after it.
      const clamped = (after: string, before: string) => `{ organization { charges(first: 1, filter: { startDateAfter: "${after}", endDateBefore: "${before}", clampToTimeRange: true }) { edges { cursor } } } }`;
      await stack.query(clamped('2026-11-12T00:00:00Z', '2026-11-13T00:00:00Z'));
      await stack.query(clamped('2026-09-12T00:00:00Z', '2026-09-13T00:00:00Z'));
      expect(ttlOf(store, 'end_date_before=2026-11-13')).toEqual([300]);
      expect(ttlOf(store, 'end_date_before=2026-09-13')).toEqual([86_400]);
      // Scalr usage: the same margin.
      const usage = (from: string, to: string) => `{ scalrAccount { usageStatistics(from: "${from}", to: "${to}") { totalCount } } }`;
      await stack.query(usage('2026-11-01T00:00:00Z', '2026-11-15T00:00:00Z'));
      await stack.query(usage('2026-11-01T00:00:00Z', '2026-11-14T00:00:00Z'));
      expect(ttlOf(store, '2026-11-15T00%3A00%3A00Z')).toEqual([300]);
      expect(ttlOf(store, '2026-11-14T00%3A00%3A00Z')).toEqual([86_400]);
      // Discounts are used up as bills come: open.
      await stack.query(`{ organization { discounts(first: 1) { totalCount } } }`);
      expect(ttlOf(store, '/discounts')).toEqual([300]);
      // An invoice: closed once paid, open before.
      const invoices = stack.sim.data.invoices.get(stack.orgs[0]!)!;
      const paid = invoices.find((i) => i.state === 'paid')!;
      const unpaid = invoices.find((i) => i.state !== 'paid')!;
      for (const invoice of [paid, unpaid]) {
        const id = Buffer.from(`Invoice:${stack.orgs[0]}/${invoice.id}`).toString('base64');
        expect((await stack.query(`{ node(id: "${id}") { id } }`)).errors).toBeUndefined();
      }
      expect(ttlOf(store, `/invoices/${paid.id}`)).toEqual([86_400]);
      expect(ttlOf(store, `/invoices/${unpaid.id}`)).toEqual([300]);
    } finally {
      await stack.close();
    }
  });

  it('keeps a page of an invoice list short, whatever its periods and states (a later credit note would shift it)', async () => {
    const store = recording();
    const stack = await startStack({ cache: { store }, now: NOW });
    try {
      const q = (before: string) => `{ organization { invoices(first: 100, startedBefore: "${before}", orderBy: START_DATE_ASC) { edges { node { state } } } } }`;
      const old = await stack.query(q('2025-06-01T00:00:00Z'));
      expect(old.data.organization.invoices.edges.length).toBeGreaterThan(0);
      expect(ttlOf(store, 'billing_period_start_before=2025-06-01')).toEqual([300]);
    } finally {
      await stack.close();
    }
  });
});
