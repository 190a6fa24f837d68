import { createCounter, createHistogram, usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { type DocumentNode, GraphQLError, Kind, parse } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { maskError } from '../errors.js';
import type { Metrics } from '../observe/metrics.js';
import type { Manifest } from './persisted.js';

/**
 * The routes an operator uses: `GET /ready` (public: 200 while the gateway takes requests, 503 from
 * SIGTERM on, so that a load balancer stops sending before the drain) and `GET /metrics`
 * (Prometheus text; behind the graph's own authentication here, or public on `METRICS_PORT`).
 */
export function useOps({ metrics, ready, metricsHere }: { metrics?: Metrics; ready?: () => boolean; metricsHere: boolean }): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/ready') {
        const up = ready?.() ?? true;
        endResponse(new fetchAPI.Response(JSON.stringify({ status: up ? 'ready' : 'draining' }), { status: up ? 200 : 503, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } }));
        return;
      }
      if (url.pathname === '/metrics' && metrics && metricsHere) {
        return metrics.registry.metrics().then((text) => endResponse(new fetchAPI.Response(text, { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } })));
      }
    },
  };
}

/** Names of the operations of trusted documents: the only operation names a label may hold (any other is caller-chosen text). */
export function trustedOperationNames(manifest: Manifest): Set<string> {
  const names = new Set<string>();
  for (const text of manifest.values()) {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch {
      continue;
    }
    for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
  }
  return names;
}

/**
 * GraphQL request duration and errors, by operation and `extensions.code`, in the gateway's
 * registry (yoga's Prometheus plugin). An operation name is a label only when a trusted document
 * declares it: any other is `other` (or `anonymous`), so that callers cannot grow the label set.
 */
export function useGraphqlMetrics(metrics: Metrics, trusted: ReadonlySet<string>): Plugin {
  const operation = ({ operationName, document }: { operationName?: string; document?: DocumentNode }) => {
    // A document of one operation runs it without naming it: its own name then.
    const name = operationName ?? soleOperationName(document);
    return name === undefined ? 'anonymous' : trusted.has(name) ? name : 'other';
  };
  const registry = metrics.registry;
  return usePrometheus({
    registry,
    endpoint: false,
    // Only the two below: the plugin's defaults label series with the URL and any operation name a
    // caller sends, which would let callers grow the registry without bound.
    metrics: {
      graphql_yoga_http_duration: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_request: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_phase_execute: false,
      graphql_envelop_phase_subscribe: false,
      graphql_envelop_schema_change: false,
      graphql_envelop_execute_resolver: false,
      graphql_envelop_request_duration: createHistogram({
        registry,
        histogram: {
          name: 'billing_graph_graphql_request_duration_seconds',
          help: 'Time to execute a GraphQL operation, by operation name (trusted documents only) and type',
          labelNames: ['operationName', 'operationType'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        },
        fillLabelsFn: (params) => ({ operationName: operation(params), operationType: params.operationType ?? 'unknown' }),
      }),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'billing_graph_graphql_errors_total',
          help: 'GraphQL errors answered, by operation name (trusted documents only), phase and extensions.code',
          labelNames: ['operationName', 'phase', 'code'],
        },
        fillLabelsFn: (params) => ({ operationName: operation(params), phase: params.errorPhase ?? 'unknown', code: codeOf(params.error) }),
      }),
    },
  });
}

/** The name of a document's one operation (a document of one operation runs it unnamed). */
export function soleOperationName(document: DocumentNode | undefined): string | undefined {
  const operations = document?.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION) ?? [];
  return operations.length === 1 && operations[0]!.kind === Kind.OPERATION_DEFINITION ? operations[0]!.name?.value : undefined;
}

/** The code a caller sees for an error: the gateway's own mapping (before or after masking). */
function codeOf(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  if (typeof code === 'string') return code;
  const masked = maskError(error, 'Unexpected error.');
  const mapped = masked instanceof GraphQLError ? masked.extensions?.code : undefined;
  return typeof mapped === 'string' ? mapped : 'INTERNAL_SERVER_ERROR';
}
