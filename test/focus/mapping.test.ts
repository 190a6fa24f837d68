import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { FOCUS_COLUMNS, FOCUS_FIELDS, type FocusRow } from '../../src/focus/columns.js';
import { csvHeader, csvLine } from '../../src/focus/csv.js';
import { focusDecimal, focusExclusiveEnd, focusInstant, periodBounds } from '../../src/focus/format.js';
import { chargeRow, consumptionRow, creditRows, invoiceRows, periodFacts, taxRow } from '../../src/focus/rows.js';
import { localityOf, pricingUnitOf, serviceCategoryOf } from '../../src/focus/vocabulary.js';
import { Exact, type Money } from '../../src/lib/money.js';
import type { Charge, Consumption, Invoice } from '../../src/upstreams/scaleway/model.js';

/** The mapping's parts alone: FOCUS formats, Scaleway's words in FOCUS's, CSV cells. */
const ORG = '11111111-2222-4333-8444-555555555555';
const money = (amount: string, currency = 'EUR'): Money => ({ amount: new Exact(amount), currency });
const invoice = (over: Partial<Invoice> = {}): Invoice => ({
  id: '4dea1dad-0000-4000-8000-00000000000b',
  type: 'periodic',
  organizationName: 'acme',
  billingPeriod: '2026-06-01T00:00:00Z',
  totalTaxed: money('120'),
  totalDiscount: money('-5.5'),
  sellerName: 'Scaleway SAS',
  ...over,
});

describe('FOCUS formats', () => {
  it('writes decimals in plain notation with a decimal point, never a sign of +', () => {
    expect(['12', '-3', '0', '-0', '0.000000001', '-1.75', '12345678901234567.89'].map(focusDecimal)).toEqual(['12.0', '-3.0', '0.0', '0.0', '0.000000001', '-1.75', '12345678901234567.89']);
  });

  it('writes date/times to the second, ends exclusive: an inclusive …59.999999Z is the next second', () => {
    expect(focusInstant('2026-06-30T12:34:56.999999Z')).toBe('2026-06-30T12:34:56Z');
    expect(focusInstant('2026-06-01T00:00:00Z')).toBe('2026-06-01T00:00:00Z');
    expect(focusExclusiveEnd('2026-06-30T23:59:59.999999Z')).toBe('2026-07-01T00:00:00Z');
    expect(focusExclusiveEnd('2026-06-30T10:15:30.499999Z')).toBe('2026-06-30T10:15:31Z');
    expect(focusExclusiveEnd('2026-06-30T10:15:29Z')).toBe('2026-06-30T10:15:30Z');
    expect(periodBounds('2026-12')).toEqual({ start: '2026-12-01T00:00:00Z', end: '2027-01-01T00:00:00Z' });
  });
});

describe('Scaleway vocabulary', () => {
  it('reads a region and zone from the end of a SKU only when it names a known one', () => {
    expect(localityOf('/compute/pro2_xxs/run_fr-par-2')).toEqual({ regionId: 'fr-par', regionName: 'Paris', availabilityZone: 'fr-par-2' });
    expect(localityOf('/compute/dev1_s/run_par1')).toEqual({ regionId: 'fr-par', regionName: 'Paris', availabilityZone: 'fr-par-1' });
    expect(localityOf('/object_storage/multi_az/par')).toEqual({ regionId: 'fr-par', regionName: 'Paris', availabilityZone: null });
    expect(localityOf('/compute/gp1_xs/run_ams1')).toMatchObject({ regionId: 'nl-ams', availabilityZone: 'nl-ams-1' });
    for (const sku of ['/network/flexible_ip/ipv4', '/rdb/pro2_xxs/pg', '/compute/pro2_xxs/run_fr-par-2#17', '/x/y/run_us-east-1', '/x/y/run_xyz1', undefined]) {
      expect(localityOf(sku), String(sku)).toEqual({ regionId: null, regionName: null, availabilityZone: null });
    }
  });

  it('maps categories to FOCUS, refined by product, Other when unknown', () => {
    expect(serviceCategoryOf('Compute', 'PRO2-XXS')).toEqual({ category: 'Compute', subcategory: 'Virtual Machines' });
    expect(serviceCategoryOf('Managed Databases', 'Redis Cluster')).toEqual({ category: 'Databases', subcategory: 'Caching' });
    expect(serviceCategoryOf('Network', 'Load Balancer LB-S')).toEqual({ category: 'Networking', subcategory: 'Application Networking' });
    expect(serviceCategoryOf('Security and Identity', 'IAM')).toEqual({ category: 'Identity', subcategory: 'Identity and Access Management' });
    expect(serviceCategoryOf('Managed Services', 'Queues')).toEqual({ category: 'Integration', subcategory: 'Messaging' });
    expect(serviceCategoryOf('Quantum', 'Q1')).toEqual({ category: 'Other', subcategory: 'Other (Other)' });
    expect(serviceCategoryOf('constructor', undefined)).toEqual({ category: 'Other', subcategory: 'Other (Other)' });
  });

  it('maps units to FOCUS UnitFormat, and passes an unknown one on as it is', () => {
    expect(['minute', 'gigabyte_hour', 'vcpu_s', 'request', 'toString'].map(pricingUnitOf)).toEqual(['Minutes', 'GB-Hours', 'vCPU-Seconds', 'Requests', 'toString']);
  });
});

describe('FOCUS rows', () => {
  const facts = periodFacts(ORG, '2026-06', [invoice(), invoice({ id: 'other', billingPeriod: '2026-05-01T00:00:00Z' }), invoice({ id: 'purchase', type: 'purchase' })]);
  const consumption: Consumption = {
    projectId: 'p1',
    projectName: 'default',
    categoryName: 'Compute',
    productName: 'PRO2-XXS',
    resourceName: 'PRO2-XXS - FR-PAR-2',
    sku: '/compute/pro2_xxs/run_fr-par-2',
    unit: 'plan',
    billedQuantity: '3',
    consumerId: ORG,
    value: money('2.86'),
  };

  it('keeps only the periodic invoice of the period, and puts its id on the rows of its currency', () => {
    expect(facts.invoices.map((i) => i.id)).toEqual(['4dea1dad-0000-4000-8000-00000000000b']);
    expect(consumptionRow(consumption, facts, '2026-07-02T06:00:00.62Z')).toMatchObject({
      invoiceId: '4dea1dad-0000-4000-8000-00000000000b',
      billedCost: '2.86',
      pricingQuantity: '3.0',
      pricingUnit: 'Plans',
      chargeFrequency: 'Recurring',
      billingAccountName: 'acme',
      xUpdatedAt: '2026-07-02T06:00:00Z',
    });
    expect(consumptionRow({ ...consumption, value: money('1', 'USD') }, facts, undefined).invoiceId).toBeNull();
  });

  it('has no quantity without a unit, and no unit without a quantity', () => {
    const row = consumptionRow({ ...consumption, unit: undefined }, facts, undefined);
    expect([row.pricingQuantity, row.pricingUnit, row.consumedQuantity, row.consumedUnit]).toEqual([null, null, null, null]);
  });

  it('makes tax lines and discounts organization-level rows on the invoice', () => {
    expect(taxRow({ description: 'VAT 20%', currency: 'EUR', rate: '0.2', totalTaxValue: '20' }, facts)).toMatchObject({ chargeCategory: 'Tax', billedCost: '20.0', subAccountId: null, skuId: null, pricingQuantity: null, serviceName: 'Tax', serviceCategory: 'Other', pricingCategory: null });
    expect(creditRows(facts)).toEqual([expect.objectContaining({ chargeCategory: 'Credit', billedCost: '-5.5', listCost: '-5.5', invoiceId: '4dea1dad-0000-4000-8000-00000000000b' })]);
    expect(creditRows(periodFacts(ORG, '2026-06', [invoice({ totalDiscount: money('0') })]))).toEqual([]);
  });

  it('makes a purchase a Purchase row and a credit note a correcting Credit row, each with its tax, on its own invoice', () => {
    const purchase = invoice({ id: 'p', type: 'purchase', number: 7, totalUntaxed: money('100'), totalTax: money('20'), totalTaxed: money('120') });
    expect(invoiceRows(purchase, facts)).toEqual([
      expect.objectContaining({ chargeCategory: 'Purchase', chargeClass: null, chargeFrequency: 'One-Time', billedCost: '100.0', invoiceId: 'p', chargeDescription: 'Purchase invoice 7', pricingQuantity: null, pricingUnit: null, skuId: null, xSource: 'billing.invoices' }),
      expect.objectContaining({ chargeCategory: 'Tax', chargeClass: null, billedCost: '20.0', invoiceId: 'p', chargeDescription: 'Tax of purchase invoice 7', pricingQuantity: null }),
    ]);
    const note = invoice({ id: 'n', type: 'credit_note', totalUntaxed: money('-10'), totalTax: money('0'), totalTaxed: money('-10') });
    expect(invoiceRows(note, facts)).toEqual([expect.objectContaining({ chargeCategory: 'Credit', chargeClass: 'Correction', billedCost: '-10.0', invoiceId: 'n', chargeDescription: 'Credit note' })]);
    expect(() => invoiceRows(invoice({ type: 'purchase', totalUntaxed: undefined }), facts)).toThrow(/total_untaxed/);
    expect(invoiceRows(invoice(), facts)).toEqual([]);
    // The period's facts keep the other invoices of the period apart from the periodic one.
    expect(facts.others.map((i) => i.id)).toEqual(['purchase']);
  });

  it('makes a charge a Usage row without quantity, its service from the month’s consumption or its SKU', () => {
    const charge: Charge = {
      organizationId: ORG.toUpperCase(),
      sku: '/compute/pro2_xxs/run_fr-par-2',
      resourceId: 'fr-par-2/abc',
      price: money('0.000000001'),
      startDate: '2026-06-30T23:00:00.5Z',
      endDate: '2026-06-30T23:59:59.999999Z',
    };
    const known = new Map([['/compute/pro2_xxs/run_fr-par-2', { productName: 'PRO2-XXS', categoryName: 'Compute', unit: 'minute' }]]);
    expect(chargeRow(charge, ORG, known, false)).toMatchObject({
      billingAccountId: ORG,
      billedCost: '0.000000001',
      serviceName: 'PRO2-XXS',
      serviceCategory: 'Compute',
      skuMeter: 'minute',
      chargeDescription: 'PRO2-XXS – fr-par-2/abc',
      chargePeriodStart: '2026-06-30T23:00:00Z',
      chargePeriodEnd: '2026-07-01T00:00:00Z',
      billingPeriodStart: '2026-06-01T00:00:00Z',
      billingPeriodEnd: '2026-07-01T00:00:00Z',
      pricingQuantity: null,
      invoiceId: null,
      xClamped: false,
    });
    expect(chargeRow(charge, ORG, new Map(), false)).toMatchObject({ serviceName: 'compute', serviceCategory: 'Other', skuMeter: null });
  });
});

describe('FOCUS CSV', () => {
  it('has one header per column, FOCUS names, the x_ ones last', () => {
    const header = csvHeader();
    expect(header.endsWith('\r\n')).toBe(true);
    const names = header.trimEnd().split(',');
    expect(names).toHaveLength(FOCUS_FIELDS.length);
    expect(names.filter((n) => n.startsWith('x_'))).toEqual(names.slice(names.length - 6));
    expect(new Set(Object.values(FOCUS_COLUMNS).map((c) => c.name)).size).toBe(FOCUS_FIELDS.length);
  });

  it('quotes what RFC 4180 needs quoted, writes null as nothing and an empty text as ""', () => {
    const row = Object.fromEntries(FOCUS_FIELDS.map((f) => [f, null])) as unknown as FocusRow;
    const line = csvLine({ ...row, chargeDescription: 'a "b", c\nd', serviceName: '', resourceName: ' padded', xClamped: true, billedCost: '=1+2' });
    const cells = new Map(FOCUS_FIELDS.map((f, i) => [f, i]));
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toContain('"a ""b"", c\nd"');
    expect(line).toContain(',"",');
    expect(line).toContain('," padded",');
    expect(line).toContain(',=1+2,');
    expect(line.trimEnd().endsWith(',true')).toBe(true);
    expect(cells.get('xClamped')).toBe(FOCUS_FIELDS.length - 1);
  });
});

describe('FOCUS export configuration', () => {
  const config = (env: Record<string, string>) => loadConfig(env, () => undefined);

  it('reads FOCUS_EXPORT_MAX_UPSTREAM_CALLS and FOCUS_EXPORT_TIMEOUT_MS once, and names them when bad', () => {
    expect(config({}).focusExport).toEqual({ maxUpstreamCalls: 1000, timeoutMs: 300_000 });
    expect(config({ FOCUS_EXPORT_MAX_UPSTREAM_CALLS: '20', FOCUS_EXPORT_TIMEOUT_MS: '5000' }).focusExport).toEqual({ maxUpstreamCalls: 20, timeoutMs: 5000 });
    expect(() => config({ FOCUS_EXPORT_MAX_UPSTREAM_CALLS: '0', FOCUS_EXPORT_TIMEOUT_MS: 'soon' })).toThrow(/FOCUS_EXPORT_MAX_UPSTREAM_CALLS[\s\S]*FOCUS_EXPORT_TIMEOUT_MS/);
  });
});
