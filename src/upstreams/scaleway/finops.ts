import { ofOrganization } from './client.js';
import { parsed, type ScalewayConnection, scalewayHttp } from './http.js';
import type { UpstreamHttp } from '../http.js';
import type { Charge, ChargeQuery, TokenPage } from './model.js';
import { chargesClosed } from '../finality.js';
import { chargePage } from './unmarshal.js';

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

  /** One page; `pageToken` undefined for the first. Every other parameter must stay the same along a walk. */
  async listCharges(query: ChargeQuery, pageSize: number, pageToken?: string): Promise<TokenPage<Charge>> {
    return this.http.getParsed(
      '/billing/v2beta1/charges',
      {
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
      },
      (json) => ofOrganization(parsed(json, chargePage), query.organizationId),
      { finality: (page) => chargesClosed(query, page.rows, this.now()) },
    );
  }
}
