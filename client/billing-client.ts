import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  ChargesDocument,
  type ChargeFilter,
  type ChargesQuery,
  InvoicesPageDocument,
  type InvoicesPageQuery,
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

  async request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...this.headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: TResult; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length) {
      const [first] = body.errors;
      throw new Error(`${first!.extensions?.code ?? 'ERROR'}: ${first!.message}`);
    }
    return body.data!;
  }

  /** Every invoice of an organization, page by page. */
  async *invoices(organizationId?: string, pageSize = 100): AsyncGenerator<InvoiceRowFragment> {
    let after: string | null = null;
    for (;;) {
      const data: InvoicesPageQuery = await this.request(InvoicesPageDocument, { organizationId, first: pageSize, after });
      const connection = data.organization?.invoices;
      if (!connection) return;
      for (const edge of connection.edges) yield edge.node;
      if (!connection.pageInfo.hasNextPage) return;
      after = connection.pageInfo.endCursor;
    }
  }

  /** Every FinOps charge of a window, page by page. */
  async *charges(filter: ChargeFilter, pageSize = 250): AsyncGenerator<NonNullable<ChargesQuery['organization']>['charges']['edges'][number]['node']> {
    let after: string | null = null;
    for (;;) {
      const data: ChargesQuery = await this.request(ChargesDocument, { filter, first: pageSize, after });
      const connection = data.organization?.charges;
      if (!connection) return;
      for (const edge of connection.edges) yield edge.node;
      if (!connection.pageInfo.hasNextPage) return;
      after = connection.pageInfo.endCursor;
    }
  }
}
