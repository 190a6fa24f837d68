import { UpstreamNotFoundError } from '../upstreams/errors.js';
import { type Caller, mayReadOrganization, type Served } from './caller.js';

/** What deciding access to an invoice known only by its id needs of a request. */
export interface InvoiceLookup {
  caller: Caller;
  served: Served;
  billing: { readonly version: string; getInvoice(invoiceId: string): Promise<{ organizationId?: string }> };
  /** Every invoice of an organization (Billing v2alpha1 has no get-invoice endpoint). */
  invoicesOf(organizationId: string): Promise<{ id: string }[]>;
}

/**
 * Whether the caller may read an invoice known only by its id (the PDF route): its organization
 * must be served and readable. Free when nothing restricts; otherwise one get-invoice call
 * (v2beta1), or a walk of the readable organizations' invoice lists (v2alpha1, which has none).
 * "Not yours" is "not found": nobody learns which invoice ids exist elsewhere.
 */
export async function invoiceAccess(lookup: InvoiceLookup, invoiceId: string): Promise<'ok' | 'not-found'> {
  const { caller, served } = lookup;
  if (served.organizationIds === null && caller.organizations === null) return 'ok';
  const readable = (id: string) => mayReadOrganization(caller, served, id);
  if (lookup.billing.version === 'v2beta1') {
    try {
      const invoice = await lookup.billing.getInvoice(invoiceId);
      return invoice.organizationId && readable(invoice.organizationId) ? 'ok' : 'not-found';
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return 'not-found';
      throw error;
    }
  }
  const candidates = [...(caller.organizations ?? served.organizationIds ?? [])].filter(readable);
  const lists = await Promise.all(candidates.map((organizationId) => lookup.invoicesOf(organizationId)));
  return lists.some((list) => list.some((i) => i.id === invoiceId)) ? 'ok' : 'not-found';
}
