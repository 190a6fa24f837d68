import type { FetchAPI } from 'graphql-yoga';
import { mayReadOrganization } from './access/caller.js';
import { createContext, type Services } from './context.js';
import { invoiceAccess } from './schema/invoice.js';
import { upstreamExtensions } from './errors.js';
import { UpstreamError } from './upstreams/errors.js';
import { UUID } from './lib/uuid.js';


function problem(fetchAPI: FetchAPI, status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ error: { code, message, ...extra } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

const statusFor: Record<string, number> = {
  UPSTREAM_NOT_FOUND: 404,
  UPSTREAM_BAD_REQUEST: 400,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_RATE_LIMITED: 503,
};

/**
 * Streams an invoice PDF from the upstream to the caller chunk by chunk (v2beta1 `dl=1`), so a
 * large file is never held whole in the gateway's memory.
 */
export async function invoicePdfResponse(services: Services, request: Request, rawId: string, fetchAPI: FetchAPI): Promise<Response> {
  if (request.method !== 'GET') {
    return problem(fetchAPI, 405, 'METHOD_NOT_ALLOWED', 'Use GET');
  }
  let invoiceId: string;
  try {
    invoiceId = decodeURIComponent(rawId);
  } catch {
    return problem(fetchAPI, 400, 'BAD_USER_INPUT', 'The invoice id is not valid percent-encoding');
  }
  if (!UUID.test(invoiceId)) return problem(fetchAPI, 400, 'BAD_USER_INPUT', 'The invoice id must be a UUID');
  const ctx = createContext(services, request);
  try {
    // The same rules as the graph; "not yours" answers as "not found", disclosing nothing. A signed
    // link names its invoice's organization (the signature proves it): only that it is still served.
    const link = ctx.caller.pdfInvoiceId !== undefined;
    const allowed = link
      ? ctx.caller.pdfInvoiceId === invoiceId.toLowerCase() && [...ctx.caller.organizations!].every((id) => mayReadOrganization(ctx.caller, ctx.settings, id))
      : (await invoiceAccess(ctx, invoiceId)) === 'ok';
    if (!allowed) return problem(fetchAPI, 404, 'NOT_FOUND', `Invoice ${invoiceId} not found`);
    const file = await ctx.billing.downloadInvoice(invoiceId);
    const iterator = (Symbol.asyncIterator in file.body ? file.body[Symbol.asyncIterator]() : file.body[Symbol.iterator]()) as
      | AsyncIterator<Uint8Array>
      | Iterator<Uint8Array>;
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel() {
        await iterator.return?.();
      },
    });
    const filename = (file.filename ?? `invoice-${invoiceId}.pdf`).replace(/["\\\r\n]/g, '_');
    return new fetchAPI.Response(body, {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof UpstreamError) {
      const status = statusFor[error.code] ?? 502;
      const message = error.code === 'UPSTREAM_NOT_FOUND' ? `Invoice ${invoiceId} not found` : error.message;
      return problem(fetchAPI, status, error.code, message, { upstream: upstreamExtensions(error).upstream });
    }
    throw error;
  }
}
