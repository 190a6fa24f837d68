/** Domain objects of Scalr's `/api/iacp/v3` usage statistics. */

export type ScalrBreakdown = 'environment' | 'workspace' | 'account';

/** One row: a day (or, with `total`, the whole window) for the account or one breakdown entity. */
export interface UsageStatistic {
  /** The JSON:API resource id, when the document gives one. */
  id?: string;
  /** `YYYY-MM-DD`; undefined on `total` rows. */
  date?: string;
  breakdownId?: string;
  breakdownName?: string;
  runsCount: number;
  runsSeconds: number;
  accountId?: string;
}

export interface UsageQuery {
  accountId: string;
  /** RFC 3339 UTC, inclusive. */
  from: string;
  /** RFC 3339 UTC, exclusive (as far as is known; Scalr does not document its bounds). */
  to: string;
  breakdownBy?: ScalrBreakdown;
  total: boolean;
}

export interface ScalrAccount {
  id: string;
  name?: string;
}
