/**
 * The windows the page asks for, from a preset and the clock, all in UTC as the reports' buckets
 * are: half-open `[from, to)` instants the graph takes as they are. Pure: no DOM.
 */

export const PRESETS = ['this-month', 'last-month', 'last-3-months', 'last-12-months', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];

export interface Window {
  /** First instant, included. */
  from: string;
  /** Last instant, excluded. */
  to: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The graph's DateTime as reports echo it: no milliseconds when there are none. */
export const instant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const monthStart = (now: Date, back: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1);
const tomorrow = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);

/**
 * A preset's window. Months are calendar months and include the current one up to today (whole UTC
 * days, so that Scalr's daily rows fit): "last 3 months" is this month and the two before. A custom
 * window is `from` to `to` inclusive, as dates (`YYYY-MM-DD`); its bounds are the graph's to check.
 */
export function presetWindow(preset: Preset, now: Date, custom?: { from: string; to: string }): Window {
  switch (preset) {
    case 'this-month':
      return { from: instant(monthStart(now, 0)), to: instant(tomorrow(now)) };
    case 'last-month':
      return { from: instant(monthStart(now, 1)), to: instant(monthStart(now, 0)) };
    case 'last-3-months':
      return { from: instant(monthStart(now, 2)), to: instant(tomorrow(now)) };
    case 'last-12-months':
      return { from: instant(monthStart(now, 11)), to: instant(tomorrow(now)) };
    case 'custom': {
      const from = Date.parse(`${custom?.from ?? ''}T00:00:00Z`);
      const to = Date.parse(`${custom?.to ?? ''}T00:00:00Z`);
      if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('Choose a first and a last day');
      if (to < from) throw new Error('The last day is before the first');
      return { from: instant(from), to: instant(to + DAY) };
    }
  }
}

/**
 * Month to date: this month from its first instant to the start of today (UTC), as FinOps charges
 * come about a day late (today's hours would hold next to nothing yet, and pull the comparison and
 * the run rate down); on the 1st, its first day so far. Last month over the same span from its
 * first instant (never past its end), and what the run rate extrapolates to: the whole month.
 */
export function monthToDate(now: Date): { from: string; to: string; previousFrom: string; previousTo: string; spanMs: number; monthMs: number } {
  const from = monthStart(now, 0);
  const to = Math.max(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()), from + DAY);
  const previous = monthStart(now, 1);
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return { from: instant(from), to: instant(to), previousFrom: instant(previous), previousTo: instant(Math.min(previous + (to - from), from)), spanMs: to - from, monthMs: next - from };
}

/** Twelve billing periods (`YYYY-MM`) ending with the month of the window's last instant. */
export function twelveMonths(window: Window): { fromPeriod: string; toPeriod: string } {
  const last = new Date(Date.parse(window.to) - 1);
  return { fromPeriod: instant(monthStart(last, 11)).slice(0, 7), toPeriod: instant(monthStart(last, 0)).slice(0, 7) };
}
