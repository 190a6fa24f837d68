import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createLogger, createYoga, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { AuthSettings } from './config/tokens.js';
import { PDF_PATH, useAuth } from './http/auth.js';
import { type Context, createContext, endBudget, type Services, spentBy } from './context.js';
import { maskError } from './errors.js';
import { ClientGoneError } from './lib/budget.js';
import { examples } from './http/graphiql.js';
import { loadExplorer, useExplorer } from './http/explorer.js';
import { invoicePdfResponse } from './http/invoice-pdf.js';
import { useFocusExport } from './http/focus-export.js';
import { DEFAULT_FOCUS_EXPORT_LIMITS, type FocusExportLimits, type QueryLimits } from './config/limits.js';
import { limitPlugins } from './http/limits.js';
import { quietExpected, useRequestLog, useUpstreamLog } from './http/log.js';
import { trustedOperationNames, useGraphqlMetrics, useOps } from './http/ops.js';
import { useOperationSpans } from './http/trace.js';
import type { Metrics } from './observe/metrics.js';
import { documentText, type Manifest, usePersistedDocuments } from './http/persisted.js';
import { redactingLogger, Secrets, useRedaction } from './http/redaction.js';
import { getSchema } from './schema/index.js';

export interface GatewayOptions extends Services {
  /** Serve GraphiQL on GET /graphql from a browser. */
  graphiql?: boolean;
  /** Serve the cost explorer at `/` (its files read once, here); default true. */
  explorer?: boolean;
  /** yoga's logging: false silences it, a level filters it, a logger receives it. Default `info`. */
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error' | YogaLogger;
  limits: QueryLimits;
  /** `GET /export/focus.csv`'s own upstream calls and deadline (defaults: DEFAULT_FOCUS_EXPORT_LIMITS). */
  focusExport?: FocusExportLimits;
  /** A request's deadline (ms): every upstream call of it is aborted then, as when its client goes. */
  requestTimeoutMs?: number;
  auth: AuthSettings;
  /** Origins browsers may call from (CORS); empty or absent: no CORS headers. */
  corsOrigins?: readonly string[];
  /** Trusted documents by id, and whether only those run. */
  persisted?: { manifest: Manifest; only: boolean };
  /** The gateway's own credentials: cut from everything that leaves the process. */
  secrets?: readonly (string | undefined)[];
  /** More yoga/envelop plugins, run after the gateway's own (embedding, observability). */
  plugins?: Plugin[];
  /** Prometheus metrics: GraphQL ones are added to it; served at /metrics unless `metricsPort` serves them apart. */
  metrics?: Metrics;
  /** /metrics is served on a port of its own (METRICS_PORT): not here. */
  metricsElsewhere?: boolean;
  /** Whether the gateway takes requests (GET /ready): false from SIGTERM on. */
  ready?: () => boolean;
}

/**
 * Invoice PDFs at `GET /invoices/{invoiceId}.pdf`, beside /graphql. A failure nobody foresaw is
 * logged and answered 500 with a code, never with its stack.
 */
function invoicePdfRoute(services: Services, logger: YogaLogger): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      const m = PDF_PATH.exec(url.pathname);
      if (!m) return;
      // On a node:http server, the response to cut when the upstream fails mid-file.
      const res = (serverContext as { res?: { destroy(error?: Error): void } } | undefined)?.res;
      const cut = res
        ? (error: unknown) => {
            // A client that left sees nothing of it; an upstream that failed mid-file is news.
            const text = `Invoice PDF cut mid-file: ${error instanceof Error ? error.message : String(error)}`;
            if (error instanceof ClientGoneError) logger.debug(text);
            else logger.warn(text);
            res.destroy();
          }
        : undefined;
      return invoicePdfResponse(services, request, m[1]!, fetchAPI, cut)
        .catch((error: unknown) => {
          logger.error(error);
          return new fetchAPI.Response(JSON.stringify({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error' } }), {
            status: 500,
            headers: { 'content-type': 'application/json' },
          });
        })
        .then(endResponse);
    },
  };
}

/** Headers a browser client sends: content type, the gateway token, passthrough credentials. */
const CORS_HEADERS = ['content-type', 'authorization', 'x-auth-token', 'x-scalr-token', 'x-request-id'];

/** The gateway as a fetch handler: no environment, no listening (tests call `yoga.fetch`). */
export function createGateway(options: GatewayOptions): YogaServerInstance<Record<string, never>, Context> {
  const services: Services = { settings: options.settings, clientsFor: options.clientsFor, limits: { ...options.limits, requestTimeoutMs: options.requestTimeoutMs } };
  const graphiql = options.graphiql !== false;
  // Passthrough callers authenticate with their Scaleway keys: the page does not ask a browser for those.
  const explorer = options.explorer !== false && options.auth.mode !== 'passthrough' ? loadExplorer() : undefined;
  const own = new Secrets(options.secrets ?? []);
  const level = options.logging ?? 'info';
  const base = typeof level === 'object' ? level : createLogger(level === true ? 'info' : level === false ? 'silent' : level);
  const persisted = options.persisted ?? { manifest: new Map(), only: false };
  const logger = quietExpected(redactingLogger(base, own));
  return createYoga<Record<string, never>, Context>({
    schema: getSchema(),
    context: ({ request }) => createContext(services, request),
    maskedErrors: { maskError },
    graphiql: graphiql ? { title: 'billing-graph', defaultQuery: examples[0]!.query, defaultTabs: examples } : false,
    // The stock page loads GraphiQL from a CDN and stays blank offline; this one is self-contained.
    renderGraphiQL,
    landingPage: false,
    // CORS headers only for a listed origin, and never credentials (callers use headers, not cookies).
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && options.corsOrigins?.includes(origin)
        ? { origin: [origin], credentials: false, methods: ['GET', 'POST'], allowedHeaders: CORS_HEADERS, maxAge: 600 }
        : false;
    },
    // The body limit is ours (limits.ts: a declared Content-Length, checked before reading). yoga's
    // own re-streams every body through a web TransformStream, a third of a millisecond per request.
    maxRequestBodySize: false,
    logging: logger,
    batching: options.limits.maxBatch > 1 ? { limit: options.limits.maxBatch } : false,
    // Redaction wraps the whole request; then authentication: nothing else runs for an unknown caller.
    plugins: [
      useRedaction(own),
      useRequestLog(logger, spentBy),
      useOperationSpans(),
      useAuth({ ...options.auth, graphqlPath: '/graphql', graphiql, explorerPaths: new Set(explorer?.assets.keys()), keys: options.settings.keys, now: options.settings.now }),
      // Static files: nothing after this runs for them.
      ...(explorer ? [useExplorer(explorer)] : []),
      // After authentication: /metrics is the graph's callers' (a passthrough caller is not checked
      // by the gateway itself, so there it is served on METRICS_PORT only).
      useOps({ metrics: options.metrics, ready: options.ready, metricsHere: !options.metricsElsewhere && options.auth.mode !== 'passthrough' }),
      ...(options.metrics ? [useGraphqlMetrics(options.metrics, trustedOperationNames(persisted.manifest))] : []),
      ...limitPlugins(options.limits, documentText(persisted.manifest)),
      usePersistedDocuments({ ...persisted, graphiql }),
      invoicePdfRoute(services, logger),
      useFocusExport(services, options.focusExport ?? DEFAULT_FOCUS_EXPORT_LIMITS, logger),
      useUpstreamLog(logger),
      {
        onResponse({ request, response }) {
          // The answer has left: its deadline timer goes (a streamed PDF still ends with its client).
          endBudget(request);
          // Answers differ by Origin once origins are listed: caches must keep them apart.
          if (options.corsOrigins?.length) response.headers.append('vary', 'Origin');
        },
      },
      ...(options.plugins ?? []),
    ],
  });
}
