import { ExplorerUsageDocument, type ExplorerUsageQuery } from '../../../client/generated/graphql.js';
import { stackedChart, tableFallback } from '../chart.js';
import { count, h } from '../dom.js';
import { day, integer } from '../format.js';
import { run } from '../graph.js';
import { need, notes, type Panel } from '../panel.js';
import { groupKey } from '../stack.js';
import type { Window } from '../windows.js';

/** The ten busiest workspaces drawn; the others as one. */
export const USAGE_GROUPS = 10;

type Report = NonNullable<ExplorerUsageQuery['scalrAccount']>['usageReport'];

/** Scalr runs and run-seconds per day by workspace (`usageReport` DAY × WORKSPACE). */
export function loadUsage(panel: Panel, accountId: string | undefined, window: Window): Promise<void> {
  const variables = { accountId, from: window.from, to: window.to, first: USAGE_GROUPS };
  return panel.load(variables, async (signal) => {
    const answer = await run(ExplorerUsageDocument, variables, signal);
    const report = need(answer, (d) => d.scalrAccount?.usageReport);
    if (report.totalRunsCount === 0) return { nodes: [h('p', { class: 'muted' }, 'No Terraform run in this window.'), ...notes(answer)], empty: true };
    const runs = measure(report, 'runsCount', 'Runs per day by workspace', 'runs');
    const seconds = measure(report, 'runsSeconds', 'Run-seconds per day by workspace', 'seconds');
    return {
      nodes: [
        h(
          'p',
          { class: 'total' },
          'Runs: ',
          count(report.totalRunsCount, integer(report.totalRunsCount), 'total|runs'),
          ' · run-seconds: ',
          count(report.totalRunsSeconds, integer(report.totalRunsSeconds), 'total|seconds'),
        ),
        ...runs.nodes,
        ...seconds.nodes,
        ...notes(answer),
      ],
      drawn: () => {
        runs.draw();
        seconds.draw();
      },
    };
  });
}

/** One measure (runs or seconds) as a stacked chart and a table; "Other workspaces" is the days' totals less the ones shown. */
function measure(report: Report, field: 'runsCount' | 'runsSeconds', title: string, unit: string) {
  const groups = report.groups.edges.map((e) => e.node);
  const columns = groups.map((g) => ({ key: groupKey(g.keys), label: g.keys[0]?.name ?? g.keys[0]?.id ?? '(none)', total: g[field], values: g.series.map((s) => s[field]) }));
  const windowTotal = field === 'runsCount' ? report.totalRunsCount : report.totalRunsSeconds;
  // Whole numbers well within 2^53: exact in a double.
  if (report.groups.totalCount > groups.length) {
    columns.push({
      key: 'other',
      label: 'Other workspaces',
      total: windowTotal - columns.reduce((sum, c) => sum + c.total, 0),
      values: report.buckets.map((b, j) => b[field] - columns.reduce((sum, c) => sum + c.values[j]!, 0)),
    });
  }
  const totals = report.buckets.map((b) => b[field]);
  const host = h('div', { class: 'chart' });
  const table = () =>
    h(
      'table',
      {},
      h('caption', {}, title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Day'), ...columns.map((c) => h('th', { scope: 'col' }, c.label)), h('th', { scope: 'col' }, 'Total'))),
      h(
        'tbody',
        {},
        ...report.buckets.map((b, j) => {
          const name = day(b.start);
          const cell = (value: number, key: string) => h('td', {}, count(value, integer(value), `${name}|${key}|${unit}`));
          return h('tr', {}, h('th', { scope: 'row' }, name), ...columns.map((c) => cell(c.values[j]!, c.key)), cell(totals[j]!, 'total'));
        }),
      ),
    );
  return {
    nodes: [h('h3', {}, title), host, tableFallback(`Table: ${title.toLowerCase()}`, table)],
    draw: () =>
      stackedChart(host, {
        label: `${title}, stacked; the table below has every value`,
        unit: 'Day',
        buckets: report.buckets.map((b) => day(b.start)),
        series: columns.map((c) => ({ label: c.label, other: c.key === 'other', heights: c.values, texts: c.values.map((v) => integer(v)), total: integer(c.total) })),
        totals: totals.map((t) => integer(t)),
        total: integer(windowTotal),
      }),
  };
}
