import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as documents from '../client/generated/graphql.js';
import { money, moneyRounded, integer } from '../explorer/src/format.js';
import { sha256 } from '../src/config/tokens.js';
import { GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_ALL } from './helpers/secrets.js';
import { startDemo } from './helpers/process.js';
import { useStack } from './helpers/stack.js';

/**
 * The cost explorer in a real browser: headless Chromium opens `/` of the demo gateway (as
 * `npm start` runs it), with every request to another origin aborted and recorded. Each panel's
 * figures are compared with what the same typed documents, sent by id with the variables the
 * panel says it used, return from the same gateway: every exact string, its formatted text, and
 * the "other" series and run rate the page derives (recomputed here with decimal.js). Screenshots:
 * test-results/explorer-light.png and explorer-dark.png (and docs/explorer.png with
 * EXPLORER_SCREENSHOT=1). Same skip rule as the GraphiQL browser test.
 */
const executable = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const required = process.env.REQUIRE_BROWSER === '1';
if (!executable && !required) console.warn('Explorer browser test skipped: no Chromium (apt-get install chromium, or set CHROMIUM_PATH)');
const results = fileURLToPath(new URL('../test-results/', import.meta.url));
const readme = fileURLToPath(new URL('../docs/explorer.png', import.meta.url));
const LOCALE = 'en-US';

const PANELS = ['month-to-date', 'daily', 'top', 'monthly', 'invoices', 'usage'] as const;

async function launch(): Promise<Browser> {
  expect(executable, 'Chromium is required here (REQUIRE_BROWSER=1)').toBeDefined();
  return chromium.launch({
    executablePath: executable,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Waits until no panel is loading, and answers each one's state. */
async function settled(page: Page): Promise<Record<string, string>> {
  await page.waitForFunction((ids) => ids.every((id) => document.getElementById(id)?.dataset.state !== 'loading'), [...PANELS], { timeout: 30_000 });
  return page.evaluate((ids) => Object.fromEntries(ids.map((id) => [id, document.getElementById(id)!.dataset.state!])), [...PANELS]);
}

/** Every `<data data-key>` of a panel (tables opened first): key → its value and text. */
async function figures(page: Page, panel: string): Promise<Map<string, { value: string; text: string }>> {
  await page.$$eval(`#${panel} details`, (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  // The tables are built on the toggle event, a task later.
  await page.waitForFunction((id) => [...document.querySelectorAll(`#${id} details`)].every((d) => d.childElementCount > 1), panel);
  const entries = await page.$$eval(`#${panel} data[data-key]`, (all) => all.map((d) => [(d as HTMLDataElement).dataset.key!, { value: (d as HTMLDataElement).value, text: d.textContent! }] as const));
  const map = new Map(entries);
  expect(map.size, `${panel}: a key appears twice`).toBe(entries.length);
  return map;
}

/** The page's first contentful paint, and when every panel had drawn (ms since navigation). */
const timing = (page: Page) =>
  page.evaluate(() => ({
    paint: Math.round(performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN),
    ready: Math.round(performance.getEntriesByName('explorer-ready')[0]?.startTime ?? NaN),
  }));

/** What the page said it asked the graph. */
const variablesOf = async (page: Page, panel: string) => JSON.parse((await page.getAttribute(`#${panel}`, 'data-variables'))!) as Record<string, unknown>;

interface Money {
  amount: string;
  currency: string;
}
type Expected = Map<string, { value: string; text: string }>;
const of = (totals: readonly Money[], currency: string) => totals.find((t) => t.currency === currency)?.amount;
const groupKey = (keys: readonly { id?: string | null; name?: string | null }[]) => keys[0]?.id ?? keys[0]?.name ?? 'none';
const exact = (amount: string, currency: string) => ({ value: amount, text: money(amount, currency, LOCALE) });
const minus = (whole: string, parts: string[]) => parts.reduce((left, p) => left.minus(p), new Decimal(whole)).toFixed();

interface GroupedReport {
  totals: readonly Money[];
  buckets: readonly { start: string; totals: readonly Money[] }[];
  groups: { totalCount: number; edges: readonly { node: { keys: readonly { id?: string | null; name?: string | null }[]; totals: readonly Money[]; series: readonly { totals: readonly Money[] }[] } }[] };
}

/** A grouped cost report as the page must show it: totals, each group per bucket, "other" and the buckets' totals. */
function grouped(report: GroupedReport, name: (start: string) => string): Expected {
  const out: Expected = new Map();
  const groups = report.groups.edges.map((e) => e.node);
  for (const { currency, amount } of report.totals) {
    out.set(`total|${currency}`, exact(amount, currency));
    report.buckets.forEach((bucket, j) => {
      const shown: string[] = [];
      for (const g of groups) {
        if (of(g.totals, currency) === undefined) continue;
        const value = of(g.series[j]!.totals, currency);
        if (value === undefined) continue;
        shown.push(value);
        out.set(`${name(bucket.start)}|${groupKey(g.keys)}|${currency}`, exact(value, currency));
      }
      const total = of(bucket.totals, currency);
      if (total === undefined) return;
      out.set(`${name(bucket.start)}|total|${currency}`, exact(total, currency));
      if (report.groups.totalCount > groups.length) out.set(`${name(bucket.start)}|other|${currency}`, exact(minus(total, shown), currency));
    });
  }
  return out;
}

/** The graph's answer to a document sent by id, as the page sends it. */
async function graph<R>(base: string, document: object, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<R> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ documentId: (document as { __meta__: { hash: string } }).__meta__.hash, variables }),
  });
  const body = (await res.json()) as { data: R; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const monthStart = (now: Date, back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().replace('.000Z', 'Z');
const tomorrow = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString().replace('.000Z', 'Z');

/** Compares every panel with the graph; answers the number of figures compared. */
async function compare(page: Page, base: string, preset: { from: string; to: string }, organizationId: string, accountId: string): Promise<number> {
  let compared = 0;
  const check = async (panel: string, expected: Expected) => {
    const shown = await figures(page, panel);
    expect([...shown.keys()].sort(), `${panel}: the figures shown`).toEqual([...expected.keys()].sort());
    for (const [key, want] of expected) expect(shown.get(key), `${panel}: ${key}`).toEqual(want);
    compared += expected.size;
  };

  // Month to date: this month to the next hour, last month over the same span, and the run rate.
  const mtd = await variablesOf(page, 'month-to-date');
  const now = new Date();
  expect(mtd).toMatchObject({ organizationId, from: monthStart(now, 0), previousFrom: monthStart(now, 1) });
  const span = Date.parse(mtd.to as string) - Date.parse(mtd.from as string);
  const month = Date.parse(monthStart(new Date(Date.parse(mtd.from as string)), -1)) - Date.parse(mtd.from as string);
  expect(span).toBeGreaterThan(0);
  expect(Date.parse(mtd.previousTo as string) - Date.parse(mtd.previousFrom as string)).toBeLessThanOrEqual(span);
  const m = await graph<documents.ExplorerMonthToDateQuery>(base, documents.ExplorerMonthToDateDocument, mtd);
  const mtdExpected: Expected = new Map();
  for (const t of m.organization!.current.totals) {
    mtdExpected.set(`current|${t.currency}`, exact(t.amount, t.currency));
    const rate = new Decimal(t.amount).times(month).div(span).toDecimalPlaces(9, Decimal.ROUND_HALF_UP).toFixed();
    mtdExpected.set(`run-rate|${t.currency}`, { value: rate, text: moneyRounded(rate, t.currency, LOCALE) });
  }
  for (const t of m.organization!.previous.totals) mtdExpected.set(`previous|${t.currency}`, exact(t.amount, t.currency));
  await check('month-to-date', mtdExpected);

  // Daily by project.
  const daily = await variablesOf(page, 'daily');
  expect(daily).toEqual({ organizationId, ...preset, first: 10 });
  const d = await graph<documents.ExplorerDailyQuery>(base, documents.ExplorerDailyDocument, daily);
  await check('daily', grouped(d.organization!.chargeReport, (s) => s.slice(0, 10)));

  // Monthly by category: the twelve months up to the window's last.
  const monthly = await variablesOf(page, 'monthly');
  const last = new Date(Date.parse(preset.to) - 1);
  expect(monthly).toEqual({ organizationId, fromPeriod: monthStart(last, 11).slice(0, 7), toPeriod: monthStart(last, 0).slice(0, 7), first: 10 });
  const mo = await graph<documents.ExplorerMonthlyQuery>(base, documents.ExplorerMonthlyDocument, monthly);
  await check('monthly', grouped(mo.organization!.consumptionReport, (s) => s.slice(0, 7)));

  // Top resources and SKUs, in the graph's order, with their shares.
  const top = await variablesOf(page, 'top');
  expect(top).toEqual({ organizationId, ...preset });
  const t = await graph<documents.ExplorerTopQuery>(base, documents.ExplorerTopDocument, top);
  const topExpected: Expected = new Map();
  for (const [kind, report] of [['resource', t.organization!.resources], ['sku', t.organization!.skus]] as const) {
    if (report.totals.length === 0) continue;
    const ids = await page.$$eval(`#top table[data-table=${kind}] tbody tr`, (rows) => rows.map((r) => (r as HTMLElement).dataset.id));
    expect(ids, `${kind} order`).toEqual(report.groups.edges.map((e) => e.node.keys[0]?.id ?? ''));
    for (const [i, { node }] of report.groups.edges.entries()) {
      for (const total of node.totals) {
        topExpected.set(`${kind}:${i + 1}|${total.currency}`, exact(total.amount, total.currency));
        // Shares are for display: one decimal of a percent, from the exact ratio.
        const text = await page.textContent(`#top [data-share="${kind}:${i + 1}|${total.currency}"]`);
        const ratio = new Decimal(total.amount).div(of(report.totals, total.currency)!).times(100).toNumber();
        expect(Math.abs(Number(/(-?[\d.]+)%/.exec(text!)![1]) - ratio), `${kind} ${i + 1} share`).toBeLessThanOrEqual(0.051);
      }
    }
  }
  await check('top', topExpected);

  // Invoices of the chart's twelve months, with totals and working PDF links.
  const inv = await variablesOf(page, 'invoices');
  expect(inv).toEqual({ organizationId, startedAfter: `${monthly.fromPeriod}-01T00:00:00Z`, startedBefore: preset.to, first: 50 });
  const i = await graph<documents.ExplorerInvoicesQuery>(base, documents.ExplorerInvoicesDocument, inv);
  const invoices = i.organization!.invoices.edges.map((e) => e.node);
  expect(await page.$$eval('#invoices tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.id))).toEqual(invoices.map((x) => x.invoiceId));
  const invExpected: Expected = new Map();
  for (const x of invoices) {
    if (x.totalUntaxed) invExpected.set(`invoice:${x.invoiceId}|untaxed`, exact(x.totalUntaxed.amount, x.totalUntaxed.currency));
    if (x.totalTaxed) invExpected.set(`invoice:${x.invoiceId}|taxed`, exact(x.totalTaxed.amount, x.totalTaxed.currency));
  }
  await check('invoices', invExpected);
  // How each invoice agrees with its charges, as the graph says (– where it could not say).
  const statuses = await page.$$eval('#invoices tbody tr', (rows) => rows.map((r) => (r.querySelector('td[data-status]') as HTMLElement).dataset.status));
  expect(statuses).toEqual(invoices.map((x) => x.reconciliation?.status ?? ''));
  const words: Record<string, string> = { MATCHED: 'matched', WITHIN_TOLERANCE: 'within tolerance', MISMATCHED: 'mismatched', OPEN: 'open', NO_CHARGES: 'no charges' };
  expect(await page.$$eval('#invoices tbody td[data-status]', (cells) => cells.map((c) => c.textContent))).toEqual(invoices.map((x) => (x.reconciliation ? words[x.reconciliation.status] : '–')));
  const links = await page.$$eval('#invoices a[download]', (all) => all.map((a) => (a as HTMLAnchorElement).href));
  expect(links.map((l) => new URL(l).pathname)).toEqual(invoices.map((x) => new URL(x.downloadUrl).pathname));
  if (links.length > 0) {
    // A signed link opens without a token: the PDF itself.
    const pdf = await fetch(links[0]!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  }

  // Scalr runs and run-seconds per day by workspace.
  const usage = await variablesOf(page, 'usage');
  expect(usage).toEqual({ accountId, ...preset, first: 10 });
  const u = (await graph<documents.ExplorerUsageQuery>(base, documents.ExplorerUsageDocument, usage)).scalrAccount!.usageReport;
  const usageExpected: Expected = new Map();
  if (u.totalRunsCount > 0) {
    const count = (n: number) => ({ value: String(n), text: integer(n, LOCALE) });
    usageExpected.set('total|runs', count(u.totalRunsCount));
    usageExpected.set('total|seconds', count(u.totalRunsSeconds));
    const groups = u.groups.edges.map((e) => e.node);
    for (const [field, unit] of [['runsCount', 'runs'], ['runsSeconds', 'seconds']] as const) {
      u.buckets.forEach((bucket, j) => {
        const day = bucket.start.slice(0, 10);
        for (const g of groups) usageExpected.set(`${day}|${groupKey(g.keys)}|${unit}`, count(g.series[j]![field]));
        usageExpected.set(`${day}|total|${unit}`, count(bucket[field]));
        if (u.groups.totalCount > groups.length) usageExpected.set(`${day}|other|${unit}`, count(bucket[field] - groups.reduce((s, g) => s + g.series[j]![field], 0)));
      });
    }
  }
  await check('usage', usageExpected);
  return compared;
}

describe.skipIf(!executable && !required)('the cost explorer in Chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(() => {
    demo?.child.kill('SIGTERM');
  });

  it('shows the graph’s exact figures in every panel, offline, with no console error', async () => {
    const browser = await launch();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: LOCALE, colorScheme: 'light' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      // The network is the gateway: anything else is aborted, and recorded.
      const origin = new URL(demo.base).origin;
      const outside: string[] = [];
      await page.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).origin === origin) return route.continue();
        outside.push(url);
        return route.abort();
      });

      await page.goto(`${demo.base}/`);
      const states = await settled(page);
      for (const panel of PANELS) expect(['ready', 'empty'], `${panel}: ${await page.textContent(`#${panel} .body`)}`).toContain(states[panel]);
      // The demo has bills this month (charges up to yesterday) except on the 1st; Scalr usage up to yesterday too.
      for (const panel of ['monthly', 'invoices', 'month-to-date'] as const) expect(states[panel], panel).toBe('ready');
      const first = await timing(page);
      console.log(`explorer, first page of a new browser: first contentful paint ${first.paint} ms, every panel shown ${first.ready} ms`);

      const scopes = await graph<documents.ExplorerScopesQuery>(demo.base, documents.ExplorerScopesDocument, {});
      const [org1, org2] = scopes.servedOrganizations.map((o) => o.organizationId);
      const [acc1, acc2] = scopes.servedScalrAccounts.map((a) => a.accountId);
      expect(await page.$$eval('#organization option', (o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(scopes.servedOrganizations.map((o) => o.organizationId));
      const now = new Date();
      let compared = await compare(page, demo.base, { from: monthStart(now, 0), to: tomorrow(now) }, org1!, acc1!);
      mkdirSync(results, { recursive: true });
      await page.screenshot({ path: `${results}explorer-light.png`, fullPage: true });

      // The pickers, by keyboard: another organization and Scalr account, the last 12 months.
      await page.focus('#organization');
      await page.selectOption('#organization', org2!);
      await page.selectOption('#account', acc2!);
      await page.selectOption('#preset', 'last-12-months');
      expect(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('window')).toBe('last-12-months');
      await settled(page);
      compared += await compare(page, demo.base, { from: monthStart(now, 11), to: tomorrow(now) }, org2!, acc2!);
      expect(compared).toBeGreaterThan(1000);

      // Hovering a day of the daily chart shows that day's exact total.
      const daily = await graph<documents.ExplorerDailyQuery>(demo.base, documents.ExplorerDailyDocument, await variablesOf(page, 'daily'));
      const buckets = daily.organization!.chargeReport.buckets;
      const j = buckets.findLastIndex((b) => b.totals.length > 0);
      const over = (await page.locator('#daily .u-over').first().boundingBox())!;
      await page.mouse.move(over.x + ((j + 0.5) / buckets.length) * over.width, over.y + over.height / 2);
      const total = buckets[j]!.totals[0]!;
      await expect.poll(() => page.locator('#daily .u-legend .u-series').nth(1).locator('.u-value').textContent()).toBe(money(total.amount, total.currency, LOCALE));
      expect(await page.locator('#daily .u-legend .u-series').first().locator('.u-value').textContent()).toBe(buckets[j]!.start.slice(0, 10));

      // The README's picture: a fresh page on the last three months, tables closed.
      // Also the first paint the docs quote: a page opened in the browser already running (the
      // first one also paid for starting Chromium's renderer, and shares the CPU with the suite).
      const fresh = await context.newPage();
      await fresh.goto(`${demo.base}/#window=last-3-months`);
      await settled(fresh);
      const again = await timing(fresh);
      console.log(`explorer, a new page: first contentful paint ${again.paint} ms, every panel shown ${again.ready} ms`);
      expect(again.paint).toBeLessThan(1000);
      await fresh.screenshot({ path: `${results}explorer-readme.png` });
      await fresh.close();

      await page.emulateMedia({ colorScheme: 'dark' });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: `${results}explorer-dark.png`, fullPage: true });
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(22, 23, 26)');

      expect(outside, 'requests outside the gateway').toEqual([]);
      expect(errors, 'console errors').toEqual([]);
      if (process.env.EXPLORER_SCREENSHOT === '1') copyFileSync(`${results}explorer-readme.png`, readme);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it('shows a panel’s failure in that panel, and a field’s error beside the rest of the answer', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ locale: LOCALE });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const id = (document: object) => (document as { __meta__: { hash: string } }).__meta__.hash;
      await page.route('**/graphql', async (route) => {
        const body = route.request().postData() ?? '';
        // The top tables' request fails whole, as an upstream outage would fail it.
        if (body.includes(id(documents.ExplorerTopDocument))) {
          return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data: null, errors: [{ message: 'Scaleway is unavailable', extensions: { code: 'UPSTREAM_UNAVAILABLE' } }] }) });
        }
        // The invoices' reconciliations fail; the invoices themselves are served.
        if (body.includes(id(documents.ExplorerInvoicesDocument))) {
          const res = await route.fetch();
          const json = (await res.json()) as { data: documents.ExplorerInvoicesQuery; errors?: unknown[] };
          for (const edge of json.data.organization!.invoices.edges) (edge.node as { reconciliation: unknown }).reconciliation = null;
          json.errors = [{ message: 'The charges could not be read', path: ['organization', 'invoices', 'edges', 0, 'node', 'reconciliation'], extensions: { code: 'UPSTREAM_TIMEOUT' } }];
          return route.fulfill({ response: res, body: JSON.stringify(json) });
        }
        return route.fallback();
      });
      await page.goto(`${demo.base}/`);
      const states = await settled(page);
      expect(states.top).toBe('error');
      expect(await page.textContent('#top .error')).toBe('UPSTREAM_UNAVAILABLE: Scaleway is unavailable');
      expect(await page.getAttribute('#top .error', 'role')).toBe('alert');
      for (const panel of ['month-to-date', 'daily', 'monthly', 'invoices'] as const) expect(states[panel], panel).toBe('ready');
      expect(await page.textContent('#invoices .error')).toBe('Partly answered: UPSTREAM_TIMEOUT: The charges could not be read');
      const statuses = await page.$$eval('#invoices tbody td[data-status]', (cells) => cells.map((c) => c.textContent));
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(['–']));
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('keeps the README’s screenshot under 300 kB', () => {
    expect(statSync(readme).size).toBeLessThan(300_000);
  });
});

describe.skipIf(!executable && !required)('the cost explorer under gateway tokens, in Chromium', () => {
  const stack = useStack({
    scalrPageSize: 100,
    auth: { mode: 'tokens', tokens: [{ name: 'finance', sha256: sha256(GATEWAY_TOKEN_ALL), organizations: '*', scalrAccounts: '*', arbitraryOperations: false }] },
  });
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer(stack.yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('asks for a token once, again when it is refused, and keeps it for the tab', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage({ locale: LOCALE });
      const refused: string[] = [];
      page.on('response', (res) => {
        if (res.status() === 401) refused.push(res.url());
      });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${base}/`);
      const dialog = page.locator('#token-dialog');
      await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      expect(await page.locator('#token-dialog .refused').isHidden()).toBe(true);
      await page.fill('#token-dialog input', GATEWAY_TOKEN_ACME);
      await page.keyboard.press('Enter');
      // Refused: asked again, saying so.
      await expect.poll(() => page.locator('#token-dialog .refused').isVisible()).toBe(true);
      await page.fill('#token-dialog input', GATEWAY_TOKEN_ALL);
      await page.keyboard.press('Enter');
      const states = await settled(page);
      for (const panel of PANELS) expect(states[panel], panel).not.toBe('error');
      // One refusal without a token, one with the wrong one: the panels waited for the answer.
      expect(refused).toHaveLength(2);
      expect(await page.locator('#organization').evaluate((s) => (s as HTMLSelectElement).options.length)).toBeGreaterThan(1);
      expect(await page.evaluate(() => sessionStorage.getItem('billing-graph.token'))).toBe(GATEWAY_TOKEN_ALL);

      await page.reload();
      await settled(page);
      expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
      expect(refused).toHaveLength(2);

      // Declined: every panel says the gateway needs a token; nothing asks again until a reload.
      const other = await browser.newPage({ locale: LOCALE });
      await other.goto(`${base}/`);
      await expect.poll(() => other.locator('#token-dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      await other.keyboard.press('Escape');
      const declined = await settled(other);
      for (const panel of PANELS) expect(declined[panel], panel).toBe('error');
      expect(await other.textContent('#daily .error')).toMatch(/^UNAUTHENTICATED: /);
      expect(await other.locator('#token-dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
