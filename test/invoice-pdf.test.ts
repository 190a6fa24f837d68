import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { type Stack, startStack } from './helpers/stack.js';

/** The invoice PDF route, over a real socket in front of the real client and simulator. */
let stack: Stack;
let alpha: Stack;
let server: Server;
let base: string;

beforeAll(async () => {
  stack = await startStack();
  alpha = await startStack({ version: 'v2alpha1' });
  server = createServer(stack.yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.close();
  await alpha.close();
});
beforeEach(() => {
  stack.sim.clearFaults();
  stack.sim.resetLog();
});

describe('GET /invoices/{id}.pdf', () => {
  it('streams the upstream PDF with its type and a file name, from the URL the graph hands out', async () => {
    const r = await stack.query(`{ organization { invoices(first: 1) { edges { node { invoiceId downloadUrl } } } } }`);
    const { invoiceId, downloadUrl } = r.data.organization.invoices.edges[0].node;
    const link = new URL(downloadUrl);
    expect(`${link.origin}${link.pathname}`).toBe(`http://gateway.test/invoices/${invoiceId}.pdf`);
    stack.sim.resetLog();
    const res = await request(`${base}${link.pathname}${link.search}`);
    const body = Buffer.from(await res.body.arrayBuffer());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="invoice-\d{4}-\d{2}-[0-9a-f]{8}\.pdf"; filename\*=UTF-8''invoice-\d{4}-\d{2}-[0-9a-f]{8}\.pdf$/);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.toString('latin1')).toContain('%%EOF');
    // The invoice (its organization must be served), then one raw download (dl=1): no base64 detour.
    expect(stack.sim.log.map((c) => c.path)).toEqual([`/billing/v2beta1/invoices/${invoiceId}`, `/billing/v2beta1/invoices/${invoiceId}/download`]);
    expect(Object.fromEntries(stack.sim.log[1]!.query)).toEqual({ file_type: 'pdf', dl: '1' });
  });

  it('forwards the first bytes before the upstream has sent the last ones', async () => {
    const invoice = stack.sim.data.invoices.get(stack.orgs[0]!)![5]!;
    stack.sim.inject({ path: `/billing/v2beta1/invoices/${invoice.id}/download`, slowBodyMs: 700, times: 1 });
    const started = Date.now();
    const res = await request(`${base}/invoices/${invoice.id}.pdf`);
    const chunks: { at: number; size: number }[] = [];
    for await (const chunk of res.body) chunks.push({ at: Date.now() - started, size: (chunk as Buffer).length });
    expect(chunks.length).toBeGreaterThan(1);
    // The first half reached the client while the upstream was still holding back the second.
    expect(chunks[0]!.at).toBeLessThan(600);
    expect(chunks.at(-1)!.at).toBeGreaterThanOrEqual(650);
  });

  it('answers 504 UPSTREAM_TIMEOUT when the upstream sends its headers, then no byte within UPSTREAM_CALL_TIMEOUT_MS', async () => {
    const timed = await startStack({ callTimeoutMs: 300 });
    try {
      const invoice = timed.sim.data.invoices.get(timed.orgs[0]!)![5]!;
      timed.sim.inject({ path: `/billing/v2beta1/invoices/${invoice.id}/download`, stallMs: 2_000, times: 1 });
      const res = await timed.yoga.fetch(`http://gateway.test/invoices/${invoice.id}.pdf`);
      expect(res.status).toBe(504);
      expect(await res.json()).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT', upstream: 'scaleway' } });
    } finally {
      await timed.close();
    }
  });

  it('serves a whole file to a client that reads slowly, past UPSTREAM_CALL_TIMEOUT_MS (the limit is the upstream’s first byte, then its pauses)', async () => {
    const timed = await startStack({ callTimeoutMs: 300 });
    const slow = createServer(timed.yoga);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const invoice = timed.sim.data.invoices.get(timed.orgs[0]!)![5]!;
      // 8 MB: far more than socket buffers hold, so the upstream body waits on this client.
      const big = `%PDF-1.4 ${'x'.repeat(8 * 1024 * 1024)} %%EOF`;
      timed.sim.inject({ path: `/billing/v2beta1/invoices/${invoice.id}/download`, status: 200, headers: { 'content-type': 'application/pdf' }, body: big, times: 1 });
      const res = await request(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/invoices/${invoice.id}.pdf`);
      expect(res.statusCode).toBe(200);
      let bytes = 0;
      const started = Date.now();
      for await (const chunk of res.body) {
        bytes += (chunk as Buffer).length;
        if (Date.now() - started < 900) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(Date.now() - started).toBeGreaterThan(600);
      expect(bytes).toBe(Buffer.byteLength(big));
    } finally {
      await new Promise((resolve) => slow.close(resolve));
      await timed.close();
    }
  });

  it('serves a file whose upstream name is not Latin-1 (an ASCII fallback, the exact name encoded), and frees its connection', async () => {
    const invoice = stack.sim.data.invoices.get(stack.orgs[0]!)![6]!.id;
    for (const name of ["%E2%82%AC-facture.pdf", 'bad%0D%0Aname.pdf', '%ZZbroken.pdf']) {
      stack.sim.inject({
        path: `/billing/v2beta1/invoices/${invoice}/download`,
        status: 200,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename*=UTF-8''${name}` },
        body: '%PDF-1.4 tiny %%EOF',
        times: 1,
      });
      const res = await request(`${base}/invoices/${invoice}.pdf`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
      expect(res.statusCode, name).toBe(200);
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[\w.() -]+"/);
      expect(await res.body.text()).toContain('%PDF-1.4');
    }
    // Every download's connection was let go: a plain one still answers.
    const plain = await request(`${base}/invoices/${invoice}.pdf`);
    expect(plain.statusCode).toBe(200);
    await plain.body.dump();
  });

  it('answers 404 with a clear body for an unknown invoice', async () => {
    const res = await request(`${base}/invoices/00000000-0000-4000-8000-000000000000.pdf`);
    expect(res.statusCode).toBe(404);
    expect(await res.body.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Invoice 00000000-0000-4000-8000-000000000000 not found' },
    });
  });

  it('refuses a malformed id without an upstream call', async () => {
    const res = await request(`${base}/invoices/..%2f..%2fetc.pdf`);
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as any).error.code).toBe('BAD_USER_INPUT');
    expect(stack.sim.log).toHaveLength(0);
  });

  it('decodes the v2alpha1 base64 file object', async () => {
    const invoice = alpha.sim.data.invoices.get(alpha.orgs[0]!)![3]!;
    const res = await alpha.yoga.fetch(`http://gateway.test/invoices/${invoice.id}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(alpha.sim.log.at(-1)!.path).toBe(`/billing/v2alpha1/invoices/${invoice.id}/download`);
  });
});
