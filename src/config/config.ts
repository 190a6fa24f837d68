import { type AuthMode, type AuthSettings, parseTokens } from './tokens.js';
import { DEFAULT_FOCUS_EXPORT_LIMITS, DEFAULT_LIMITS, type FocusExportLimits, type QueryLimits } from './limits.js';
import { readScwProfile, type ScwProfile } from './scw-file.js';
import { type FleetConfig, readFleet } from './fleet.js';
import { type BillingApiVersion, type HttpTimeouts, type RetryPolicy, scalrBaseUrl } from './upstreams.js';
import { MIN_KEY_LENGTH } from '../lib/keys.js';
import { UUID } from '../lib/uuid.js';

/** The gateway's configuration, parsed and validated once from the environment by {@link loadConfig}. */
export interface Config {
  host: string;
  port: number;
  /** Base URL clients reach the gateway at, for the URLs it hands out; the request's origin when unset. */
  publicUrl?: string;
  production: boolean;
  /** No upstream credentials outside production: serve the embedded simulator. */
  demo: boolean;
  /** Demo mode's simulator size switch: about this many FinOps charges for its first organization (0: its usual few). */
  simChargesPerOrg: number;
  graphiql: boolean;
  /** Serve the cost explorer at `/`. */
  explorer: boolean;
  scaleway: {
    apiUrl: string;
    secretKey?: string;
    defaultOrganizationId?: string;
    /** Organizations served besides the default; with neither, any the key can read. */
    organizationIds: string[];
    billingApiVersion: BillingApiVersion;
  };
  timeouts: HttpTimeouts;
  retry: RetryPolicy;
  /** Calls in flight per upstream (its pool's connections), invoice PDFs apart; calls that may wait for one. */
  concurrency: { scaleway: number; scalr: number; pdf: number; queue: number };
  /** A request's deadline, and the total time of one upstream answer's body once its headers came (for an invoice PDF: until its first bytes), ms. */
  deadlines: { requestMs: number; callMs: number };
  limits: QueryLimits;
  /** `GET /export/focus.csv`: its own upstream calls and deadline. */
  focusExport: FocusExportLimits;
  auth: AuthSettings;
  /** `GATEWAY_SIGNING_KEYS`: the first signs, all are accepted; absent outside production only (a random key is made). */
  signingKeys?: string[];
  /** Lifetime of signed invoice links, seconds. */
  pdfLinkTtlSeconds: number;
  /** Origins that browsers may call the gateway from; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** Refuse every operation that is not a persisted document (GraphiQL users with `arbitraryOperations` excepted). */
  persistedOnly: boolean;
  /** Scalr API base from `SCALR_HOSTNAME` (passthrough callers bring the token). */
  scalrBaseUrl: string;
  /** Absent when no Scalr token is configured: Scalr fields then say so. */
  scalr?: {
    /** API base, e.g. `https://acme.scalr.io/api/iacp/v3`. */
    baseUrl: string;
    token: string;
    defaultAccountId?: string;
    /** Accounts served besides the default; with neither, any the token can see (checked upstream). */
    accountIds: string[];
    /** `Prefer: profile=…`; undefined sends none. */
    preferProfile?: string;
    pageSize: number;
  };
  fleet: FleetConfig;
  finops: {
    /** `page_size` of charge calls (the upstream allows 1..1000). */
    pageSize: number;
    /** Most pages one read of charges follows, and most empty pages in a row. */
    maxPages: number;
    maxEmptyPages: number;
    /** Resource ids per charge call; a longer filter is split into several calls and merged. */
    resourceIdsPerCall: number;
    /** Sub-windows a charge report reads at once, at most (1: one walk of the whole window). */
    reportSplit: number;
  };
}

/** Every bad variable at once, by name; never a value, so never a secret. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}


type Env = Record<string, string | undefined>;

/**
 * Reads the environment, following the Scaleway SDKs' own variable names so existing setups work,
 * and the Scaleway CLI's config file for what the environment leaves unset. Throws a
 * {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: Env, readProfile: (env: Env) => ScwProfile | undefined = readScwProfile): Config {
  const problems: string[] = [];
  // The Scaleway CLI profile fills what the environment leaves unset (the SDKs' precedence).
  let profile: ScwProfile = {};
  try {
    profile = readProfile(env) ?? {};
  } catch (error) {
    problems.push((error as Error).message);
  }
  const fromProfile: Env = {
    SCW_SECRET_KEY: profile.secret_key,
    SCW_DEFAULT_ORGANIZATION_ID: profile.default_organization_id,
    SCW_API_URL: profile.api_url,
  };
  // An empty variable is an unset one: the profile still fills it.
  const get = (name: string) => env[name]?.trim() || fromProfile[name]?.trim() || undefined;
  const uuid = (name: string) => {
    const value = get(name);
    if (value !== undefined && !UUID.test(value)) problems.push(`${name} must be a UUID`);
    return value?.toLowerCase();
  };
  const url = (name: string, fallback?: string) => {
    const value = get(name) ?? fallback;
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
    } catch {
      problems.push(`${name} must be an http(s) URL`);
    }
    // The SDKs refuse a trailing slash; paths are appended to this.
    return value.replace(/\/+$/, '');
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const value = get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const value = get(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (!['true', 'false', '1', '0'].includes(value)) problems.push(`${name} must be true or false`);
    return value === 'true' || value === '1';
  };

  const production = get('NODE_ENV') === 'production';
  const secretKey = get('SCW_SECRET_KEY');
  // Secret keys are UUIDs; say so without echoing what was given.
  if (secretKey !== undefined && !UUID.test(secretKey)) problems.push('SCW_SECRET_KEY must be a Scaleway secret key (a UUID)');
  const version = get('SCW_BILLING_API_VERSION') ?? 'v2beta1';
  if (version !== 'v2beta1' && version !== 'v2alpha1') problems.push('SCW_BILLING_API_VERSION must be v2beta1 or v2alpha1');
  const organizationIds = (get('BILLING_GRAPH_ORGANIZATION_IDS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of organizationIds) {
    if (!UUID.test(id)) {
      problems.push('BILLING_GRAPH_ORGANIZATION_IDS must be a comma-separated list of UUIDs');
      break;
    }
  }

  const scalrToken = get('SCALR_TOKEN');
  const accountPattern = /^acc-[a-z0-9]+$/i;
  const scalrAccountId = get('SCALR_ACCOUNT_ID');
  if (scalrAccountId !== undefined && !accountPattern.test(scalrAccountId)) problems.push('SCALR_ACCOUNT_ID must be a Scalr account id (acc-…)');
  const scalrAccountIds = (get('SCALR_ACCOUNT_IDS') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (scalrAccountIds.some((id) => !accountPattern.test(id))) problems.push('SCALR_ACCOUNT_IDS must be a comma-separated list of Scalr account ids (acc-…)');
  const scalrHost = get('SCALR_HOSTNAME') ?? 'scalr.io';
  let scalrBase = '';
  try {
    scalrBase = scalrBaseUrl(scalrHost);
  } catch {
    problems.push('SCALR_HOSTNAME must be a host name (acme.scalr.io) or an http(s) URL');
  }
  const prefer = env.SCALR_PREFER_PROFILE === undefined ? 'preview' : env.SCALR_PREFER_PROFILE.trim();
  if (prefer && !/^[a-z]+$/.test(prefer)) problems.push('SCALR_PREFER_PROFILE must be a profile name (preview), or empty to send no Prefer header');

  let tokens: AuthSettings['tokens'] = [];
  try {
    tokens = parseTokens(get('GATEWAY_TOKENS'), get('GATEWAY_TOKENS_FILE'));
  } catch (error) {
    problems.push(`${get('GATEWAY_TOKENS') ? 'GATEWAY_TOKENS' : 'GATEWAY_TOKENS_FILE'} ${(error as Error).message}`);
  }
  const signingKeys = get('GATEWAY_SIGNING_KEYS')
    ?.split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (signingKeys !== undefined && (signingKeys.length === 0 || signingKeys.some((k) => k.length < MIN_KEY_LENGTH))) {
    problems.push(`GATEWAY_SIGNING_KEYS must be a comma-separated list of keys of at least ${MIN_KEY_LENGTH} characters each`);
  }
  if (production && signingKeys === undefined) {
    problems.push(`GATEWAY_SIGNING_KEYS is required when NODE_ENV=production (cursors and invoice links are signed with it; e.g. \`openssl rand -base64 32\`)`);
  }
  const corsOrigins = (get('CORS_ORIGINS') ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    let exact = false;
    try {
      const u = new URL(origin);
      exact = (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === origin;
    } catch {
      // not a URL
    }
    if (!exact) {
      problems.push('CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only; no "*")');
      break;
    }
  }
  const demo = secretKey === undefined && !production;
  const authMode = (get('GATEWAY_AUTH') ?? (tokens.length > 0 ? 'tokens' : production ? '' : 'none')) as AuthMode | '';
  if (!['tokens', 'passthrough', 'none'].includes(authMode)) {
    problems.push(
      authMode === ''
        ? 'GATEWAY_AUTH must be set in production: tokens (with GATEWAY_TOKENS or GATEWAY_TOKENS_FILE), passthrough, or none (behind a proxy that authenticates)'
        : 'GATEWAY_AUTH must be tokens, passthrough or none',
    );
  }
  if (authMode === 'tokens' && tokens.length === 0) problems.push('GATEWAY_AUTH=tokens needs GATEWAY_TOKENS or GATEWAY_TOKENS_FILE');
  // Passthrough callers bring their own keys: the gateway may hold none, even in production.
  if (production && secretKey === undefined && authMode !== 'passthrough') {
    problems.unshift('SCW_SECRET_KEY is required when NODE_ENV=production (the simulated demo upstream never runs in production)');
  }

  const hostOf = (host: string) => {
    // A name or an IPv4/IPv6 address to listen on; never a URL.
    if (!/^[a-z0-9.:-]+$/i.test(host)) problems.push('HOST must be a host name or an IP address to listen on');
    return host;
  };
  const config: Config = {
    host: hostOf(get('HOST') ?? '0.0.0.0'),
    port: int('PORT', 4000, 0, 65535),
    publicUrl: url('PUBLIC_URL'),
    production,
    demo: demo && authMode !== 'passthrough',
    simChargesPerOrg: int('SIM_CHARGES_PER_ORG', 0, 0, 1_000_000),
    graphiql: bool('GRAPHIQL', true),
    explorer: bool('EXPLORER', true),
    scaleway: {
      apiUrl: url('SCW_API_URL', 'https://api.scaleway.com')!,
      secretKey,
      defaultOrganizationId: uuid('SCW_DEFAULT_ORGANIZATION_ID'),
      organizationIds: organizationIds.map((id) => id.toLowerCase()),
      billingApiVersion: version as BillingApiVersion,
    },
    scalr: scalrToken
      ? {
          baseUrl: scalrBase,
          token: scalrToken,
          defaultAccountId: scalrAccountId?.toLowerCase(),
          accountIds: scalrAccountIds,
          preferProfile: prefer || undefined,
          // Scalr documents no maximum; its own tools ask for 100.
          pageSize: int('SCALR_PAGE_SIZE', 100, 1, 100),
        }
      : undefined,
    finops: {
      pageSize: int('FINOPS_PAGE_SIZE', 1000, 1, 1000),
      maxPages: int('MAX_TOKEN_PAGES', 50, 1, 10_000),
      maxEmptyPages: int('MAX_EMPTY_TOKEN_PAGES', 5, 0, 1000),
      // The upstream's limit is unknown; URL length is the practical one (~40 bytes an id).
      resourceIdsPerCall: int('FINOPS_RESOURCE_IDS_PER_CALL', 50, 1, 200),
      reportSplit: int('REPORT_SPLIT', 8, 1, 32),
    },
    retry: {
      retries: int('UPSTREAM_RETRIES', 2, 0, 10),
      baseDelayMs: int('UPSTREAM_RETRY_BASE_MS', 200, 1, 60_000),
      maxDelayMs: int('UPSTREAM_RETRY_MAX_MS', 2_000, 1, 120_000),
      retryAfterCapMs: int('UPSTREAM_RETRY_AFTER_CAP_MS', 10_000, 0, 600_000),
    },
    concurrency: {
      scaleway: int('SCALEWAY_MAX_CONCURRENCY', 16, 1, 1000),
      scalr: int('SCALR_MAX_CONCURRENCY', 8, 1, 1000),
      pdf: int('PDF_MAX_CONCURRENCY', 4, 1, 1000),
      queue: int('UPSTREAM_MAX_QUEUE', 256, 0, 100_000),
    },
    deadlines: {
      requestMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
      callMs: int('UPSTREAM_CALL_TIMEOUT_MS', 20_000, 100, 600_000),
    },
    limits: {
      maxDepth: int('MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 2, 100),
      maxAliases: int('MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 1000),
      maxTokens: int('MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 100, 1_000_000),
      maxTotalFirst: int('MAX_TOTAL_FIRST', DEFAULT_LIMITS.maxTotalFirst, 1, 1_000_000),
      maxBatch: int('MAX_BATCH', DEFAULT_LIMITS.maxBatch, 1, 100),
      maxUpstreamCalls: int('MAX_UPSTREAM_CALLS', DEFAULT_LIMITS.maxUpstreamCalls, 1, 100_000),
      maxResponseRows: int('MAX_RESPONSE_ROWS', DEFAULT_LIMITS.maxResponseRows, 1, 10_000_000),
      maxBodyBytes: int('MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, 1_024, 100_000_000),
      introspection: bool('INTROSPECTION', DEFAULT_LIMITS.introspection),
    },
    focusExport: {
      maxUpstreamCalls: int('FOCUS_EXPORT_MAX_UPSTREAM_CALLS', DEFAULT_FOCUS_EXPORT_LIMITS.maxUpstreamCalls, 1, 100_000),
      timeoutMs: int('FOCUS_EXPORT_TIMEOUT_MS', DEFAULT_FOCUS_EXPORT_LIMITS.timeoutMs, 1_000, 3_600_000),
    },
    auth: { mode: (authMode || 'none') as AuthMode, tokens },
    signingKeys,
    pdfLinkTtlSeconds: int('PDF_URL_TTL_SECONDS', 300, 10, 86_400),
    corsOrigins,
    persistedOnly: bool('PERSISTED_ONLY', false),
    scalrBaseUrl: scalrBase,
    fleet: readFleet({ get, int, problems }, production),
    timeouts: {
      connect: int('UPSTREAM_CONNECT_TIMEOUT_MS', 5_000, 1, 600_000),
      headers: int('UPSTREAM_HEADERS_TIMEOUT_MS', 15_000, 1, 600_000),
      body: int('UPSTREAM_BODY_TIMEOUT_MS', 30_000, 1, 600_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
