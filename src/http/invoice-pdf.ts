import type { FetchAPI } from 'graphql-yoga';
import { mayReadOrganization } from '../access/caller.js';
import { createContext, type Services } from '../context.js';
import { invoiceAccess } from '../access/invoice.js';
import { offsetConnection } from '../pagination/offset.js';
import { upstreamExtensions } from '../errors.js';
import { BudgetExceededError, ClientGoneError, DeadlineError } from '../lib/budget.js';
import { UpstreamError } from '../upstreams/errors.js';
import { callError } from '../upstreams/failures.js';
import { UUID } from '../lib/uuid.js';


function problem(fetchAPI: FetchAPI, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ error: { code, message, ...extra } }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * `Content-Disposition` for a file name from the upstream: an ASCII fallback (anything else becomes
 * `_`: a header holds Latin-1 only, and one character outside it failed the whole answer) and the
 * exact name encoded (RFC 6266 `filename*`).
 */
function disposition(name: string): string {
  const ascii = name.replace(/[^\w.() -]/g, '_').slice(0, 200) || 'invoice.pdf';
  try {
    return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 200))}`;
  } catch {
    // Not even UTF-16 (a lone surrogate): the ASCII name alone.
    return `attachment; filename="${ascii}"`;
  }
}

/** The request's own abort (deadline, client gone): passed on as it is. */
const isRequestAbort = (error: unknown) => error instanceof DeadlineError || error instanceof ClientGoneError;

/** The next chunk of a download; a failed one as a typed upstream error. */
async function nextChunk(iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return await iterator.next();
  } catch (error) {
    throw error instanceof Error && !(error instanceof UpstreamError) && !isRequestAbort(error) ? callError('scaleway', error) : error;
  }
}

const statusFor: Record<string, number> = {
  UPSTREAM_BAD_REQUEST: 400,
  UPSTREAM_TIMEOUT: 504,
  UPSTREAM_RATE_LIMITED: 503,
  UPSTREAM_BUSY: 503,
};

/**
 * Streams an invoice PDF from the upstream to the caller chunk by chunk (v2beta1 `dl=1`), so a
 * large file is never held whole in the gateway's memory.
 */
export async function invoicePdfResponse(
  services: Services,
  request: Request,
  rawId: string,
  fetchAPI: FetchAPI,
  /** Cuts the client's connection mid-answer (on a real server), so that a cut file never looks whole. */
  cut?: (error: unknown) => void,
): Promise<Response> {
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
  // Ids are lower case upstream: a link or a path in capitals reads the same invoice.
  const id = invoiceId.toLowerCase();
  let download: { destroy?: () => void } | undefined;
  try {
    // The same rules as the graph; "not yours" answers as "not found", disclosing nothing. A signed
    // link names its invoice's organization (the signature proves it): only that it is still served.
    const link = ctx.caller.pdfInvoiceId !== undefined;
    const allowed = link
      ? ctx.caller.pdfInvoiceId === id && [...ctx.caller.organizations!].every((id) => mayReadOrganization(ctx.caller, ctx.settings, id))
      : (await invoiceAccess(
          {
            caller: ctx.caller,
            served: ctx.settings,
            billing: ctx.billing,
            invoicesOf: (organizationId) => offsetConnection(ctx.sources.invoices({ organizationId, orderBy: 'invoice_number_desc' }), {}).all(),
          },
          id,
        )) === 'ok';
    if (!allowed) return problem(fetchAPI, 404, 'NOT_FOUND', `Invoice ${invoiceId} not found`);
    const file = await ctx.billing.downloadInvoice(id);
    download = file.body as { destroy?: () => void };
    const iterator = (Symbol.asyncIterator in file.body ? file.body[Symbol.asyncIterator]() : file.body[Symbol.iterator]()) as
      | AsyncIterator<Uint8Array>
      | Iterator<Uint8Array>;
    // The first bytes before the answer: an upstream that fails before sending any is a coded 502.
    let first: IteratorResult<Uint8Array> | undefined = await nextChunk(iterator);
    // The upstream answered in time; the rest goes at the client's pace.
    file.streaming?.();
    const body = new fetchAPI.ReadableStream<Uint8Array>({
      async pull(controller) {
        // An upstream that fails mid-file ends this answer (the client sees it cut), never the process.
        try {
          const { done, value } = first ?? (await nextChunk(iterator));
          first = undefined;
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          // Headers are gone already: the client must see the file end early, not end cleanly.
          if (cut) {
            cut(error);
            controller.close();
          } else controller.error(error);
        }
      },
      async cancel() {
        // The client went: the upstream download stops too.
        await iterator.return?.();
      },
    });
    return new fetchAPI.Response(body, {
      status: 200,
      headers: {
        'content-type': file.contentType,
        'content-disposition': disposition(file.filename ?? `invoice-${invoiceId}.pdf`),
        'cache-control': 'private, no-store',
      },
    });
  } catch (error) {
    // Whatever failed, the download (if any) is let go: its connection is the PDF pool's.
    download?.destroy?.();
    if (error instanceof UpstreamError) {
      // An invoice the upstream does not know is as one the caller may not read: NOT_FOUND.
      if (error.code === 'UPSTREAM_NOT_FOUND') return problem(fetchAPI, 404, 'NOT_FOUND', `Invoice ${invoiceId} not found`);
      const status = statusFor[error.code] ?? 502;
      const retry: Record<string, string> = error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) };
      return problem(fetchAPI, status, error.code, error.message, { upstream: upstreamExtensions(error).upstream }, retry);
    }
    if (error instanceof DeadlineError) return problem(fetchAPI, 504, 'REQUEST_TIMEOUT', error.message);
    if (error instanceof BudgetExceededError) return problem(fetchAPI, 503, 'QUERY_TOO_COSTLY', error.message);
    throw error;
  }
}
