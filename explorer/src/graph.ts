import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { askToken, storedToken } from './auth.js';

/**
 * The page's one way to the graph: a generated typed document, sent by its persisted id
 * (`documentId`, the SHA-256 codegen wrote into the document), never by its text, so that a gateway
 * with `PERSISTED_ONLY=true` runs it as it runs any trusted client's.
 */

export interface GraphError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface Answer<R> {
  data: R | null | undefined;
  errors: GraphError[];
}

/** A failure before any answer (the network, a refused token, a body that is not GraphQL's). */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

const ENDPOINT = '/graphql';

/** The persisted id of a generated document. */
export function documentId(document: TypedDocumentNode<unknown, never>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new RequestError('This document has no persisted id: run npm run codegen', 'NOT_PERSISTED');
  return hash;
}

/**
 * Runs a document; answers its data and errors as the graph gave them (a panel shows partial data
 * with its errors). A 401 asks for a token and runs it again; declined, it fails with UNAUTHENTICATED.
 */
export async function run<R, V>(document: TypedDocumentNode<R, V>, variables: V, signal?: AbortSignal): Promise<Answer<R>> {
  const body = JSON.stringify({ documentId: documentId(document as TypedDocumentNode<unknown, never>), variables });
  for (;;) {
    const token = storedToken();
    let res: Response;
    try {
      res = await fetch(ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new RequestError('The gateway cannot be reached', 'NETWORK');
    }
    if (res.status === 401) {
      await res.body?.cancel();
      const next = await askToken(token);
      if (next === null) throw new RequestError('This gateway needs a token: reload the page to give one', 'UNAUTHENTICATED');
      continue;
    }
    let parsed: { data?: R | null; errors?: GraphError[] };
    try {
      parsed = (await res.json()) as typeof parsed;
    } catch {
      throw new RequestError(`The gateway answered ${res.status} without a GraphQL body`, 'BAD_RESPONSE');
    }
    return { data: parsed.data, errors: parsed.errors ?? [] };
  }
}
