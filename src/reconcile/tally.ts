import type { Charge } from '../upstreams/scaleway/model.js';
import { addTo, type Sums, toNanos } from '../reports/sums.js';
import { timestampMicros } from '../lib/time.js';


/** One SKU's charges on an invoice, in one currency. */
export interface SkuTally {
  sku: string;
  currency: string;
  nanos: bigint;
  count: number;
}

/**
 * The FinOps charges on one invoice, summed as they arrive (no charge is kept): their totals per
 * currency, the lines the invoice is assumed to round (per project, SKU and currency, charges
 * inside the billing period only), what lies outside the period, and per SKU.
 */
export class ChargeTally {
  count = 0;
  readonly totals: Sums = new Map();
  /** Charges starting outside the invoice's billing period, per currency. */
  readonly outOfPeriod: Sums = new Map();
  /** `project \0 sku \0 currency` → nanos, in-period charges only. */
  readonly lines = new Map<string, bigint>();
  readonly bySku = new Map<string, SkuTally>();

  /** `periodStart`/`periodEnd`: the billing period, µs, half-open. */
  constructor(
    readonly periodStart: bigint,
    readonly periodEnd: bigint,
  ) {}

  add(charge: Charge): void {
    const nanos = toNanos(charge.price);
    const currency = charge.price.currency;
    this.count++;
    addTo(this.totals, currency, nanos);
    const start = timestampMicros(charge.startDate);
    if (start < this.periodStart || start >= this.periodEnd) addTo(this.outOfPeriod, currency, nanos);
    else addTo(this.lines, `${charge.projectId ?? ''}\u0000${charge.sku ?? ''}\u0000${currency}`, nanos);
    const skuKey = `${charge.sku ?? ''}\u0000${currency}`;
    const sku = this.bySku.get(skuKey);
    if (sku) {
      sku.nanos += nanos;
      sku.count++;
    } else this.bySku.set(skuKey, { sku: charge.sku ?? '', currency, nanos, count: 1 });
  }
}
