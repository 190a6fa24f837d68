/**
 * A reference for the benchmark, not a product: the cheapest possible gateway for scenarios A and B.
 * A bare node:http server that makes the same upstream calls as the floor, with undici, and answers
 * with the same JSON as the gateway, built by hand: no GraphQL, no validation of the upstream
 * answers, no limits, no error handling. What it costs over the floor is what the extra HTTP hop
 * alone costs on this machine (request in, response serialized, written and parsed again), which is
 * the part of the gateway's overhead that no GraphQL layer can remove.
 *
 * Started by bench/run.ts with an IPC channel; arguments: the simulator URL, the secret key, the
 * organization ids. `POST /a` answers scenario A, `POST /b` scenario B. It sends its port once listening.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { formatUnitsNanos } from '../src/lib/money.js';

const [url = '', secret = '', ...orgs] = process.argv.slice(2);
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

const get = async (path: string, query: Record<string, string | number>): Promise<any> => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const res = await request(`${url}${path}?${qs}`, { dispatcher: agent, headers: { 'x-auth-token': secret } });
  return res.body.json();
};
// The gateway's own text of a google.type.Money (so that both answer the same JSON), unchecked.
const amount = (m: { units: number; nanos?: number }) => formatUnitsNanos(m.units, m.nanos ?? 0);

async function scenarioA() {
  const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => get('/billing/v2beta1/invoices', { organization_id: orgs[0]!, order_by: 'start_date_desc', page, page_size: 100 })));
  const edges = pages
    .flatMap((p) => p.invoices)
    .slice(0, 500)
    .map((i: any) => ({ node: { invoiceId: i.id, number: i.number, totalTaxed: { amount: amount(i.total_taxed), currency: i.total_taxed.currency_code } } }));
  return { organization: { invoices: { edges } } };
}

async function scenarioB() {
  const organizations = await Promise.all(
    orgs.map(async (organization_id) => {
      const [invoices, consumptions, discounts] = await Promise.all([
        get('/billing/v2beta1/invoices', { organization_id, order_by: 'start_date_desc', page: 1, page_size: 100 }),
        get('/billing/v2beta1/consumptions', { organization_id, page: 1, page_size: 100 }),
        get('/billing/v2beta1/discounts', { organization_id, page: 1, page_size: 100 }),
      ]);
      return {
        invoices: { totalCount: invoices.total_count, edges: invoices.invoices.map((i: any) => ({ node: { invoiceId: i.id, totalTaxed: { amount: amount(i.total_taxed) } } })) },
        consumptions: { totalCount: consumptions.total_count, edges: consumptions.consumptions.map((c: any) => ({ node: { value: { amount: amount(c.value) } } })) },
        // A float, as JSON.parse read it: exactness is one of the things this reference does not do.
        discounts: { totalCount: discounts.total_count, edges: discounts.discounts.map((d: any) => ({ node: { value: String(d.value) } })) },
      };
    }),
  );
  return { organizations };
}

const server = createServer(async (req, res) => {
  for await (const _ of req);
  const data = req.url === '/a' ? await scenarioA() : await scenarioB();
  const body = JSON.stringify({ data });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!((server.address() as { port: number }).port));
process.on('disconnect', () => void agent.close().then(() => process.exit(0)));
