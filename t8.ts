import { Agent, request } from 'undici';
import { startStack, SECRET } from './test/helpers/stack.js';
const s = await startStack({ hints: true });
const agent = new Agent();
const org = s.orgs[0]!;
const q = `{ organization { invoices(first: 500) { edges { node { invoiceId number totalTaxed { amount currency } } } } } }`;
const floor = async () => Promise.all([1, 2, 3, 4, 5].map(async (page) => (await request(`${s.sim.url}/billing/v2beta1/invoices?organization_id=${org}&order_by=start_date_desc&page=${page}&page_size=100`, { dispatcher: agent, headers: { 'x-auth-token': SECRET } })).body.json()));
for (let i = 0; i < 50; i++) { await s.query(q); await floor(); }
let t = performance.now(); for (let i = 0; i < 100; i++) await s.query(q); const g = (performance.now() - t) / 100;
t = performance.now(); for (let i = 0; i < 100; i++) await floor(); const f = (performance.now() - t) / 100;
console.log('gateway', g.toFixed(2), 'floor', f.toFixed(2), 'overhead', (g - f).toFixed(2), 'ms');
await agent.close(); await s.close();
