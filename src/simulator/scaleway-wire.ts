import { Decimal } from 'decimal.js';
import { unitsNanosFromDecimal } from '../lib/money.js';
import { UUID } from '../lib/uuid.js';
import type { SimData } from './data.js';
import { json, type SimRequest, type SimResponse } from './http.js';

/** Scaleway's wire conventions shared by the simulator's Billing and FinOps routes. */

export { UUID };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Thrown by a route to answer with an error response. */
export class Refusal {
  constructor(readonly response: SimResponse) {}
}

export function invalid(argument: string, reason: string, help: string): never {
  throw new Refusal(
    json(400, {
      type: 'invalid_arguments',
      message: 'invalid argument(s)',
      details: [{ argument_name: argument, reason, help_message: help }],
    }),
  );
}

export function only(req: SimRequest, allowed: string[]): void {
  for (const key of req.query.keys()) if (!allowed.includes(key)) invalid(key, 'unknown', 'unknown parameter');
}

export function oneOf(req: SimRequest, name: string, values: string[], fallback: string): string {
  const value = req.query.get(name) ?? fallback;
  if (!values.includes(value)) invalid(name, 'constraint', `must be one of ${values.join(', ')}`);
  return value;
}

export function instant(req: SimRequest, name: string): number | undefined {
  const value = req.query.get(name);
  if (value === null) return undefined;
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) invalid(name, 'format', 'must be an RFC 3339 timestamp');
  return Date.parse(value);
}

/** Decimal → `google.type.Money` wire object (numbers, as observed live). */
export const money = (amount: Decimal, currency: string) => {
  const { units, nanos } = unitsNanosFromDecimal(amount);
  return { currency_code: currency, units: Number(units), nanos: Number(nanos) };
};

/** Organizations a key may read; null: every one (the simulator's main key). */
export type KeyScope = ReadonlySet<string> | null;

/** An organization the key may read; any other is `permissions_denied`, as for a foreign organization upstream. */
export function organization(req: SimRequest, data: SimData, required: boolean, scope: KeyScope = null) {
  const id = req.query.get('organization_id');
  if (id === null) {
    if (required) invalid('organization_id', 'required', 'required');
    return undefined;
  }
  if (!UUID.test(id)) invalid('organization_id', 'format', 'must be a UUID');
  const org = data.organizations.find((o) => o.id === id);
  if (!org || (scope !== null && !scope.has(org.id))) {
    throw new Refusal(json(403, { type: 'permissions_denied', message: 'insufficient permissions', details: [{ resource: 'billing', action: 'read' }] }));
  }
  return org;
}
