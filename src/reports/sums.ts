import { GraphQLError } from 'graphql';
import { Decimal } from 'decimal.js';
import { Exact, type Money } from '../lib/money.js';
import type { Bucket } from './window.js';

const NANOS = 1_000_000_000n;

/** An exact amount as nanos: from the upstream's text when at hand (no Decimal built), else the Decimal. */
export function toNanos(money: Money): bigint {
  if (money.inNanos) return money.inNanos();
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

/** Adds `nanos` to a currency's sum. */
export const addTo = (sums: Sums, currency: string, nanos: bigint) => sums.set(currency, (sums.get(currency) ?? 0n) + nanos);

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
  /** The sum of its cells (made when the report's totals are first read). */
  totals: Sums;
  /** Non-empty buckets only, by index. */
  cells: Map<number, Sums>;
  /** Every key has its name, or none will: no row needs to be looked at for one again. */
  named?: boolean;
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
 * Exact sums of a cost report as rows arrive. Only the (group, bucket) cells are summed row by row;
 * the totals per group, per bucket and over the window are their sums, made once when first read.
 * Memory is O(groups × non-empty buckets), bounded by the request's allowance; rows are not kept.
 */
export class CostSums {
  private readonly byId = new Map<string, GroupSums>();
  rowCount = 0;
  private summed?: { totals: Sums; byBucket: Sums[] };

  constructor(
    readonly buckets: readonly Bucket[],
    private readonly allowance: ReportAllowance = new ReportAllowance(),
  ) {}

  /** One row: its group's keys, its currency, and its amount as pieces per bucket (they sum to it). */
  add(keys: CostKey[], currency: string, pieces: readonly (readonly [number, bigint])[]): void {
    this.addTo(groupId(keys), () => keys, currency, pieces);
  }

  /**
   * One row by its group's id (see `groupId`; the caller may build it without the keys): `keys` is
   * asked for only when the group is new, or has a name still missing.
   */
  addTo(id: string, keys: () => CostKey[], currency: string, pieces: readonly (readonly [number, bigint])[]): void {
    // Totals are summed once, when first read: a report is read complete, never added to after.
    if (this.summed) throw new Error('a report is added to after it was read');
    this.rowCount++;
    let group = this.byId.get(id);
    if (!group) {
      this.allowance.group();
      group = { keys: keys(), totals: new Map(), cells: new Map() };
      this.byId.set(id, group);
    } else if (group.named !== true) {
      group.named = nameMissing(group.keys, keys());
    }
    for (const [bucket, nanos] of pieces) {
      let cell = group.cells.get(bucket);
      if (!cell) {
        this.allowance.cell();
        group.cells.set(bucket, (cell = new Map()));
      }
      cell.set(currency, (cell.get(currency) ?? 0n) + nanos);
    }
  }

  get groups(): ReadonlyMap<string, GroupSums> {
    this.sum();
    return this.byId;
  }

  /** Per currency over the window. */
  get totals(): Sums {
    return this.sum().totals;
  }

  /** Per currency, per bucket (empty where nothing was spent). */
  get byBucket(): Sums[] {
    return this.sum().byBucket;
  }

  private sum(): { totals: Sums; byBucket: Sums[] } {
    if (this.summed) return this.summed;
    const totals: Sums = new Map();
    const byBucket: Sums[] = this.buckets.map(() => new Map());
    for (const group of this.byId.values()) {
      group.totals = new Map();
      for (const [bucket, cell] of group.cells) {
        for (const [currency, nanos] of cell) {
          addTo(group.totals, currency, nanos);
          addTo(byBucket[bucket]!, currency, nanos);
          addTo(totals, currency, nanos);
        }
      }
    }
    return (this.summed = { totals, byBucket });
  }
}

/** One id in a group's identity: length-prefixed (no id is the prefix of another), null apart. */
export const idPart = (id: string | null | undefined): string => (id == null ? '~' : `${id.length}:${id}`);

/** A group's identity: its keys' ids, unambiguous whatever they hold (null apart from any string). */
export function groupId(keys: readonly CostKey[]): string {
  let id = '';
  for (const key of keys) id += idPart(key.id);
  return id;
}

/** Dimensions whose keys never carry a name. */
const UNNAMED = new Set(['SKU', 'INVOICE', 'CATEGORY', 'PRODUCT']);

/**
 * The first name the rows give a key is kept; a later row may fill one the first rows left out.
 * True when every key is named (nothing left to fill).
 */
function nameMissing(known: CostKey[], seen: readonly CostKey[]): boolean {
  let all = true;
  for (let i = 0; i < known.length; i++) {
    if (known[i]!.name === null && seen[i]!.name !== null) known[i] = { ...known[i]!, name: seen[i]!.name };
    if (known[i]!.name === null && !UNNAMED.has(known[i]!.dimension)) all = false;
  }
  return all;
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
