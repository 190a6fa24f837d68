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

/** Monthly spend by category over a window of months. */
export const consumptionReportFragment = graphql`
  fragment CostReport_consumption on Organization
  @argumentDefinitions(fromPeriod: { type: "BillingPeriod!" }, toPeriod: { type: "BillingPeriod!" }) {
    consumptionReport(fromPeriod: $fromPeriod, toPeriod: $toPeriod, groupBy: [CATEGORY]) {
      buckets {
        start
        totals {
          amount
          currency
        }
      }
      groups(first: 20) {
        edges {
          node {
            keys {
              id
            }
            totals {
              amount
              currency
            }
          }
        }
      }
    }
  }
`;

/** Scalr runs per day by workspace. */
export const usageReportFragment = graphql`
  fragment CostReport_usage on ScalrAccount
  @argumentDefinitions(from: { type: "DateTime!" }, to: { type: "DateTime!" }) {
    usageReport(from: $from, to: $to, granularity: DAY, groupBy: [WORKSPACE]) {
      totalRunsCount
      totalRunsSeconds
      groups(first: 10) {
        edges {
          node {
            keys {
              id
              name
            }
            series {
              start
              runsCount
              runsSeconds
            }
          }
        }
      }
    }
  }
`;
