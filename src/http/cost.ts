import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { count, DEFAULT_PAGE } from '../pagination/connection.js';
import { MAX_PERIOD_INVOICES } from '../reconcile/explain.js';

/** What a report costs before what it selects: as many rows as a long connection (its pages are counted as calls too). */
export const REPORT_COST = 500;

/** What one invoice's reconciliation costs before what it selects: its share of a batched read of charges. */
export const RECONCILIATION_COST = 10;


/**
 * The rows an operation may cost, with its variables (and their defaults) applied:
 * - a connection costs its `first`/`last` (100 when neither is given), and what its rows select
 *   costs once per row;
 * - a list field taking a list of ids (`organizations(ids:)`, `nodes(ids:)`) costs what it selects
 *   once per id;
 * - a report (`chargeReport`, `consumptionReport`, `usageReport`) and a period's reconciliation
 *   cost REPORT_COST plus what they select (their upstream pages count against MAX_UPSTREAM_CALLS
 *   as they are read), and so does `focusRows(grain: CHARGE)` on top of its rows (it reads every
 *   consumption page of the month, whatever its `first`); an invoice's reconciliation costs RECONCILIATION_COST plus what it selects;
 * - every other field costs what it selects.
 * A `first` or `last` out of range, at any depth, throws its BAD_USER_INPUT here.
 * Each fragment is costed once and reused at every spread, so the time is linear in the document
 * (a fragment spread 60 times at four levels is still costed once per fragment).
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, inputs: Record<string, unknown> | null | undefined): number {
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {}, { maxErrors: 1 });
  // Variables that do not fit their types: execution refuses the operation before any field runs.
  if (variables.errors) return 0;
  const values = variables.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const costed = new Map<string, number>();

  const fragmentCost = (name: string): number => {
    const known = costed.get(name);
    if (known !== undefined) return known;
    // Marked before it is walked: a cycle (refused by validation anyway) costs 0 instead of looping.
    costed.set(name, 0);
    const fragment = fragments.get(name);
    const cost = fragment ? setCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value)) : 0;
    costed.set(name, cost);
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined): number => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(field, node, values);
    } catch {
      // Arguments that do not fit: the field is refused when it runs.
      return 0;
    }
    const type = getNamedType(field.type);
    const selected = node.selectionSet ? setCost(node.selectionSet, type) : 0;
    // A report reads every page of its window: a fixed share of the limit, whatever it selects.
    if (type.name === 'CostReport' || type.name === 'UsageReport' || type.name === 'PeriodReconciliation') return REPORT_COST + selected;
    if (type.name === 'InvoiceReconciliation') return RECONCILIATION_COST + selected;
    if (type.name.endsWith('Connection')) {
      // Out of range at any depth: refused before the fields above it read anything.
      count(args.first as number | undefined, 'first');
      count(args.last as number | undefined, 'last');
      const rows = Math.max(0, Number(args.first ?? args.last ?? DEFAULT_PAGE) || 0);
      // FOCUS rows at CHARGE grain read every consumption page of the month before the first charge: a report's share.
      const fixed = type.name === 'FocusRowConnection' && args.grain === 'CHARGE' ? REPORT_COST : 0;
      return fixed + rows + rows * selected;
    }
    // A period's invoices: an unpaged list, bounded when read and costed for its bound.
    if (parent.name === 'PeriodReconciliation' && node.name.value === 'invoices') return MAX_PERIOD_INVOICES * selected;
    if (isListType(getNullableType(field.type))) {
      const ids = Object.values(args).filter(Array.isArray);
      if (ids.length > 0) return Math.max(...ids.map((list) => list.length)) * selected;
    }
    return selected;
  };

  const setCost = (set: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
    let sum = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) sum += fieldCost(selection, parent);
      else if (selection.kind === Kind.INLINE_FRAGMENT) sum += setCost(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent);
      else sum += fragmentCost(selection.name.value);
    }
    return sum;
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : undefined;
  return setCost(operation.selectionSet, root ?? undefined);
}
