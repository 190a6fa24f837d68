import SchemaBuilder, { brandWithType } from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Decimal } from 'decimal.js';
import type { Context } from './context.js';
import { badInput } from './errors.js';

/**
 * A node's object, branded with its type now: Pothos brands a loaded node only once its own lookup
 * ends, and `node` and `nodes` asking for one id in one query share the object, so the second could
 * meet it unbranded ("Abstract type Node must resolve…").
 */
export function branded<T extends object>(value: T, type: string): T {
  brandWithType(value, type as Parameters<typeof brandWithType>[1]);
  return value;
}

/** Most ids one `nodes` call takes. */
const MAX_NODES = 100;

/** The schema builder and its plugins; types are defined in src/schema/. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: string | Date };
    Date: { Input: string; Output: string };
    UUID: { Input: string; Output: string };
    Currency: { Input: string; Output: string };
    Decimal: { Input: Decimal; Output: Decimal | string };
    SafeInt: { Input: number; Output: number };
    BillingPeriod: { Input: string; Output: string };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  // Non-null unless a field says otherwise: the schema contract is mostly non-null.
  defaultFieldNullability: false,
  relay: {
    cursorType: 'String',
    nodeQueryOptions: {
      description: 'Fetches any object that implements `Node` by its global id.',
      args: { id: { description: 'A global id, as returned by an `id` field.' } },
    },
    nodesQueryOptions: {
      description: `Fetches several objects by global id (at most ${MAX_NODES}); lookups of one type are batched.`,
      args: { ids: { description: 'Global ids, as returned by `id` fields; unknown ones resolve to null.' } },
      resolve: (_root, args, _ctx, _info, resolveNodes) => {
        // Each id can cost an upstream call: a list of thousands is refused before any.
        if (args.ids.length > MAX_NODES) throw badInput(`\`nodes\` takes at most ${MAX_NODES} ids`, 'ids');
        return resolveNodes(args.ids);
      },
    },
    nodeTypeOptions: { description: 'An object with a global id, refetchable through `node(id:)`.' },
    pageInfoTypeOptions: { description: 'Where a page of a connection sits in the whole list (Relay).' },
    idFieldOptions: { description: 'Opaque global id; pass it to `node(id:)`.' },
    hasNextPageFieldOptions: { description: 'True when rows exist after this page.' },
    hasPreviousPageFieldOptions: { description: 'True when rows exist before this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge; null when the page is empty.' },
    cursorFieldOptions: { description: 'Opaque position of this edge; valid only with the same connection arguments.' },
    pageInfoFieldOptions: { description: 'Position of this page in the whole list.' },
    edgesFieldOptions: { nullable: false, description: 'The rows of this page, in the upstream order.' },
    nodeFieldOptions: { nullable: false, description: 'The row.' },
    firstArgOptions: { description: 'Rows after `after`: 0 to 500 (default 100 when neither `first` nor `last` is given).' },
    afterArgOptions: { description: 'A cursor of this same connection (same arguments); rows after it.' },
    lastArgOptions: { description: 'Rows before `before`, counted from the end: 0 to 500.' },
    beforeArgOptions: { description: 'A cursor of this same connection (same arguments); rows before it.' },
  },
});
