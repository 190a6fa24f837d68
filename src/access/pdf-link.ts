import type { Keyring, Signer } from '../lib/keys.js';

/**
 * Signed, expiring invoice links: `Invoice.downloadUrl` carries the invoice's organization, an
 * expiry and an HMAC over both and the invoice id, so that a browser opens it without a token and
 * nobody can change any part of it.
 */

export interface PdfLink {
  invoiceId: string;
  organizationId: string;
  /** Unix seconds. */
  expires: number;
}

const signers = new WeakMap<Keyring, Signer>();
const signerOf = (keys: Keyring) => {
  let signer = signers.get(keys);
  if (!signer) signers.set(keys, (signer = keys.signer('invoice-pdf')));
  return signer;
};
const message = (link: PdfLink) => `${link.invoiceId.toLowerCase()}\n${link.organizationId.toLowerCase()}\n${link.expires}`;

/** The query string of a link (without `?`). */
export function signPdfLink(keys: Keyring, link: PdfLink): string {
  const params = new URLSearchParams({ organization: link.organizationId, expires: String(link.expires), signature: signerOf(keys).sign(message(link)) });
  return params.toString();
}

/** Whether a request carries a link signature at all (then it must be valid). */
export const hasPdfSignature = (params: URLSearchParams) => params.has('signature');

/**
 * The link a request's parameters stand for: `invalid` when any part was changed or not made by
 * these keys, `expired` past its time.
 */
export function verifyPdfLink(keys: Keyring, invoiceId: string, params: URLSearchParams, nowMs: number): PdfLink | 'invalid' | 'expired' {
  const organizationId = params.get('organization') ?? '';
  const expiresText = params.get('expires') ?? '';
  const signature = params.get('signature') ?? '';
  if (!/^[1-9]\d{0,11}$/.test(expiresText)) return 'invalid';
  const link = { invoiceId, organizationId, expires: Number(expiresText) };
  if (!signerOf(keys).verify(message(link), signature)) return 'invalid';
  return link.expires * 1000 <= nowMs ? 'expired' : link;
}
