/**
 * Who is asking and what they may read: the one set of access rules, used by the HTTP layer (the
 * PDF route) and the schema alike. Decided without any upstream call.
 */

/** The authenticated caller of one request. */
export interface Caller {
  /** Who, for logs: a token's name, `passthrough`, `pdf-link` or `anonymous`. */
  name: string;
  /** Organizations it may read; null: any the gateway serves. */
  organizations: ReadonlySet<string> | null;
  /** Scalr accounts it may read; null: any the gateway serves. */
  scalrAccounts: ReadonlySet<string> | null;
  /** May send documents of its own when only persisted ones are accepted (GraphiQL users). */
  arbitraryOperations: boolean;
  /** Passthrough credentials; never logged. */
  scalewayKey?: string;
  scalrToken?: string;
  /** Admitted by a signed invoice link: that invoice only. */
  pdfInvoiceId?: string;
}

/** A request nobody authenticated: it reads nothing (fail closed). */
export const NOBODY: Caller = Object.freeze({ name: 'nobody', organizations: new Set<string>(), scalrAccounts: new Set<string>(), arbitraryOperations: false });

/** `GATEWAY_AUTH=none`: everything the gateway serves, to anyone. */
export const ANYONE: Caller = Object.freeze({ name: 'anonymous', organizations: null, scalrAccounts: null, arbitraryOperations: true });

/** What this gateway serves; null: whatever its upstream credentials can read. */
export interface Served {
  organizationIds: ReadonlySet<string> | null;
  scalrAccountIds: ReadonlySet<string> | null;
}

const allows = (set: ReadonlySet<string> | null, id: string) => set === null || set.has(id);

/**
 * Whether the caller may read an organization the gateway serves. "Not served" and "not yours"
 * are one answer, so that nobody learns which ids exist for other tenants.
 */
export function mayReadOrganization(caller: Caller, served: Served, organizationId: string): boolean {
  const id = organizationId.toLowerCase();
  return allows(served.organizationIds, id) && allows(caller.organizations, id);
}

/** Whether the caller may read a Scalr account the gateway serves (ids compared as Scalr writes them, lower case). */
export function mayReadScalrAccount(caller: Caller, served: Served, accountId: string): boolean {
  const id = accountId.toLowerCase();
  return allows(served.scalrAccountIds, id) && allows(caller.scalrAccounts, id);
}

/**
 * Ids a caller may be offered, as configured: the default first, then the served list, or (when the
 * gateway serves any id its credentials reach) the caller's own list, by id; to a caller with its
 * own upstream credentials (passthrough), the default only. Still to be checked
 * with {@link mayReadOrganization} or {@link mayReadScalrAccount}: a default the caller may not read
 * is never shown.
 */
export function servedIds(defaultId: string | undefined, served: ReadonlySet<string> | null, callers: ReadonlySet<string> | null, ownCredentials: boolean): string[] {
  const ids = new Set<string>(defaultId ? [defaultId.toLowerCase()] : []);
  // A caller with its own credentials reads what they reach, which the gateway cannot know without
  // a call: the configured list would name ids that may be another tenant's.
  if (ownCredentials) return [...ids];
  for (const id of [...(served ?? callers ?? [])].map((i) => i.toLowerCase()).sort()) ids.add(id);
  return [...ids];
}
