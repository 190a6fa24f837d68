import type { Plugin } from 'graphql-yoga';
import { type AuthSettings, sha256 } from '../config/tokens.js';
import { ANYONE } from '../access/caller.js';
import { admit } from '../access/request.js';
import { hasPdfSignature, verifyPdfLink } from '../access/pdf-link.js';
import type { Keyring } from '../lib/keys.js';
import { addRequestSecret } from './redaction.js';

function answer(fetchAPI: { Response: typeof Response }, status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const unauthenticated = (fetchAPI: { Response: typeof Response }, message: string) =>
  answer(fetchAPI, 401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer realm="billing-graph"' });

export interface AuthOptions extends AuthSettings {
  /** The GraphQL endpoint, whose GraphiQL page is public when GraphiQL is on. */
  graphqlPath: string;
  graphiql: boolean;
  /** The cost explorer's page and assets, exact paths: public like GraphiQL's page (empty when it is off). */
  explorerPaths?: ReadonlySet<string>;
  keys: Keyring;
  now: () => Date;
}

/** The PDF route's path: `/invoices/{id}.pdf`. */
export const PDF_PATH = /^\/invoices\/([^/]+)\.pdf$/;

/**
 * Public: GraphiQL's own page (a GET of the endpoint by a browser, running nothing), the cost
 * explorer's static files (exact paths; its data comes through the endpoint), the health and
 * readiness checks.
 */
function isPublic(request: Request, url: URL, options: AuthOptions): boolean {
  if (url.pathname === '/health' || url.pathname === '/ready' || options.explorerPaths?.has(url.pathname)) return request.method === 'GET' || request.method === 'HEAD';
  return (
    options.graphiql &&
    url.pathname === options.graphqlPath &&
    request.method === 'GET' &&
    (request.headers.get('accept') ?? '').includes('text/html') &&
    !url.searchParams.has('query')
  );
}

export function useAuth(options: AuthOptions): Plugin {
  const byHash = new Map(options.tokens.map((t) => [t.sha256, t]));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (options.mode === 'none') {
        admit(request, ANYONE);
        return;
      }
      if (isPublic(request, url, options)) return;

      // A signed invoice link admits its one invoice, with no token (browsers follow plain links).
      const pdf = PDF_PATH.exec(url.pathname);
      let linkInvoice: string | undefined;
      let linkOrganization: string | undefined;
      if (pdf && hasPdfSignature(url.searchParams)) {
        let invoiceId = '';
        try {
          invoiceId = decodeURIComponent(pdf[1]!);
        } catch {
          // A malformed path is the PDF route's to refuse (400).
        }
        const link = verifyPdfLink(options.keys, invoiceId, url.searchParams, options.now().getTime());
        if (link === 'invalid' || link === 'expired') {
          endResponse(answer(fetchAPI, 403, 'FORBIDDEN', link === 'expired' ? 'This invoice link has expired: ask the graph for a new downloadUrl' : 'This invoice link is not valid'));
          return;
        }
        linkInvoice = link.invoiceId.toLowerCase();
        linkOrganization = link.organizationId.toLowerCase();
      }

      if (options.mode === 'passthrough') {
        const scalewayKey = request.headers.get('x-auth-token') ?? undefined;
        const scalrToken = request.headers.get('x-scalr-token') ?? undefined;
        addRequestSecret(request, scalewayKey);
        addRequestSecret(request, scalrToken);
        if (!scalewayKey && !scalrToken) {
          // The gateway holds no credentials: even a signed link needs the caller's own to download.
          endResponse(unauthenticated(fetchAPI, 'Send your Scaleway secret key as X-Auth-Token and/or your Scalr token as X-Scalr-Token'));
          return;
        }
        admit(request, { name: 'passthrough', organizations: null, scalrAccounts: null, arbitraryOperations: true, scalewayKey, scalrToken });
        return;
      }
      if (linkInvoice !== undefined) {
        admit(request, { name: 'pdf-link', organizations: new Set([linkOrganization!]), scalrAccounts: new Set(), arbitraryOperations: false, pdfInvoiceId: linkInvoice });
        return;
      }
      const m = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
      addRequestSecret(request, m?.[1]);
      const token = m ? byHash.get(sha256(m[1]!)) : undefined;
      if (!token) {
        endResponse(unauthenticated(fetchAPI, m ? 'Unknown gateway token' : 'Send a gateway token: Authorization: Bearer <token>'));
        return;
      }
      admit(request, {
        name: token.name,
        organizations: token.organizations === '*' ? null : new Set(token.organizations),
        scalrAccounts: token.scalrAccounts === '*' ? null : new Set(token.scalrAccounts),
        arbitraryOperations: token.arbitraryOperations,
      });
    },
  };
}
