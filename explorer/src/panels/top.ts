import { ExplorerTopDocument, type ExplorerTopGroupsFragment } from '../../../client/generated/graphql.js';
import { share } from '../decimal.js';
import { amount, h } from '../dom.js';
import { percent } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import type { Window } from '../windows.js';

/**
 * The ten most expensive resources and SKUs of the window (`chargeReport` by RESOURCE and by SKU,
 * one request: the two reports share their reads), each amount with its share of the window's
 * total in that currency. Shares are computed for display only.
 */
export function loadTop(panel: Panel, organizationId: string | undefined, window: Window): Promise<void> {
  const variables = { organizationId, from: window.from, to: window.to };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerTopDocument, variables, signal);
    const org = need(answer, (d) => d.organization);
    const empty = org.resources.totals.length === 0;
    if (empty) return { nodes: [h('p', { class: 'muted' }, 'No spend in this window.'), ...notes(answer)], empty: true };
    return { nodes: [h('div', { class: 'columns' }, table('Top 10 resources', 'resource', org.resources), table('Top 10 SKUs', 'sku', org.skus)), ...notes(answer)] };
  });
}

function table(title: string, kind: string, report: ExplorerTopGroupsFragment) {
  const whole = new Map(report.totals.map((t) => [t.currency, t.amount]));
  return h(
    'table',
    { class: 'top', 'data-table': kind },
    h('caption', {}, title, h('span', { class: 'muted' }, ` (of ${report.groups.totalCount})`)),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, kind === 'sku' ? 'SKU' : 'Resource'), h('th', { scope: 'col' }, 'Spend'), h('th', { scope: 'col' }, 'Share'))),
    h(
      'tbody',
      {},
      ...report.groups.edges.map(({ node }, i) => {
        const key = node.keys[0];
        const rank = i + 1;
        const name = key?.name ?? key?.id ?? '(none)';
        return h(
          'tr',
          { 'data-id': key?.id ?? '' },
          h('td', {}, String(rank)),
          h('th', { scope: 'row' }, name, key?.name && key.id && key.id !== key.name ? h('div', { class: 'muted small' }, key.id) : null),
          h('td', {}, ...node.totals.map((t) => h('div', {}, amount(t.amount, t.currency, `${kind}:${rank}|${t.currency}`)))),
          h(
            'td',
            { class: 'share' },
            ...node.totals.map((t) => {
              const fraction = share(t.amount, whole.get(t.currency) ?? '0');
              const bar = h('span', { class: 'bar' });
              // A width from a float: a picture of the share, never a figure.
              bar.style.width = `${Math.max(0, Math.min(1, fraction ?? 0)) * 100}%`;
              return h('div', { 'data-share': `${kind}:${rank}|${t.currency}` }, h('span', { class: 'meter' }, bar), ` ${percent(fraction)}`);
            }),
          ),
        );
      }),
    ),
  );
}
