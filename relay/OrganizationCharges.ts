declare const graphql: (strings: TemplateStringsArray) => unknown;

export const chargesFragment = graphql`
  fragment OrganizationCharges_organization on Organization
  @refetchable(queryName: "OrganizationChargesPaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 50 }
    cursor: { type: "String" }
    filter: { type: "ChargeFilter!" }
  ) {
    charges(first: $count, after: $cursor, filter: $filter) @connection(key: "OrganizationCharges_charges") {
      edges {
        node {
          resourceId
          resourceName
          startDate
          endDate
          price {
            amount
            currency
          }
        }
      }
    }
  }
`;
