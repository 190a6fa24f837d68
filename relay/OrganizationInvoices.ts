// Relay fragments compiled by relay-compiler against schema/schema.graphql in the tests: proof that
// the graph is a valid Relay schema (Node, global ids, connections with cursors, refetchable types).
declare const graphql: (strings: TemplateStringsArray) => unknown;

export const invoicesFragment = graphql`
  fragment OrganizationInvoices_organization on Organization
  @refetchable(queryName: "OrganizationInvoicesPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    organizationId
    invoices(first: $count, after: $cursor) @connection(key: "OrganizationInvoices_invoices") {
      totalCount
      edges {
        node {
          id
          number
          invoiceType
          totalTaxed {
            amount
            currency
          }
          downloadUrl
        }
      }
    }
  }
`;
