/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Charges($organizationId: UUID, $filter: ChargeFilter!, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    charges(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          resourceId\n          resourceName\n          projectId\n          sku\n          startDate\n          endDate\n          price {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.ChargesDocument,
    "query MonthConsumption($organizationId: UUID, $billingPeriod: String, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    consumptions(billingPeriod: $billingPeriod, first: $first, after: $after) {\n      totalCount\n      updatedAt\n      totals {\n        amount\n        currency\n      }\n      edges {\n        node {\n          categoryName\n          productName\n          projectId\n          value {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MonthConsumptionDocument,
    "query Discounts($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    discounts(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          description\n          mode\n          value\n          valueUsed\n          valueRemaining\n          stopDate\n          filters {\n            type\n            value\n            exclude\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.DiscountsDocument,
    "fragment InvoiceRow on Invoice {\n  id\n  invoiceId\n  number\n  invoiceType\n  startDate\n  totalTaxed {\n    amount\n    currency\n  }\n  downloadUrl\n}\n\nquery InvoicesPage($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    organizationId\n    invoices(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...InvoiceRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.InvoiceRowFragmentDoc,
};
const documents: Documents = {
    "query Charges($organizationId: UUID, $filter: ChargeFilter!, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    charges(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          resourceId\n          resourceName\n          projectId\n          sku\n          startDate\n          endDate\n          price {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.ChargesDocument,
    "query MonthConsumption($organizationId: UUID, $billingPeriod: String, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    consumptions(billingPeriod: $billingPeriod, first: $first, after: $after) {\n      totalCount\n      updatedAt\n      totals {\n        amount\n        currency\n      }\n      edges {\n        node {\n          categoryName\n          productName\n          projectId\n          value {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MonthConsumptionDocument,
    "query Discounts($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    discounts(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          description\n          mode\n          value\n          valueUsed\n          valueRemaining\n          stopDate\n          filters {\n            type\n            value\n            exclude\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.DiscountsDocument,
    "fragment InvoiceRow on Invoice {\n  id\n  invoiceId\n  number\n  invoiceType\n  startDate\n  totalTaxed {\n    amount\n    currency\n  }\n  downloadUrl\n}\n\nquery InvoicesPage($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    organizationId\n    invoices(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...InvoiceRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.InvoiceRowFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Charges($organizationId: UUID, $filter: ChargeFilter!, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    charges(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          resourceId\n          resourceName\n          projectId\n          sku\n          startDate\n          endDate\n          price {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query Charges($organizationId: UUID, $filter: ChargeFilter!, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    charges(filter: $filter, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          resourceId\n          resourceName\n          projectId\n          sku\n          startDate\n          endDate\n          price {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MonthConsumption($organizationId: UUID, $billingPeriod: String, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    consumptions(billingPeriod: $billingPeriod, first: $first, after: $after) {\n      totalCount\n      updatedAt\n      totals {\n        amount\n        currency\n      }\n      edges {\n        node {\n          categoryName\n          productName\n          projectId\n          value {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MonthConsumption($organizationId: UUID, $billingPeriod: String, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    consumptions(billingPeriod: $billingPeriod, first: $first, after: $after) {\n      totalCount\n      updatedAt\n      totals {\n        amount\n        currency\n      }\n      edges {\n        node {\n          categoryName\n          productName\n          projectId\n          value {\n            amount\n            currency\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Discounts($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    discounts(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          description\n          mode\n          value\n          valueUsed\n          valueRemaining\n          stopDate\n          filters {\n            type\n            value\n            exclude\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query Discounts($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    discounts(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          description\n          mode\n          value\n          valueUsed\n          valueRemaining\n          stopDate\n          filters {\n            type\n            value\n            exclude\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment InvoiceRow on Invoice {\n  id\n  invoiceId\n  number\n  invoiceType\n  startDate\n  totalTaxed {\n    amount\n    currency\n  }\n  downloadUrl\n}\n\nquery InvoicesPage($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    organizationId\n    invoices(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...InvoiceRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["fragment InvoiceRow on Invoice {\n  id\n  invoiceId\n  number\n  invoiceType\n  startDate\n  totalTaxed {\n    amount\n    currency\n  }\n  downloadUrl\n}\n\nquery InvoicesPage($organizationId: UUID, $first: Int, $after: String) {\n  organization(id: $organizationId) {\n    organizationId\n    invoices(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...InvoiceRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;