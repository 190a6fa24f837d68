const now = new Date();
const daysAgo = (days: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days)).toISOString();
const monthStart = (back: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString();

/** Example operations GraphiQL opens with, one tab each; the first is the default query. */
export const examples: { query: string; variables?: string }[] = [
  {
    query: `# Your cloud bills as one graph. Press ▶ to run.
query LatestInvoices {
  organization {
    organizationId
    invoices(first: 5) {
      totalCount
      edges {
        node {
          number
          invoiceType
          startDate
          totalTaxed { amount currency }
          downloadUrl
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`,
  },
  {
    query: `query MonthConsumption($period: String) {
  organization {
    consumptions(first: 20, billingPeriod: $period, orderBy: CATEGORY_NAME_ASC) {
      totalCount
      updatedAt
      totals { amount currency }
      edges { node { categoryName productName projectId value { amount currency } } }
    }
  }
}
`,
    variables: '{ "period": null }',
  },
  {
    query: `query Discounts {
  organization {
    discounts(first: 10) {
      totalCount
      edges { node { description mode value valueUsed valueRemaining stopDate filters { type value exclude } } }
    }
  }
}
`,
  },
  {
    query: `# FinOps raw charges of last month, cut to it (clampToTimeRange), newest first
query Charges($after: String) {
  organization {
    charges(first: 25, after: $after, filter: {
      startDateAfter: "${monthStart(1)}"
      endDateBefore: "${monthStart(0)}"
      clampToTimeRange: true
      orderBy: START_DATE_DESC
    }) {
      edges { node { resourceId resourceName sku startDate endDate price { amount currency } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`,
    variables: '{ "after": null }',
  },
  {
    query: `# Terraform runs of the last 30 days in Scalr, per workspace, with the window's totals
query ScalrUsage {
  scalrAccount {
    accountId
    usageStatistics(from: "${daysAgo(30)}", to: "${daysAgo(0)}", breakdownBy: WORKSPACE, total: true, first: 50) {
      totalCount
      totalRunsCount
      totalRunsSeconds
      edges { node { breakdownName runsCount runsSeconds } }
    }
  }
}
`,
  },
];
