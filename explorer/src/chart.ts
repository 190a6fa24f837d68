import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';

/**
 * Stacked bar charts on uPlot (canvas). Heights are floats, for pixels only; what a person reads,
 * the legend under the cursor and the table beside the chart, is the graph's exact text.
 */

export interface StackSeries {
  label: string;
  /** Heights per bucket (floats: pixels only); null where the series has nothing. */
  heights: (number | null)[];
  /** What hovering shows per bucket: exact text; null where the series has nothing. */
  texts: (string | null)[];
  /** Its exact total over the window, shown while the cursor is elsewhere. */
  total: string;
  /** The rest of the groups (grey). */
  other?: boolean;
}

export interface StackSpec {
  /** What the chart shows, said to screen readers (the table has every value). */
  label: string;
  /** What a bucket is (`Day`, `Month`). */
  unit: string;
  /** The buckets' names, in order (`2026-12-01`, `2026-12`). */
  buckets: string[];
  /** Bottom of the stack first. */
  series: StackSeries[];
  /** The exact total of each bucket, shown first under the cursor, and of the window. */
  totals: (string | null)[];
  total: string;
}

/** Colours readable on both schemes (Tableau 10); the last is for "other". */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#5fa2ce'];
const OTHER = '#9a9a9a';

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

const live = new Map<HTMLElement, () => void>();

/** Charts follow the colour scheme: on a change, each is drawn again with the scheme's colours. */
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  for (const [host, draw] of live) {
    if (host.isConnected) draw();
    else live.delete(host);
  }
});

/** Draws a stacked chart into `host` (emptied first), sized to its width. */
export function stackedChart(host: HTMLElement, spec: StackSpec): void {
  let plot: uPlot | undefined;
  const draw = () => {
    plot?.destroy();
    host.replaceChildren();
    const fg = css('--muted') || '#666';
    const grid = css('--grid') || 'rgba(128,128,128,0.2)';
    // Cumulative heights, bottom first; uPlot draws in order, so the top of the stack goes first
    // and each lower series paints over it.
    const sums: number[][] = [];
    spec.series.forEach((s, i) => sums.push(s.heights.map((v, j) => (v ?? 0) + (i > 0 ? sums[i - 1]![j]! : 0))));
    const order = spec.series.map((_, i) => i).reverse();
    const colour = (i: number) => (spec.series[i]!.other ? OTHER : PALETTE[i % PALETTE.length]!);
    const bars = uPlot.paths.bars!({ size: [0.8, 40, 1] });
    const options: uPlot.Options = {
      width: Math.max(320, host.clientWidth),
      height: 260,
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      legend: { live: true },
      // Buckets by index, evenly spaced (a bar each), named on the axis.
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
      axes: [
        {
          stroke: fg,
          grid: { show: false },
          ticks: { stroke: grid },
          space: spec.unit === 'Day' ? 90 : 50,
          incrs: [1, 2, 3, 6, 7, 12, 14, 28, 56, 91, 182, 364],
          values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (spec.buckets[t] ?? '') : '')),
        },
        { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 60, values: (_u, ticks) => ticks.map((t) => compact.format(t)) },
      ],
      series: [
        { label: spec.unit, value: (_u, _x, _s, idx) => (idx == null ? 'window' : (spec.buckets[idx] ?? '–')) },
        { label: 'Total', stroke: 'transparent', points: { show: false }, paths: () => null, value: (_u, _v, _s, idx) => (idx == null ? spec.total : (spec.totals[idx] ?? '–')) },
        ...order.map((i) => ({
          label: spec.series[i]!.label,
          fill: colour(i),
          stroke: colour(i),
          width: 0,
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number, _s: number, idx: number | null) => (idx == null ? spec.series[i]!.total : (spec.series[i]!.texts[idx] ?? '–')),
        })),
      ],
    };
    const x = spec.buckets.map((_, j) => j);
    const data: uPlot.AlignedData = [x, x.map((j) => sums[sums.length - 1]?.[j] ?? 0), ...order.map((i) => sums[i]!)];
    plot = new uPlot(options, data, host);
    plot.root.setAttribute('role', 'img');
    plot.root.setAttribute('aria-label', spec.label);
    plot.root.querySelector('.u-legend')?.setAttribute('aria-live', 'off');
  };
  draw();
  live.set(host, draw);
  let width = host.clientWidth;
  new ResizeObserver(() => {
    if (!plot || !host.isConnected || host.clientWidth === width) return;
    width = host.clientWidth;
    plot.setSize({ width: Math.max(320, width), height: 260 });
  }).observe(host);
}

/**
 * A table behind a disclosure, built the first time it is opened (a year of days is thousands
 * of cells: none of them delays the first paint).
 */
export function tableFallback(summary: string, build: () => HTMLTableElement): HTMLDetailsElement {
  const details = h('details', { class: 'fallback' }, h('summary', {}, summary));
  details.addEventListener('toggle', () => {
    if (details.open && details.childElementCount === 1) details.append(h('div', { class: 'scroll' }, build()));
  });
  return details;
}
