import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError, type Source } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

/**
 * Executes hot operations with graphql-jit: an operation is interpreted (yoga's executor) at first,
 * then runs as a function compiled for it. A connection page of 500 rows is ~4,000 fields:
 * compiled, they cost a third of what the interpreter costs, and the result is built from plain
 * objects, which `JSON.stringify` writes twice as fast as graphql-js's prototype-less ones.
 * Compiling only after `runsBeforeCompile` interpreted runs keeps a flood of one-off documents from
 * costing a compile each.
 */
export function useJit(runsBeforeCompile = 1): Plugin {
  // Keyed by document: yoga's parse cache hands out the same DocumentNode for the same text, and
  // a document it evicts takes its compiled functions with it. Per operation name: how many runs
  // were interpreted, then its compiled query, or 'interpret' when graphql-jit cannot compile it.
  const plans = new WeakMap<DocumentNode, Map<string, number | 'interpret' | CompiledQuery>>();
  const compiled = (args: ExecutionArgs): CompiledQuery | undefined => {
    const name = args.operationName ?? '';
    let byName = plans.get(args.document);
    if (!byName) plans.set(args.document, (byName = new Map()));
    let plan = byName.get(name) ?? 0;
    if (typeof plan === 'number' && plan < runsBeforeCompile) {
      byName.set(name, plan + 1);
      return undefined;
    }
    if (typeof plan === 'number') {
      const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
      // What it cannot compile stays interpreted, where any error is reported exactly.
      plan = isCompiledQuery(result) ? result : 'interpret';
      byName.set(name, plan);
    }
    return plan === 'interpret' ? undefined : plan;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const query = compiled(args);
      // Otherwise yoga's own executor runs, as without this plugin.
      if (!query) return;
      setExecuteFn((a) => {
        const result = query.query(a.rootValue, a.contextValue, a.variableValues);
        const source = a.document.loc?.source;
        return result instanceof Promise ? result.then((r) => asInterpreted(r, source)) : asInterpreted(result, source);
      });
    },
  };
}

/**
 * A compiled run's result as the interpreter would give it: errors first, and each error located
 * by source and positions, since graphql-jit's carry bare `locations`, which yoga drops when it
 * re-creates errors for the response.
 */
function asInterpreted(result: ExecutionResult, source: Source | undefined): ExecutionResult {
  if (!result.errors?.length) return result;
  let lineStarts: number[] | undefined;
  const errors = result.errors.map((error) => {
    if (error.nodes || !error.locations || !source) return error;
    // Line breaks as graphql-js counts them.
    const starts = (lineStarts ??= [0, ...Array.from(source.body.matchAll(/\r\n|[\n\r]/g), (m) => m.index + m[0].length)]);
    return new GraphQLError(error.message, {
      source,
      positions: error.locations.map((l) => (starts[l.line - 1] ?? 0) + l.column - 1),
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    });
  });
  return { errors, data: result.data, ...(result.extensions ? { extensions: result.extensions } : {}) };
}
