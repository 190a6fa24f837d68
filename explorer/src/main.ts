import './style.css';
import { ExplorerScopesDocument } from '../../client/generated/graphql.js';
import { run } from './graph.js';
import { Panel } from './panel.js';
import { loadDaily } from './panels/daily.js';
import { loadInvoices } from './panels/invoices.js';
import { loadMonthToDate } from './panels/month-to-date.js';
import { loadMonthly } from './panels/monthly.js';
import { loadTop } from './panels/top.js';
import { loadUsage } from './panels/usage.js';
import { h } from './dom.js';
import { type Preset, PRESETS, presetWindow, type Window } from './windows.js';

/**
 * The cost explorer: pickers (organization, Scalr account, window) in the page's address
 * (`#organization=…&account=…&window=…`), and six panels, each loading on its own.
 */

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const organization = $<HTMLSelectElement>('organization');
const account = $<HTMLSelectElement>('account');
const preset = $<HTMLSelectElement>('preset');
const custom = $<HTMLElement>('custom');
const fromInput = $<HTMLInputElement>('from');
const toInput = $<HTMLInputElement>('to');
const windowNote = $<HTMLOutputElement>('window');

const panels = {
  monthToDate: new Panel('month-to-date'),
  daily: new Panel('daily'),
  monthly: new Panel('monthly'),
  top: new Panel('top'),
  invoices: new Panel('invoices'),
  usage: new Panel('usage'),
};

/** No Scalr account to offer: the Scalr panel says so instead of asking. */
let scalrAccounts: string[] | undefined;

function readAddress(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  const chosen = params.get('window') as Preset | null;
  preset.value = chosen && (PRESETS as readonly string[]).includes(chosen) ? chosen : 'this-month';
  fromInput.value = params.get('from') ?? '';
  toInput.value = params.get('to') ?? '';
  const org = params.get('organization');
  const acc = params.get('account');
  if (org) organization.replaceChildren(h('option', { value: org }, org));
  if (acc) account.replaceChildren(h('option', { value: acc }, acc));
}

function writeAddress(): void {
  const params = new URLSearchParams();
  if (organization.value) params.set('organization', organization.value);
  if (account.value) params.set('account', account.value);
  params.set('window', preset.value);
  if (preset.value === 'custom') {
    params.set('from', fromInput.value);
    params.set('to', toInput.value);
  }
  history.replaceState(null, '', `#${params}`);
}

/** Fills a picker with the ids the graph offers, keeping the one chosen when it is among them. */
function offer(select: HTMLSelectElement, ids: string[], none: string): void {
  const chosen = select.value;
  // No "(default)" mark: the first offered is the gateway's default only when this caller may read that one.
  select.replaceChildren(...(ids.length ? ids.map((id) => h('option', { value: id }, id)) : [h('option', { value: '' }, none)]));
  select.value = ids.includes(chosen) ? chosen : (ids[0] ?? '');
}

async function loadScopes(): Promise<void> {
  try {
    const answer = await run(ExplorerScopesDocument, {});
    if (!answer.data) throw new Error(answer.errors.map((e) => e.message).join('; '));
    offer(organization, answer.data.servedOrganizations.map((o) => o.organizationId), 'Default organization');
    scalrAccounts = answer.data.servedScalrAccounts.map((a) => a.accountId);
    offer(account, scalrAccounts, 'No Scalr account');
  } catch (error) {
    // The pickers keep the defaults; each panel still asks for them and says what fails.
    windowNote.value = `The pickers could not be filled: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function currentWindow(): Window | undefined {
  const chosen = preset.value as Preset;
  custom.hidden = chosen !== 'custom';
  try {
    const span = presetWindow(chosen, new Date(), { from: fromInput.value, to: toInput.value });
    const last = new Date(Date.parse(span.to) - 86_400_000).toISOString().slice(0, 10);
    windowNote.value = `${span.from.slice(0, 10)} to ${last} (UTC days)`;
    if (chosen !== 'custom') {
      // A custom window starts from the one last shown.
      fromInput.value = span.from.slice(0, 10);
      toInput.value = last;
    }
    return span;
  } catch (error) {
    windowNote.value = (error as Error).message;
    return undefined;
  }
}

/** Loads every panel at once; settles when each has shown its figures or its error. */
function loadAll(): Promise<unknown> {
  const span = currentWindow();
  writeAddress();
  if (!span) return Promise.resolve();
  const org = organization.value || undefined;
  const acc = account.value || undefined;
  const usage =
    scalrAccounts?.length === 0
      ? panels.usage.show('empty', h('p', { class: 'muted' }, 'No Scalr account is served to you here (is SCALR_TOKEN set?).'))
      : loadUsage(panels.usage, acc, span);
  return Promise.all([
    loadMonthToDate(panels.monthToDate, org, new Date()),
    loadDaily(panels.daily, org, span),
    loadMonthly(panels.monthly, org, span),
    loadTop(panels.top, org, span),
    loadInvoices(panels.invoices, org, span),
    usage,
  ]);
}

readAddress();
for (const input of [organization, account, preset, fromInput, toInput]) input.addEventListener('change', () => void loadAll());
await loadScopes();
await loadAll();
// When the first view was complete: docs/explorer.md quotes it, as the browser test measures it.
performance.mark('explorer-ready');
