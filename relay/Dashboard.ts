declare const graphql: (strings: TemplateStringsArray) => unknown;

export const dashboardQuery = graphql`
  query DashboardQuery($filter: ChargeFilter!, $from: DateTime!, $to: DateTime!) {
    organization {
      ...OrganizationInvoices_organization
      ...OrganizationCharges_organization @arguments(filter: $filter)
    }
    scalrAccount {
      ...ScalrUsage_account @arguments(from: $from, to: $to)
    }
  }
`;
