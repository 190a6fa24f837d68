import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { tracer } from '../observe/trace.js';
import { soleOperationName } from './ops.js';

/**
 * A span per GraphQL operation, the child of the caller's W3C `traceparent` when it sends one, and
 * the active span while the operation runs: every upstream call it makes is its child.
 */
export function useOperationSpans(): Plugin {
  return {
    onExecute({ args, setExecuteFn, executeFn }) {
      const request = (args.contextValue as { request?: Request } | undefined)?.request;
      const carrier: Record<string, string> = {};
      request?.headers.forEach((value, key) => (carrier[key] = value));
      const parent = propagation.extract(context.active(), carrier);
      const name = args.operationName ?? soleOperationName(args.document);
      const span = tracer().startSpan(`graphql ${name ?? 'operation'}`, { kind: SpanKind.SERVER, attributes: { 'graphql.operation.name': name ?? '' } }, parent);
      const active = trace.setSpan(parent, span);
      setExecuteFn((execArgs) => context.with(active, () => executeFn(execArgs)));
      return {
        onExecuteDone({ result }) {
          const errors = result && 'errors' in result ? (result.errors ?? []) : [];
          if (errors.length > 0) span.setStatus({ code: SpanStatusCode.ERROR, message: `${errors.length} error(s)` });
          span.end();
        },
      };
    },
  };
}
