declare const graphql: (strings: TemplateStringsArray) => unknown;

export const usageFragment = graphql`
  fragment ScalrUsage_account on ScalrAccount
  @refetchable(queryName: "ScalrUsagePaginationQuery")
  @argumentDefinitions(
    count: { type: "Int", defaultValue: 31 }
    cursor: { type: "String" }
    from: { type: "DateTime!" }
    to: { type: "DateTime!" }
    breakdownBy: { type: "ScalrBreakdown" }
  ) {
    accountId
    usageStatistics(first: $count, after: $cursor, from: $from, to: $to, breakdownBy: $breakdownBy)
      @connection(key: "ScalrUsage_usageStatistics", filters: ["from", "to", "breakdownBy"]) {
      totalCount
      edges {
        node {
          date
          breakdownName
          runsCount
          runsSeconds
        }
      }
    }
  }
`;
