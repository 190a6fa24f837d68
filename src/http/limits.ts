import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { type DocumentNode, getOperationAST, GraphQLError, parse, type ValidationContext } from 'graphql';
import { type GraphQLParams } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Plugin } from 'graphql-yoga';
import type { QueryLimits } from '../config/limits.js';
import { operationCost } from './cost.js';
import { getSchema } from '../schema/index.js';

/** Rejections reported through the validation context, with a stable code instead of armor's bare error. */
const report =
  (code: string) =>
  (ctx: ValidationContext | null, error: GraphQLError): void => {
    ctx?.reportError(new GraphQLError(error.message, { extensions: { code } }));
  };

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

/** Where a request's operation texts come from: the body, or the persisted documents it names. */
export type DocumentText = (params: GraphQLParams) => string | undefined;

/**
 * Refuses a request whose operations ask for more rows in total than the limit, before anything
 * runs: the cost of every operation of a batch is summed (cost.ts). Documents are parsed here with
 * the token limit, and kept (a few hundred) so that a dashboard's repeated operations are parsed once.
 */
function useCostLimit(max: number, maxTokens: number, documentText: DocumentText): Plugin {
  const parsed = new LRUCache<string, DocumentNode | 'unparsable'>({ max: 500 });
  const refused = new WeakMap<Request, GraphQLError>();
  const cost = (params: GraphQLParams): number => {
    const text = documentText(params);
    if (!text) return 0;
    let document = parsed.get(text);
    if (!document) {
      try {
        document = parse(text, { maxTokens, noLocation: true });
      } catch {
        // yoga reports the parse error; an unparsable document runs nothing.
        document = 'unparsable';
      }
      parsed.set(text, document);
    }
    if (document === 'unparsable') return 0;
    const operation = getOperationAST(document, params.operationName);
    return operation ? operationCost(getSchema(), document, operation, params.variables) : 0;
  };
  return {
    onRequestParse({ request, url }) {
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          // A batch entry that is no object at all (null, a number) becomes an empty request:
          // refused as one, with a code, instead of failing every plugin that reads it.
          const entries = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
          const all = entries.map((params) => (params && typeof params === 'object' && !Array.isArray(params) ? params : ({} as GraphQLParams)));
          // GraphQL over HTTP's persisted documents by GET: `?documentId=…`, which yoga's GET parser leaves out.
          const documentId = request.method === 'GET' ? url.searchParams.get('documentId') : null;
          if (documentId && all.length === 1) (all[0] as GraphQLParams & { documentId?: string }).documentId = documentId;
          setRequestParserResult(Array.isArray(requestParserResult) ? all : all[0]!);
          let total: number;
          try {
            total = all.reduce((sum, params) => sum + cost(params), 0);
          } catch (error) {
            // A nested `first` out of range: refused now, not after the fields above it made their calls.
            if (!(error instanceof GraphQLError)) throw error;
            refused.set(request, error);
            return;
          }
          if (total > max) {
            const scope = all.length > 1 ? `These ${all.length} operations ask` : 'This operation asks';
            refused.set(
              request,
              new GraphQLError(`${scope} for ${total} rows over their connections; the limit is ${max} a request. Ask for fewer, or page.`, {
                extensions: { code: 'QUERY_TOO_COSTLY', cost: total, limit: max },
              }),
            );
          }
        },
      };
    },
    onParams({ request, setResult }) {
      const error = refused.get(request);
      if (error) setResult({ errors: [error] });
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
const useVariableErrorCode: Plugin = {
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

export function limitPlugins(limits: QueryLimits, documentText: DocumentText): Plugin[] {
  return [
    useBodyLimit(limits.maxBodyBytes),
    // Parse errors get yoga's GRAPHQL_PARSE_FAILED; the message names the limit.
    maxTokensPlugin({ n: limits.maxTokens }),
    maxDepthPlugin({ n: limits.maxDepth, propagateOnRejection: false, onReject: [report('QUERY_TOO_DEEP')] }),
    maxAliasesPlugin({ n: limits.maxAliases, propagateOnRejection: false, onReject: [report('TOO_MANY_ALIASES')] }),
    useQueriesOnly,
    useCostLimit(limits.maxTotalFirst, limits.maxTokens, documentText),
    useVariableErrorCode,
    ...(limits.introspection ? [] : [useDisableIntrospection()]),
  ] as Plugin[];
}
