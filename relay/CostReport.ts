declare const graphql: (strings: TemplateStringsArray) => unknown;

/** A cost explorer's daily chart: spend per project per day, as Relay reads it (groups paged by cursor). */
export const costReportFragment = graphql`
  fragment CostReport_organization on Organization
  @argumentDefinitions(from: { type: "DateTime!" }, to: { type: "DateTime!" }) {
    chargeReport(from: $from, to: $to, granularity: DAY, groupBy: [PROJECT]) {
      totals {
        amount
        currency
      }
      groups(first: 10) {
        totalCount
        edges {
          node {
            keys {
              id
              name
            }
            series {
              start
              totals {
                amount
                currency
              }
            }
          }
        }
      }
    }
  }
`;
