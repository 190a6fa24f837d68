import { mayReadOrganization, servedIds } from '../access/caller.js';
import { branded, builder } from '../builder.js';
import type { Context } from '../context.js';
import { badInput, notFound } from '../errors.js';

export interface OrganizationShape {
  id: string;
}

/**
 * The organization an argument names, or the configured default; refused without any upstream
 * call when this gateway does not serve it or the caller may not read it, in the same words.
 */
function organizationFor(ctx: Context, id: string | null | undefined): OrganizationShape {
  const organizationId = (id ?? ctx.settings.defaultOrganizationId)?.toLowerCase();
  if (!organizationId) {
    throw badInput('No organization id given and no default organization configured (SCW_DEFAULT_ORGANIZATION_ID)', 'id');
  }
  // The default organization's id is not the caller's to learn when it may not read it.
  if (!canRead(ctx, organizationId)) throw notFound(id == null ? 'Organization not found (the default organization)' : `Organization ${organizationId} not found`);
  return { id: organizationId };
}

/** Served and readable by this caller; decided without any call. */
export function canRead(ctx: Context, organizationId: string): boolean {
  return mayReadOrganization(ctx.caller, ctx.settings, organizationId);
}

export const OrganizationRef = builder.loadableNode('Organization', {
  description: 'A Scaleway organization: its invoices, consumption, discounts and FinOps charges.',
  id: { resolve: (o: OrganizationShape) => o.id },
  // An organization is known from configuration alone: no upstream call. Not served or not the
  // caller's: null with NOT_FOUND for that id alone, as an invoice or discount id answers.
  load: async (ids: string[], ctx: Context): Promise<(OrganizationShape | Error)[]> =>
    ids.map((id) => (canRead(ctx, id) ? { id: id.toLowerCase() } : notFound(`Organization ${id} not found`))),
  fields: (t) => ({
    organizationId: t.field({ type: 'UUID', description: 'The Scaleway organization id.', resolve: (o) => o.id }),
  }),
});

builder.queryFields((t) => ({
  organization: t.field({
    type: OrganizationRef,
    nullable: true,
    description: 'id defaults to the configured default organization (SCW_DEFAULT_ORGANIZATION_ID).',
    args: { id: t.arg({ type: 'UUID', description: 'Organization id; omit for the default organization.' }) },
    resolve: (_root, args, ctx) => organizationFor(ctx, args.id),
  }),
  servedOrganizations: t.field({
    type: [OrganizationRef],
    description:
      'The organizations this caller may read on this gateway, as configured (no upstream call): the default first, then by id. A gateway that serves any organization its key can read (no list configured) lists the default only, or the caller’s own list when its token has one. A caller with its own credentials (passthrough) is offered the default only.',
    resolve: (_root, _args, ctx) => servedIds(ctx.settings.defaultOrganizationId, ctx.settings.organizationIds, ctx.caller.organizations, ctx.caller.scalewayKey !== undefined).filter((id) => canRead(ctx, id)).map((id) => ({ id })),
  }),
  organizations: t.field({
    type: [OrganizationRef],
    nullable: { list: false, items: true },
    description: 'Several organizations in one request; their upstream calls run concurrently and are batched.',
    args: { ids: t.arg({ type: ['UUID'], required: true, description: 'Organization ids (at most 50).' }) },
    resolve: (_root, args, ctx) => {
      if (args.ids.length > 50) throw badInput('At most 50 organizations per request', 'ids');
      // An unserved id is a null entry with its own error; the others still answer.
      return args.ids.map((id) => {
        try {
          return organizationFor(ctx, id);
        } catch (error) {
          return Promise.reject(error as Error);
        }
      });
    },
  }),
}));
