import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  valueFromASTUntyped,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE } from './schema/pagination.js';

/** Every limit on what one request may ask, in one place (see README "Security and limits"). */
export interface QueryLimits {
  /** Deepest field nesting. */
  maxDepth: number;
  /** Aliases in one operation (each alias can multiply upstream work). */
  maxAliases: number;
  /** Lexical tokens in one document (parsing cost). */
  maxTokens: number;
  /** Sum of `first`/`last` over every connection of one operation (a connection without either counts as its default page). */
  maxTotalFirst: number;
  /** Operations in one batched HTTP request (a JSON array); 1 disables batching. */
  maxBatch: number;
  /** Request body size, bytes. */
  maxBodyBytes: number;
  introspection: boolean;
}

/** The defaults (README "Security and limits"); each has an environment variable. */
export const DEFAULT_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5_000,
  maxTotalFirst: 3_000,
  maxBatch: 10,
  maxBodyBytes: 1_048_576,
  introspection: true,
};

/** Rejections reported through the validation context, with a stable code instead of armor's bare error. */
const report =
  (code: string) =>
  (ctx: ValidationContext | null, error: GraphQLError): void => {
    ctx?.reportError(new GraphQLError(error.message, { extensions: { code } }));
  };

/** Connection fields of this graph: a missing `first`/`last` there means a default page. */
const CONNECTIONS = new Set(['invoices', 'consumptions', 'discounts', 'charges', 'usageStatistics']);

/**
 * The total `first`/`last` an operation asks for, with variables resolved: the rows (and so the
 * upstream pages) it may cost. Fragments are followed once per spread.
 */
export function totalFirst(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    let sum = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        let own = 0;
        for (const arg of selection.arguments ?? []) {
          if (arg.name.value === 'first' || arg.name.value === 'last') {
            const value = valueFromASTUntyped(arg.value, variables);
            if (typeof value === 'number') own = Math.max(own, value);
          }
        }
        const asked = selection.arguments?.some((a) => (a.name.value === 'first' || a.name.value === 'last') && valueFromASTUntyped(a.value, variables) != null);
        if (!asked && CONNECTIONS.has(selection.name.value)) own = DEFAULT_PAGE;
        sum += own + walk(selection.selectionSet, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        sum += walk(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        sum += walk(fragments.get(selection.name.value)?.selectionSet, new Set([...seen, selection.name.value]));
      }
    }
    return sum;
  };
  return walk(operation.selectionSet, new Set());
}

/** This graph reads only: a mutation or subscription is refused clearly, before any executor sees it. */
const useQueriesOnly: Plugin = {
  onExecute({ args, setResultAndStopExecution }) {
    const operation = getOperationAST(args.document, args.operationName);
    if (operation && operation.operation !== 'query') {
      setResultAndStopExecution({
        errors: [new GraphQLError(`This graph has no ${operation.operation}s: it only reads`, { extensions: { code: 'BAD_USER_INPUT' } })],
      });
    }
  },
};

/** Refuses an operation whose connections ask for more rows in total than the limit, before anything runs. */
function useTotalFirstLimit(max: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const total = totalFirst(args.document, operation, (args.variableValues ?? {}) as Record<string, unknown>);
      if (total > max) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`This operation asks for ${total} rows over its connections; the limit is ${max}. Ask for fewer, or page.`, {
              extensions: { code: 'QUERY_TOO_COSTLY', cost: total, limit: max },
            }),
          ],
        });
      }
    },
  };
}

/** Requests without a declared size, or larger than the limit, are refused before their body is read. */
function useBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      const refuse = (status: number, code: string, message: string) =>
        endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json' } }));
      if (length === null) {
        // Only a declared size can be checked before reading: a chunked body might be endless.
        if (request.body !== null) refuse(411, 'LENGTH_REQUIRED', 'Send a Content-Length with the request body');
        return;
      }
      if (!/^\d+$/.test(length) || Number(length) > maxBytes) refuse(413, 'PAYLOAD_TOO_LARGE', `The request body may be ${maxBytes} bytes at most`);
    },
  };
}

/** Adds the code graphql-js leaves out: a variable that does not fit its type is the caller's error. */
export const useVariableErrorCode: Plugin = {
  onExecute() {
    return {
      onExecuteDone({ result, setResult }) {
        if (!('errors' in result) || !result.errors?.length) return;
        setResult({
          ...result,
          errors: result.errors.map((e) =>
            e.extensions?.code || !e.message.startsWith('Variable "$')
              ? e
              : new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'BAD_USER_INPUT' } }),
          ),
        });
      },
    };
  },
};

export function limitPlugins(limits: QueryLimits): Plugin[] {
  return [
    useBodyLimit(limits.maxBodyBytes),
    // Parse errors get yoga's GRAPHQL_PARSE_FAILED; the message names the limit.
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, propagateOnRejection: false, onReject: [report('QUERY_TOO_DEEP')] }),
    maxAliasesPlugin({ n: limits.maxAliases, propagateOnRejection: false, onReject: [report('TOO_MANY_ALIASES')] }),
    useQueriesOnly,
    useTotalFirstLimit(limits.maxTotalFirst),
    useVariableErrorCode,
    ...(limits.introspection ? [] : [useDisableIntrospection()]),
  ] as Plugin[];
}
