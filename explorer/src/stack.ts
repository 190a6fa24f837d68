import { stackedChart, tableFallback } from './chart.js';
import { remainder } from './decimal.js';
import { amount, h } from './dom.js';
import { money } from './format.js';
import type { Content } from './panel.js';

/**
 * A cost report by bucket and by one dimension, as a panel shows it: per currency (never added
 * together), the window's total, a stacked chart of the groups shown (and "Other", the buckets'
 * totals less theirs, exactly, when the report has more groups), and the same figures as a table.
 */

interface Money {
  amount: string;
  currency: string;
}
interface Key {
  id?: string | null;
  name?: string | null;
}
export interface GroupedReport {
  totals: readonly Money[];
  buckets: readonly { start: string; totals: readonly Money[] }[];
  groups: { totalCount: number; edges: readonly { node: { keys: readonly Key[]; totals: readonly Money[]; series: readonly { start: string; totals: readonly Money[] }[] } }[] };
}

export interface StackOptions {
  /** What the chart shows (`Daily spend by project`). */
  title: string;
  /** `Day` or `Month`, and a bucket's name from its start. */
  unit: string;
  bucket: (start: string) => string;
  /** What a group is (`project`), and the rest of them (`Other projects`). */
  what: string;
  others: string;
}

/** A group's key in `data-key`s: its id, else its name, else `none`. */
export const groupKey = (keys: readonly Key[]) => keys[0]?.id ?? keys[0]?.name ?? 'none';
const groupLabel = (keys: readonly Key[]) => keys[0]?.name ?? keys[0]?.id ?? '(none)';
const of = (totals: readonly Money[], currency: string) => totals.find((t) => t.currency === currency)?.amount ?? null;

export function stackContent(report: GroupedReport, options: StackOptions): Content {
  const currencies = report.totals.map((t) => t.currency).sort();
  if (currencies.length === 0) return { nodes: [h('p', { class: 'muted' }, 'No spend in this window.')], empty: true };
  const groups = report.groups.edges.map((e) => e.node);
  const more = report.groups.totalCount > groups.length;
  const draws: (() => void)[] = [];
  const nodes = currencies.map((currency) => {
    const columns = groups
      .filter((g) => of(g.totals, currency) !== null)
      .map((g) => ({ key: groupKey(g.keys), label: groupLabel(g.keys), total: of(g.totals, currency)!, values: g.series.map((s) => of(s.totals, currency)) }));
    const windowTotal = of(report.totals, currency)!;
    // More groups than shown: the rest, per bucket, is the bucket's total less the groups shown.
    if (more) {
      columns.push({
        key: 'other',
        label: options.others,
        total: remainder(windowTotal, columns.map((c) => c.total)),
        values: report.buckets.map((b, j) => {
          const total = of(b.totals, currency);
          return total === null ? null : remainder(total, columns.flatMap((c) => (c.values[j] === null ? [] : [c.values[j]!])));
        }),
      });
    }
    const totals = report.buckets.map((b) => of(b.totals, currency));
    const host = h('div', { class: 'chart' });
    draws.push(() =>
      stackedChart(host, {
        label: `${options.title}, ${currency}, stacked by ${options.what}; the table below has every value`,
        unit: options.unit,
        buckets: report.buckets.map((b) => options.bucket(b.start)),
        series: columns.map((c) => ({
          label: c.label,
          other: c.key === 'other',
          heights: c.values.map((v) => (v === null ? null : Number(v))),
          texts: c.values.map((v) => (v === null ? null : money(v, currency))),
          total: money(c.total, currency),
        })),
        totals: totals.map((t) => (t === null ? null : money(t, currency))),
        total: money(windowTotal, currency),
      }),
    );
    const table = () =>
      h(
        'table',
        {},
        h('caption', {}, `${options.title}, ${currency}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, options.unit), ...columns.map((c) => h('th', { scope: 'col' }, c.label)), h('th', { scope: 'col' }, 'Total'))),
        h(
          'tbody',
          {},
          ...report.buckets.map((b, j) => {
            const name = options.bucket(b.start);
            const cell = (value: string | null, key: string) => h('td', {}, value === null ? '–' : amount(value, currency, `${name}|${key}|${currency}`));
            return h('tr', {}, h('th', { scope: 'row' }, name), ...columns.map((c) => cell(c.values[j]!, c.key)), cell(totals[j]!, 'total'));
          }),
        ),
      );
    return h(
      'div',
      { class: 'currency' },
      h('p', { class: 'total' }, `Total ${currency}: `, amount(windowTotal, currency, `total|${currency}`)),
      host,
      tableFallback(`Table: ${options.title.toLowerCase()}, ${currency}`, table),
    );
  });
  return { nodes, drawn: () => draws.forEach((d) => d()) };
}
