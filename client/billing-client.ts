import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  ChargesDocument,
  type ChargeFilter,
  type ChargesQuery,
  InvoicesPageDocument,
  type InvoiceRowFragment,
} from './generated/graphql.js';

/**
 * A small typed client of billing-graph, as a frontend would write one: the generated
 * `TypedDocumentNode`s type every variable and result, with no hand-written types.
 */
export class BillingGraphClient {
  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /**
   * Runs a generated document by its persisted id (the gateway knows it from the manifest codegen
   * writes): the text never travels, and a gateway with `PERSISTED_ONLY=true` accepts it.
   */
  async request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...this.headers },
      body: JSON.stringify(hash ? { documentId: hash, variables } : { query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: TResult; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const [first] = body.errors;
      throw new Error(`${first!.extensions?.code ?? 'ERROR'}: ${first!.message}`);
    }
    return body.data!;
  }

  /**
   * Every node of a connection, following `endCursor` while `hasNextPage`: `page` fetches the page
   * after a cursor (null for the first) and picks the connection out of the result.
   */
  private async *walk<N>(page: (after: string | null) => Promise<Connection<N> | undefined>): AsyncGenerator<N> {
    let after: string | null = null;
    for (;;) {
      const connection = await page(after);
      if (!connection) return;
      for (const edge of connection.edges) yield edge.node;
      if (!connection.pageInfo.hasNextPage) return;
      after = connection.pageInfo.endCursor;
    }
  }

  /** Every invoice of an organization, page by page. */
  invoices(organizationId?: string, pageSize = 100): AsyncGenerator<InvoiceRowFragment> {
    return this.walk(async (after) => (await this.request(InvoicesPageDocument, { organizationId, first: pageSize, after })).organization?.invoices);
  }

  /** Every FinOps charge of a window, page by page. */
  charges(filter: ChargeFilter, pageSize = 250): AsyncGenerator<NonNullable<ChargesQuery['organization']>['charges']['edges'][number]['node']> {
    return this.walk(async (after) => (await this.request(ChargesDocument, { filter, first: pageSize, after })).organization?.charges);
  }
}

/** What `walk` needs of a Relay connection. */
interface Connection<N> {
  edges: { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
