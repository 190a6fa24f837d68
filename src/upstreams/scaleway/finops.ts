import { ofOrganization } from './client.js';
import { parsed, type ScalewayConnection, scalewayHttp } from './http.js';
import type { Query, UpstreamHttp } from '../http.js';
import type { Charge, ChargeQuery, TokenPage } from './model.js';
import { chargesClosed } from '../finality.js';
import { charge, chargePage } from './unmarshal.js';
import type { JsonValue } from '../../lib/json.js';

/**
 * Scaleway Billing FinOps API (`GET /billing/v2beta1/charges`): raw per-resource charges, paged by
 * `next_page_token`. Parameters are snake_case, as every SDK sends them (the docs tutorial's
 * camelCase is unconfirmed, and an ignored filter would silently widen the answer).
 */
export class ScalewayFinOpsClient {
  private readonly http: UpstreamHttp;
  private readonly now: () => Date;

  constructor(connection: ScalewayConnection) {
    this.http = scalewayHttp(connection);
    this.now = connection.now ?? (() => new Date());
  }

  /** The query string of a charges call. */
  private params(query: ChargeQuery, pageSize: number, pageToken?: string): Query {
    return {
      organization_id: query.organizationId,
      project_ids: query.projectIds,
      resource_ids: query.resourceIds,
      resource_names: query.resourceNames,
      skus: query.skus,
      invoice_ids: query.invoiceIds,
      start_date_after: query.startDateAfter,
      end_date_before: query.endDateBefore,
      clamp_to_time_range: query.clampToTimeRange,
      order_by: query.orderBy,
      page_size: pageSize,
      page_token: pageToken,
    };
  }

  /** One page; `pageToken` undefined for the first. Every other parameter must stay the same along a walk. */
  async listCharges(query: ChargeQuery, pageSize: number, pageToken?: string): Promise<TokenPage<Charge>> {
    return this.http.getParsed(
      '/billing/v2beta1/charges',
      this.params(query, pageSize, pageToken),
      (json) => ofOrganization(parsed(json, chargePage), query.organizationId),
      { finality: (page) => chargesClosed(query, page.rows, this.now()) },
    );
  }

  /**
   * One page handed row by row to `onRow` as it arrives (each row checked as `listCharges` checks
   * it), for readers that sum and drop rows (reports): no page is held whole where no answer is
   * cached. Resolves with the next page's token, if any.
   */
  async eachCharge(query: ChargeQuery, pageSize: number, pageToken: string | undefined, onRow: (charge: Charge) => void): Promise<{ nextToken?: string; rows: number }> {
    let rows = 0;
    return this.http.getRows(
      '/billing/v2beta1/charges',
      this.params(query, pageSize, pageToken),
      'charges',
      (value, index) => {
        const row = parsed(value, (v) => charge(v, `$.charges[${index}]`));
        ofOrganization({ rows: [row] }, query.organizationId);
        rows++;
        onRow(row);
      },
      (rest) => {
        const { nextToken } = parsed(rest, (v) => chargePage({ ...(v as object), charges: [] } as JsonValue));
        return { nextToken, rows };
      },
      async () => {
        const page = await this.listCharges(query, pageSize, pageToken);
        for (const row of page.rows) onRow(row);
        return { nextToken: page.nextToken, rows: page.rows.length };
      },
    );
  }
}
