import { GraphQLError } from 'graphql';
import { Decimal } from 'decimal.js';
import { Exact, type Money } from '../lib/money.js';
import type { Bucket } from './window.js';

const NANOS = 1_000_000_000n;

/** An exact amount as nanos: from the upstream's text when at hand (no Decimal built), else the Decimal. */
export function toNanos(money: Money): bigint {
  const text = money.text ?? money.amount.toFixed(9, Decimal.ROUND_HALF_EVEN);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > 9) throw new RangeError(`more than nine decimals: ${text}`);
  const nanos = BigInt(whole!) * NANOS + BigInt(fraction.padEnd(9, '0'));
  return negative ? -nanos : nanos;
}

/** A sum in nanos, served as {@link Money}. */
export class NanoMoney implements Money {
  constructor(
    readonly currency: string,
    readonly nanos: bigint,
  ) {}

  get amount(): Decimal {
    return new Exact(`${this.nanos}e-9`);
  }

  get text(): string {
    const negative = this.nanos < 0n;
    const abs = negative ? -this.nanos : this.nanos;
    const fraction = (abs % NANOS).toString().padStart(9, '0').replace(/0+$/, '');
    return `${negative ? '-' : ''}${abs / NANOS}${fraction ? `.${fraction}` : ''}`;
  }
}

/** Sums per currency. */
export type Sums = Map<string, bigint>;

const addTo = (sums: Sums, currency: string, nanos: bigint) => sums.set(currency, (sums.get(currency) ?? 0n) + nanos);

/** Sums as Money, by currency code: never added across currencies. */
export function moneyOf(sums: Sums | undefined): NanoMoney[] {
  if (!sums) return [];
  return [...sums.keys()].sort().map((currency) => new NanoMoney(currency, sums.get(currency)!));
}

/** One key of a group: its dimension, the id, and a name when the rows give one (`PROJECT`: `project_name`). */
export interface CostKey {
  dimension: string;
  id: string | null;
  name: string | null;
}

export interface GroupSums {
  keys: CostKey[];
  totals: Sums;
  /** Non-empty buckets only, by index. */
  cells: Map<number, Sums>;
}

/** How big one report may grow in memory: groups, and non-empty (group, bucket) cells. */
export interface ReportBounds {
  groups: number;
  cells: number;
}

export const REPORT_BOUNDS: ReportBounds = { groups: 20_000, cells: 250_000 };

/**
 * What the reports of one request may hold in memory, together (aliases cannot multiply it):
 * groups, and non-empty (group, bucket) cells. Past either, QUERY_TOO_COSTLY.
 */
export class ReportAllowance {
  private groups = 0;
  private cells = 0;

  constructor(readonly bounds: ReportBounds = REPORT_BOUNDS) {}

  group(): void {
    if (++this.groups > this.bounds.groups) throw tooLarge('groups', this.bounds.groups);
  }

  cell(): void {
    if (++this.cells > this.bounds.cells) throw tooLarge('group × bucket cells', this.bounds.cells);
  }
}

function tooLarge(what: string, limit: number): GraphQLError {
  return new GraphQLError(`The reports of this request would hold more than ${limit} ${what}: group by fewer dimensions, use a coarser granularity or a narrower window`, {
    extensions: { code: 'QUERY_TOO_COSTLY', limit },
  });
}

/**
 * Exact sums of a cost report as rows arrive: per currency over the window, per bucket, per group
 * and per (group, bucket). Memory is O(groups × non-empty buckets), bounded by the request's
 * allowance; rows are not kept.
 */
export class CostSums {
  readonly totals: Sums = new Map();
  readonly byBucket: Sums[];
  readonly groups = new Map<string, GroupSums>();
  rowCount = 0;

  constructor(
    readonly buckets: readonly Bucket[],
    private readonly allowance: ReportAllowance = new ReportAllowance(),
  ) {
    this.byBucket = buckets.map(() => new Map());
  }

  /** One row: its group's keys, its currency, and its amount as pieces per bucket (they sum to it). */
  add(keys: CostKey[], currency: string, pieces: readonly (readonly [number, bigint])[]): void {
    this.rowCount++;
    const id = groupId(keys);
    let group = this.groups.get(id);
    if (!group) {
      this.allowance.group();
      group = { keys, totals: new Map(), cells: new Map() };
      this.groups.set(id, group);
    } else nameMissing(group.keys, keys);
    for (const [bucket, nanos] of pieces) {
      addTo(this.totals, currency, nanos);
      addTo(this.byBucket[bucket]!, currency, nanos);
      addTo(group.totals, currency, nanos);
      let cell = group.cells.get(bucket);
      if (!cell) {
        this.allowance.cell();
        group.cells.set(bucket, (cell = new Map()));
      }
      addTo(cell, currency, nanos);
    }
  }
}

/** A group's identity: its keys' ids, unambiguous whatever they hold (null apart from any string). */
export function groupId(keys: readonly CostKey[]): string {
  return keys.length === 0 ? '' : JSON.stringify(keys.map((k) => k.id));
}

/** The first name the rows give a key is kept; a later row may fill one the first rows left out. */
function nameMissing(known: CostKey[], seen: readonly CostKey[]): void {
  for (let i = 0; i < known.length; i++) if (known[i]!.name === null && seen[i]!.name !== null) known[i] = { ...known[i]!, name: seen[i]!.name };
}

export type GroupOrder = 'TOTAL_DESC' | 'KEY_ASC';

const compareText = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** By key ids in order (a missing id last), then names. */
export function compareKeys(a: readonly CostKey[], b: readonly CostKey[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareText(a[i]!.id, b[i]!.id) || compareText(a[i]!.name, b[i]!.name);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * TOTAL_DESC without converting currencies: groups are compared on their total in each currency of
 * the report in turn, by currency code (a currency a group has none of counts as 0), larger first;
 * equal totals fall back to KEY_ASC.
 */
export function orderGroups<G extends { keys: CostKey[]; totals: Sums }>(groups: G[], order: GroupOrder, currencies: readonly string[]): G[] {
  const sorted = [...currencies].sort();
  return groups.sort((a, b) => {
    if (order === 'TOTAL_DESC') {
      for (const c of sorted) {
        const x = a.totals.get(c) ?? 0n;
        const y = b.totals.get(c) ?? 0n;
        if (x !== y) return x > y ? -1 : 1;
      }
    }
    return compareKeys(a.keys, b.keys);
  });
}
