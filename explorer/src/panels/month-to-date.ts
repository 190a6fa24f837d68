import { ExplorerMonthToDateDocument } from '../../../client/generated/graphql.js';
import { runRate } from '../decimal.js';
import { amount, h } from '../dom.js';
import { moneyRounded } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import { monthToDate } from '../windows.js';

/**
 * Spend so far this month per currency (FinOps charges, exact), last month's over the same span
 * beside it, and the month-end run rate: this month's spend extrapolated in a straight line.
 */
export function loadMonthToDate(panel: Panel, organizationId: string | undefined, now: Date): Promise<void> {
  const w = monthToDate(now);
  const variables = { organizationId, from: w.from, to: w.to, previousFrom: w.previousFrom, previousTo: w.previousTo };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerMonthToDateDocument, variables, signal);
    const org = need(answer, (d) => d.organization);
    const current = new Map(org.current.totals.map((t) => [t.currency, t.amount]));
    const previous = new Map(org.previous.totals.map((t) => [t.currency, t.amount]));
    const currencies = [...new Set([...current.keys(), ...previous.keys()])].sort();
    if (currencies.length === 0) return { nodes: [h('p', { class: 'muted' }, 'No spend this month or last month yet.'), ...notes(answer)], empty: true };
    const days = (ms: number) => Math.round((ms / 86_400_000) * 10) / 10;
    const cards = currencies.map((currency) => {
      const now = current.get(currency);
      const before = previous.get(currency);
      const rate = now === undefined ? undefined : runRate(now, w.spanMs, w.monthMs);
      return h(
        'div',
        { class: 'card' },
        h('h3', {}, currency),
        h(
          'dl',
          {},
          h('div', {}, h('dt', {}, 'This month to date'), h('dd', {}, now === undefined ? '–' : amount(now, currency, `current|${currency}`))),
          h('div', {}, h('dt', {}, 'Last month, same span'), h('dd', {}, before === undefined ? '–' : amount(before, currency, `previous|${currency}`))),
          h(
            'div',
            {},
            h('dt', {}, 'Month-end run rate (estimate)'),
            h('dd', {}, rate === undefined ? '–' : h('data', { value: rate, 'data-key': `run-rate|${currency}` }, moneyRounded(rate, currency))),
          ),
        ),
      );
    });
    return {
      nodes: [
        h('div', { class: 'cards' }, ...cards),
        h('p', { class: 'muted small' }, `Charges from ${w.from.slice(0, 10)} to ${w.to.replace('T', ' ').slice(0, 16)} UTC (${days(w.spanMs)} of ${days(w.monthMs)} days); the run rate extrapolates that span to the month.`),
        ...notes(answer),
      ],
    };
  });
}
