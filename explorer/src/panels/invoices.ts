import { ExplorerInvoicesDocument, type ReconciliationStatus } from '../../../client/generated/graphql.js';
import { amount, h } from '../dom.js';
import { day } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import { twelveMonths, type Window } from '../windows.js';

/** An invoice against its FinOps charges (`Invoice.reconciliation.status`), in words. */
const STATUS: Record<ReconciliationStatus, string> = {
  MATCHED: 'matched',
  WITHIN_TOLERANCE: 'within tolerance',
  MISMATCHED: 'mismatched',
  OPEN: 'open',
  NO_CHARGES: 'no charges',
};

/** Invoices shown at most; the caption says how many there are. */
export const INVOICES_SHOWN = 50;

/**
 * Invoices whose period starts in the twelve months of the monthly chart (those up to the window's
 * last: this month's invoice comes next month), newest first: number, kind, state, totals, how each
 * agrees with its FinOps charges (`Invoice.reconciliation`; a reconciliation that cannot be read is
 * `–` in its row, its error under the table), and the PDF (`Invoice.downloadUrl`, a signed link that
 * works without a token and expires: reload the panel for fresh ones).
 */
export function loadInvoices(panel: Panel, organizationId: string | undefined, window: Window): Promise<void> {
  const variables = { organizationId, startedAfter: `${twelveMonths(window).fromPeriod}-01T00:00:00Z`, startedBefore: window.to, first: INVOICES_SHOWN };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerInvoicesDocument, variables, signal);
    const invoices = need(answer, (d) => d.organization?.invoices);
    if (invoices.totalCount === 0) return { nodes: [h('p', { class: 'muted' }, 'No invoice period starts in these twelve months.'), ...notes(answer)], empty: true };
    const money = (m: { amount: string; currency: string } | null | undefined, key: string) => (m ? amount(m.amount, m.currency, key) : '–');
    const rows = invoices.edges.map(({ node: i }) =>
      h(
        'tr',
        { 'data-id': i.invoiceId },
        h('th', { scope: 'row' }, i.number === null || i.number === undefined ? 'draft' : String(i.number)),
        h('td', {}, i.invoiceType.toLowerCase().replace(/_/g, ' ')),
        h('td', {}, i.startDate ? day(i.startDate) : '–'),
        h('td', {}, i.state ?? '–'),
        h('td', { class: 'num' }, money(i.totalUntaxed, `invoice:${i.invoiceId}|untaxed`)),
        h('td', { class: 'num' }, money(i.totalTaxed, `invoice:${i.invoiceId}|taxed`)),
        i.reconciliation
          ? h('td', { 'data-status': i.reconciliation.status, class: `status ${i.reconciliation.status.toLowerCase()}` }, STATUS[i.reconciliation.status])
          : h('td', { 'data-status': '' }, '–'),
        h('td', {}, h('a', { href: i.downloadUrl, download: '' }, 'PDF', h('span', { class: 'visually-hidden' }, ` of invoice ${i.number ?? i.invoiceId}`))),
      ),
    );
    return {
      nodes: [
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            {},
            h('caption', {}, `${invoices.edges.length} of ${invoices.totalCount} invoices whose period starts in the twelve months of the chart, newest first`),
            h('thead', {}, h('tr', {}, ...['Number', 'Kind', 'Period', 'State', 'Untaxed', 'Taxed', 'Against charges', 'PDF'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', {}, ...rows),
          ),
        ),
        ...notes(answer),
      ],
    };
  });
}
