import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { type AuthSettings, useAuth } from './auth.js';
import { type Context, createContext, type Services } from './context.js';
import { maskError } from './errors.js';
import { examples } from './graphiql/examples.js';
import { invoicePdfResponse } from './invoice-pdf.js';
import { useJit } from './jit.js';
import { limitPlugins, type QueryLimits } from './limits.js';
import { getSchema } from './schema/index.js';

export interface GatewayOptions extends Services {
  /** Serve GraphiQL on GET /graphql from a browser. */
  graphiql?: boolean;
  /** yoga's logging: false silences it, a level filters it, a logger receives it. Default `info`. */
  logging?: boolean | 'debug' | 'info' | 'warn' | 'error' | YogaLogger;
  limits: QueryLimits;
  auth: AuthSettings;
  /** Interpreted runs of an operation before it is compiled (graphql-jit); default 1. */
  jitAfter?: number;
  /** More yoga/envelop plugins, run after the gateway's own (embedding, observability). */
  plugins?: Plugin[];
}

/** Invoice PDFs at `GET /invoices/{invoiceId}.pdf`, beside /graphql. */
function invoicePdfRoute(services: Services): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const m = /^\/invoices\/([^/]+)\.pdf$/.exec(url.pathname);
      if (!m) return;
      return invoicePdfResponse(services, request, decodeURIComponent(m[1]!), fetchAPI).then(endResponse);
    },
  };
}

/** The gateway as a fetch handler: no environment, no listening (tests call `yoga.fetch`). */
export function createGateway(options: GatewayOptions): YogaServerInstance<Record<string, never>, Context> {
  const services: Services = { settings: options.settings, clientsFor: options.clientsFor };
  return createYoga<Record<string, never>, Context>({
    schema: getSchema(),
    context: ({ request }) => createContext(services, request),
    maskedErrors: { maskError },
    graphiql: options.graphiql === false ? false : { title: 'billing-graph', defaultQuery: examples[0]!.query, defaultTabs: examples },
    // The stock page loads GraphiQL from a CDN and stays blank offline; this one is self-contained.
    renderGraphiQL,
    landingPage: false,
    // The body limit is ours (limits.ts: a declared Content-Length, checked before reading). yoga's
    // own re-streams every body through a web TransformStream, a third of a millisecond per request.
    maxRequestBodySize: false,
    logging: options.logging ?? 'info',
    batching: options.limits.maxBatch > 1 ? { limit: options.limits.maxBatch } : false,
    // Authentication first: nothing else runs for an unknown caller.
    plugins: [useAuth(options.auth), ...limitPlugins(options.limits), invoicePdfRoute(services), useJit(options.jitAfter ?? 1), ...(options.plugins ?? [])],
  });
}
