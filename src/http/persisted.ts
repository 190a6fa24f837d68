import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { callerOf } from '../access/request.js';

/**
 * Trusted documents: the operations the project's own clients send, known by id. The typed client
 * (graphql-codegen's client preset) and the Relay compiler each write a manifest of id → document
 * text; the gateway accepts an id from either instead of the text, and with `PERSISTED_ONLY=true`
 * refuses every other document (GraphiQL users excepted: tokens with `arbitraryOperations`).
 */

/** The manifests the repository's clients write (beside src/ or dist/, as operations/ is). */
export const PROJECT_MANIFESTS = ['../../client/generated/persisted-documents.json', '../../relay/persisted-documents.json'].map((path) => new URL(path, import.meta.url));

/** id → text of every trusted document; an id is the SHA-256 of its text, checked on load. */
export type Manifest = ReadonlyMap<string, string>;

/** Reads manifests (JSON objects of id → text); throws naming a file whose ids are not the hashes of their texts. */
export function loadManifests(paths: readonly (string | URL)[], read: (path: string | URL) => string = (p) => readFileSync(p, 'utf8')): Manifest {
  const documents = new Map<string, string>();
  for (const path of paths) {
    const entries = JSON.parse(read(path)) as Record<string, unknown>;
    for (const [key, text] of Object.entries(entries)) {
      // graphql-codegen writes `sha256:<hex>`, relay-compiler the bare hex.
      const id = key.replace(/^sha256:/, '');
      if (typeof text !== 'string' || createHash('sha256').update(text).digest('hex') !== id) {
        throw new Error(`${String(path)}: entry ${id.slice(0, 12)}… is not the SHA-256 of its document`);
      }
      documents.set(id, text);
    }
  }
  return documents;
}

/**
 * The id a request names: `documentId` (GraphQL over HTTP's persisted documents, optionally
 * `sha256:`-prefixed) or Apollo's `extensions.persistedQuery.sha256Hash`.
 */
function persistedId(params: (GraphQLParams & { documentId?: unknown }) | null | undefined): string | null {
  if (!params || typeof params !== 'object') return null;
  if (typeof params.documentId === 'string') return params.documentId.replace(/^sha256:/, '');
  const persisted = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/**
 * The text a request runs: its own, or the persisted document it names. Decided exactly as the
 * persisted-operations plugin decides (a query that is empty is none), so that what is costed is
 * what runs.
 */
export function documentText(manifest: Manifest): (params: GraphQLParams) => string | undefined {
  return (params) => (params.query ? params.query : manifest.get(persistedId(params) ?? ''));
}

export interface PersistedOptions {
  manifest: Manifest;
  /** Refuse documents that are not persisted. */
  only: boolean;
  graphiql: boolean;
}

export function usePersistedDocuments({ manifest, only, graphiql }: PersistedOptions): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (id) => manifest.get(id) ?? null,
    extractPersistedOperationId: persistedId,
    // Documents of one's own: always, unless only persisted ones are accepted; then for GraphiQL's
    // users (when it is on) whose token says so.
    allowArbitraryOperations: only ? (request) => graphiql && callerOf(request).arbitraryOperations : true,
    customErrors: {
      notFound: { message: 'No persisted document has this id', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 400 } } },
      keyNotFound: { message: 'Send a document (`query`) or the id of a persisted one (`documentId`)', extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
      persistedQueryOnly: {
        message: 'This gateway runs persisted documents only: send `documentId`',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
      },
    },
  }) as Plugin;
}
