import type { ServiceCategory } from './columns.js';

/**
 * Scaleway's words in FOCUS's: invoice categories → service (sub)categories, units → UnitFormat,
 * SKU suffixes → regions and zones. Kept as data (docs/focus.md has the same tables); each entry
 * is an inference from the names, to verify per product.
 */

interface CategoryRule {
  category: ServiceCategory;
  subcategory: string;
  /** Refinements by product name, first match wins. */
  byProduct?: [RegExp, ServiceCategory, string][];
}

const OTHER: CategoryRule = { category: 'Other', subcategory: 'Other (Other)' };

const CATEGORIES: Record<string, CategoryRule> = {
  Compute: { category: 'Compute', subcategory: 'Virtual Machines' },
  // FOCUS puts bare metal servers under virtual machines.
  BareMetal: { category: 'Compute', subcategory: 'Virtual Machines' },
  Containers: { category: 'Compute', subcategory: 'Containers' },
  Serverless: { category: 'Compute', subcategory: 'Serverless Compute' },
  'Managed Databases': {
    category: 'Databases',
    subcategory: 'Relational Databases',
    byProduct: [
      [/redis/i, 'Databases', 'Caching'],
      [/mongo/i, 'Databases', 'NoSQL Databases'],
    ],
  },
  'Object Storage': { category: 'Storage', subcategory: 'Object Storage' },
  Storage: { category: 'Storage', subcategory: 'Block Storage' },
  Network: {
    category: 'Networking',
    subcategory: 'Network Infrastructure',
    byProduct: [
      [/load ?balancer/i, 'Networking', 'Application Networking'],
      [/edge services/i, 'Networking', 'Content Delivery'],
    ],
  },
  Observability: { category: 'Management and Governance', subcategory: 'Observability' },
  'Security and Identity': {
    category: 'Security',
    subcategory: 'Secret Management',
    byProduct: [[/\biam\b|identity/i, 'Identity', 'Identity and Access Management']],
  },
  AI: { category: 'AI and Machine Learning', subcategory: 'Machine Learning', byProduct: [[/generative/i, 'AI and Machine Learning', 'Generative AI']] },
  'Managed Services': { ...OTHER, byProduct: [[/messag|queue|topic|nats/i, 'Integration', 'Messaging']] },
  Subscription: { category: 'Management and Governance', subcategory: 'Support' },
  Labs: OTHER,
};

/** The FOCUS category and subcategory of a Scaleway invoice category, refined by product; `Other` for anything unknown. */
export function serviceCategoryOf(categoryName: string | undefined, productName: string | undefined): { category: ServiceCategory; subcategory: string } {
  const rule = (categoryName !== undefined && Object.hasOwn(CATEGORIES, categoryName) ? CATEGORIES[categoryName] : undefined) ?? OTHER;
  const refined = productName === undefined ? undefined : rule.byProduct?.find(([pattern]) => pattern.test(productName));
  return refined ? { category: refined[1], subcategory: refined[2] } : { category: rule.category, subcategory: rule.subcategory };
}

/** Scaleway consumption units → FOCUS UnitFormat. */
const UNITS: Record<string, string> = {
  minute: 'Minutes',
  hour: 'Hours',
  month: 'Months',
  gigabyte: 'GB',
  gigabyte_minute: 'GB-Minutes',
  gigabyte_hour: 'GB-Hours',
  gigabyte_month: 'GB-Months',
  ip_minute: 'IP-Minutes',
  node_minute: 'Node-Minutes',
  version_minute: 'Version-Minutes',
  device_hour: 'Device-Hours',
  vcpu_s: 'vCPU-Seconds',
  request: 'Requests',
  sample: 'Samples',
  plan: 'Plans',
};

/** A unit in FOCUS form; one this table does not know is passed on as the upstream wrote it (never invented). */
export function pricingUnitOf(unit: string): string {
  return Object.hasOwn(UNITS, unit) ? UNITS[unit]! : unit;
}

/** Units billed per period rather than per use. */
export function isRecurringUnit(unit: string | undefined): boolean {
  return unit === 'plan' || unit === 'month';
}

/** Regions named in SKUs: their ids, cities and the older three-letter codes (`par1` is `fr-par-1`). */
const REGIONS: Record<string, { name: string; legacy: string }> = {
  'fr-par': { name: 'Paris', legacy: 'par' },
  'nl-ams': { name: 'Amsterdam', legacy: 'ams' },
  'pl-waw': { name: 'Warsaw', legacy: 'waw' },
  'it-mil': { name: 'Milan', legacy: 'mil' },
};
const LEGACY = new Map(Object.entries(REGIONS).map(([id, r]) => [r.legacy, id]));

export interface Locality {
  regionId: string | null;
  regionName: string | null;
  availabilityZone: string | null;
}

const NOWHERE: Locality = { regionId: null, regionName: null, availabilityZone: null };

/**
 * The region and zone a SKU ends with: its last path segment's last `_` word, when that is a
 * known region (`fr-par`, `par`) or one of its zones (`fr-par-2`, `par2`). Anything else (`ipv4`,
 * `pg`, a suffix after the code) names no place: null, never a guess.
 */
export function localityOf(sku: string | undefined): Locality {
  const word = sku?.split('/').at(-1)?.split('_').at(-1) ?? '';
  const m = /^(?:([a-z]{2}-[a-z]{3})(?:-(\d))?|([a-z]{3})(\d)?)$/.exec(word);
  if (!m) return NOWHERE;
  const regionId = m[1] ?? LEGACY.get(m[3]!);
  if (regionId === undefined || !Object.hasOwn(REGIONS, regionId)) return NOWHERE;
  const zone = m[2] ?? m[4];
  return { regionId, regionName: REGIONS[regionId]!.name, availabilityZone: zone === undefined ? null : `${regionId}-${zone}` };
}

/** The first path segment of a SKU (`/compute/pro2_xxs/run_par1` → `compute`). */
export function skuService(sku: string | undefined): string | undefined {
  return sku?.split('/').find((part) => part !== '') || undefined;
}
