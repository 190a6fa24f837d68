import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig as load } from '../src/config/config.js';
import { readScwProfile, type ScwProfile } from '../src/config/scw-file.js';

/** Without a Scaleway CLI file, whatever this machine's home holds. */
const loadConfig = (env: Record<string, string>) => load(env, () => undefined);

const KEY = '0b9e3a1c-5d2f-4e8a-9c7b-1a2b3c4d5e6f';
/** A production gateway's signing key (required there). */
const SIGNING = { GATEWAY_SIGNING_KEYS: 'k'.repeat(32) };

/** The problems `load` reports for `env` (none when it loads). */
function problems(env: Record<string, string>, read: (env: Record<string, string | undefined>) => ScwProfile | undefined = () => undefined): string[] {
  try {
    load(env, read);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('loadConfig', () => {
  it('reads the Scaleway SDK variables', () => {
    const config = loadConfig({
      SCW_SECRET_KEY: KEY,
      SCW_DEFAULT_ORGANIZATION_ID: '11111111-2222-4333-8444-555555555555',
      SCW_API_URL: 'https://api.example.test/',
      SCW_BILLING_API_VERSION: 'v2alpha1',
      BILLING_GRAPH_ORGANIZATION_IDS: 'AAAAAAAA-2222-4333-8444-555555555555, bbbbbbbb-2222-4333-8444-555555555555',
      PORT: '8080',
    });
    expect(config).toMatchObject({
      port: 8080,
      demo: false,
      scaleway: {
        apiUrl: 'https://api.example.test',
        secretKey: KEY,
        billingApiVersion: 'v2alpha1',
        organizationIds: ['aaaaaaaa-2222-4333-8444-555555555555', 'bbbbbbbb-2222-4333-8444-555555555555'],
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('defaults to demo mode without credentials outside production', () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.port).toBe(4000);
    expect(config.scaleway.apiUrl).toBe('https://api.scaleway.com');
  });

  it('refuses to start in production without credentials', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^SCW_SECRET_KEY is required when NODE_ENV=production/),
      expect.stringMatching(/^GATEWAY_SIGNING_KEYS is required when NODE_ENV=production/),
      expect.stringMatching(/^GATEWAY_AUTH must be set in production/),
    ]);
    // Passthrough callers bring their own keys: then the gateway needs none (but signs all the same).
    expect(problems({ NODE_ENV: 'production', GATEWAY_AUTH: 'passthrough', ...SIGNING })).toEqual([]);
  });

  it('takes signing keys of 32 characters or more, the first signing, and demands them in production', () => {
    expect(loadConfig({ GATEWAY_SIGNING_KEYS: ` ${'a'.repeat(32)} , ${'b'.repeat(40)} ` }).signingKeys).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    expect(loadConfig({}).signingKeys).toBeUndefined();
    const short = 'short-signing-key';
    const list = problems({ GATEWAY_SIGNING_KEYS: `${'a'.repeat(32)},${short}` });
    expect(list).toEqual([expect.stringMatching(/^GATEWAY_SIGNING_KEYS must be a comma-separated list of keys of at least 32 characters/)]);
    expect(list.join()).not.toContain(short);
    expect(problems({ SCW_SECRET_KEY: KEY, NODE_ENV: 'production', GATEWAY_AUTH: 'none' })).toEqual([expect.stringMatching(/^GATEWAY_SIGNING_KEYS is required/)]);
  });

  it('lists CORS origins exactly, and refuses a wildcard or a path', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    for (const bad of ['*', 'https://app.example.com/', 'app.example.com', 'https://a.example.com/path', 'null']) {
      expect(problems({ CORS_ORIGINS: bad }), bad).toEqual([expect.stringMatching(/^CORS_ORIGINS must be/)]);
    }
  });

  it('serves the cost explorer unless EXPLORER=false', () => {
    expect(loadConfig({}).explorer).toBe(true);
    expect(loadConfig({ EXPLORER: 'false' }).explorer).toBe(false);
    expect(loadConfig({ EXPLORER: '0' }).explorer).toBe(false);
    expect(problems({ EXPLORER: 'off' })).toEqual(['EXPLORER must be true or false']);
  });

  it('reads the PDF link lifetime and the persisted-only switch', () => {
    expect(loadConfig({})).toMatchObject({ pdfLinkTtlSeconds: 300, persistedOnly: false });
    expect(loadConfig({ PDF_URL_TTL_SECONDS: '60', PERSISTED_ONLY: 'true' })).toMatchObject({ pdfLinkTtlSeconds: 60, persistedOnly: true });
    expect(problems({ PDF_URL_TTL_SECONDS: '0' })).toEqual([expect.stringMatching(/^PDF_URL_TTL_SECONDS/)]);
  });

  it('names every bad variable at once, and never echoes a secret', () => {
    const secret = 'super-secret-token-value';
    const list = problems({
      SCW_SECRET_KEY: secret,
      SCW_DEFAULT_ORGANIZATION_ID: 'acme',
      SCW_API_URL: 'ftp://nope',
      SCW_BILLING_API_VERSION: 'v3',
      PORT: '99999',
      UPSTREAM_HEADERS_TIMEOUT_MS: '-1',
      BILLING_GRAPH_ORGANIZATION_IDS: 'x,y',
      GRAPHIQL: 'maybe',
      EXPLORER: 'perhaps',
    });
    for (const name of ['SCW_SECRET_KEY', 'SCW_DEFAULT_ORGANIZATION_ID', 'SCW_API_URL', 'SCW_BILLING_API_VERSION', 'PORT', 'UPSTREAM_HEADERS_TIMEOUT_MS', 'BILLING_GRAPH_ORGANIZATION_IDS', 'GRAPHIQL', 'EXPLORER']) {
      expect(list.some((p) => p.startsWith(name))).toBe(true);
    }
    expect(list.join('\n')).not.toContain(secret);
  });
});

describe('limits and authentication', () => {
  it('defaults every limit, and reads each knob', () => {
    expect(loadConfig({ SCW_SECRET_KEY: KEY }).limits).toEqual({
      maxDepth: 12,
      maxAliases: 30,
      maxTokens: 5000,
      maxTotalFirst: 3000,
      maxBatch: 10,
      maxUpstreamCalls: 100,
      maxResponseRows: 5000,
      maxBodyBytes: 1_048_576,
      introspection: true,
    });
    const config = loadConfig({
      SCW_SECRET_KEY: KEY,
      MAX_DEPTH: '8',
      MAX_TOTAL_FIRST: '1000',
      MAX_UPSTREAM_CALLS: '20',
      MAX_RESPONSE_ROWS: '700',
      INTROSPECTION: 'false',
      UPSTREAM_RETRIES: '0',
      SCALEWAY_MAX_CONCURRENCY: '4',
    });
    expect(config.limits).toMatchObject({ maxDepth: 8, maxTotalFirst: 1000, maxUpstreamCalls: 20, maxResponseRows: 700, introspection: false });
    expect(config.retry.retries).toBe(0);
    expect(config.concurrency.scaleway).toBe(4);
  });

  it('defaults deadlines, pools, the waiting bound and token walk bounds, and reads each', () => {
    const defaults = loadConfig({ SCW_SECRET_KEY: KEY });
    expect(defaults.deadlines).toEqual({ requestMs: 30_000, callMs: 20_000 });
    expect(defaults.concurrency).toEqual({ scaleway: 16, scalr: 8, pdf: 4, queue: 256 });
    expect(defaults.finops).toMatchObject({ maxPages: 50, maxEmptyPages: 5 });
    const set = loadConfig({
      SCW_SECRET_KEY: KEY,
      REQUEST_TIMEOUT_MS: '5000',
      UPSTREAM_CALL_TIMEOUT_MS: '2000',
      PDF_MAX_CONCURRENCY: '2',
      UPSTREAM_MAX_QUEUE: '0',
      MAX_TOKEN_PAGES: '10',
      MAX_EMPTY_TOKEN_PAGES: '1',
    });
    expect(set.deadlines).toEqual({ requestMs: 5000, callMs: 2000 });
    expect(set.concurrency).toMatchObject({ pdf: 2, queue: 0 });
    expect(set.finops).toMatchObject({ maxPages: 10, maxEmptyPages: 1 });
    const bad = problems({ REQUEST_TIMEOUT_MS: '5', MAX_TOKEN_PAGES: '0' });
    expect(bad).toHaveLength(2);
    expect(bad).toEqual(expect.arrayContaining([expect.stringMatching(/^REQUEST_TIMEOUT_MS/), expect.stringMatching(/^MAX_TOKEN_PAGES/)]));
  });

  it('takes gateway tokens as hashes only, and requires a choice in production', () => {
    const hash = 'a'.repeat(64);
    const tokens = JSON.stringify([{ name: 'finance', sha256: hash, organizations: ['11111111-2222-4333-8444-555555555555'], scalrAccounts: '*' }]);
    expect(loadConfig({ SCW_SECRET_KEY: KEY, GATEWAY_TOKENS: tokens }).auth).toEqual({
      mode: 'tokens',
      tokens: [{ name: 'finance', sha256: hash, organizations: ['11111111-2222-4333-8444-555555555555'], scalrAccounts: '*', arbitraryOperations: false }],
    });
    // A scope left out reads nothing, never everything.
    const bare = JSON.stringify([{ name: 'analyst', sha256: hash, arbitraryOperations: true }]);
    expect(loadConfig({ SCW_SECRET_KEY: KEY, GATEWAY_TOKENS: bare }).auth.tokens).toEqual([
      { name: 'analyst', sha256: hash, organizations: [], scalrAccounts: [], arbitraryOperations: true },
    ]);
    expect(problems({ SCW_SECRET_KEY: KEY, GATEWAY_TOKENS: '[{"name":"x","sha256":"plain-token"}]' })).toEqual([expect.stringMatching(/^GATEWAY_TOKENS entry 0: sha256 must be/)]);
    expect(problems({ SCW_SECRET_KEY: KEY, GATEWAY_TOKENS: 'nope' })).toEqual([expect.stringMatching(/^GATEWAY_TOKENS is not valid JSON/)]);
    expect(problems({ SCW_SECRET_KEY: KEY, GATEWAY_AUTH: 'tokens' })).toEqual([expect.stringMatching(/needs GATEWAY_TOKENS/)]);
    expect(problems({ SCW_SECRET_KEY: KEY, NODE_ENV: 'production', ...SIGNING })).toEqual([expect.stringMatching(/^GATEWAY_AUTH must be set in production/)]);
    expect(loadConfig({ SCW_SECRET_KEY: KEY, NODE_ENV: 'production', GATEWAY_AUTH: 'none', ...SIGNING }).auth.mode).toBe('none');
    expect(loadConfig({ SCW_SECRET_KEY: KEY }).auth.mode).toBe('none');
  });
});

describe('Scalr configuration', () => {
  it('is off without a token', () => {
    expect(loadConfig({ SCW_SECRET_KEY: KEY }).scalr).toBeUndefined();
  });

  it('reads host, token, accounts and the Prefer profile', () => {
    const config = loadConfig({
      SCW_SECRET_KEY: KEY,
      SCALR_HOSTNAME: 'acme.scalr.io',
      SCALR_TOKEN: 'tok',
      SCALR_ACCOUNT_ID: 'acc-v0abc123',
      SCALR_ACCOUNT_IDS: 'acc-v0child1, acc-v0child2',
    });
    expect(config.scalr).toEqual({
      baseUrl: 'https://acme.scalr.io/api/iacp/v3',
      token: 'tok',
      defaultAccountId: 'acc-v0abc123',
      accountIds: ['acc-v0child1', 'acc-v0child2'],
      preferProfile: 'preview',
      pageSize: 100,
    });
    expect(loadConfig({ SCW_SECRET_KEY: KEY, SCALR_TOKEN: 'tok', SCALR_PREFER_PROFILE: '' }).scalr?.preferProfile).toBeUndefined();
    expect(loadConfig({ SCW_SECRET_KEY: KEY, SCALR_TOKEN: 'tok', SCALR_HOSTNAME: 'http://127.0.0.1:9999' }).scalr?.baseUrl).toBe('http://127.0.0.1:9999/api/iacp/v3');
  });

  it('refuses a SCALR_HOSTNAME that is no http(s) host, and a HOST that is no host', () => {
    for (const host of ['ftp://acme.scalr.io', 'file:///etc/passwd', 'javascript:alert(1)', 'acme scalr.io', 'acme.scalr.io/../x?y']) {
      expect(problems({ SCW_SECRET_KEY: KEY, SCALR_TOKEN: 'tok', SCALR_HOSTNAME: host }), host).toContain('SCALR_HOSTNAME must be a host name (acme.scalr.io) or an http(s) URL');
    }
    for (const host of ['exa mple', 'http://x']) {
      expect(problems({ SCW_SECRET_KEY: KEY, HOST: host }), host).toContain('HOST must be a host name or an IP address to listen on');
    }
    for (const host of ['0.0.0.0', '::', '127.0.0.1', 'localhost', 'gateway.internal']) expect(loadConfig({ SCW_SECRET_KEY: KEY, HOST: host }).host).toBe(host);
  });

  it('names bad Scalr variables without echoing the token', () => {
    const list = problems({ SCW_SECRET_KEY: KEY, SCALR_TOKEN: 'very-secret', SCALR_ACCOUNT_ID: 'account-1', SCALR_PAGE_SIZE: '500', SCALR_PREFER_PROFILE: 'pre view' });
    for (const name of ['SCALR_ACCOUNT_ID', 'SCALR_PAGE_SIZE', 'SCALR_PREFER_PROFILE']) expect(list.some((p) => p.startsWith(name))).toBe(true);
    expect(list.join('\n')).not.toContain('very-secret');
  });
});

describe('Scaleway CLI config file', () => {
  const file = `# written by scw init
access_key: SCWXXXXXXXXXXXXXXXXX
secret_key: ${KEY}
default_organization_id: 11111111-2222-4333-8444-555555555555
active_profile: finance
profiles:
  finance:
    secret_key: "99999999-0000-4000-8000-000000000000"
  other:
    api_url: https://api.other.test
`;
  const read = (path: string) => {
    if (path === '/home/u/.config/scw/config.yaml' || path === '/etc/scw.yaml') return file;
    throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  };

  it('uses the active profile, falling back to top-level keys', () => {
    expect(readScwProfile({ HOME: '/home/u' }, read)).toEqual({
      secret_key: '99999999-0000-4000-8000-000000000000',
      default_organization_id: '11111111-2222-4333-8444-555555555555',
      api_url: undefined,
    });
    expect(readScwProfile({ SCW_CONFIG_PATH: '/etc/scw.yaml', SCW_PROFILE: 'other' }, read)).toMatchObject({
      secret_key: KEY,
      api_url: 'https://api.other.test',
    });
  });

  it('takes an empty variable as unset: the profile still fills it (an empty SCW_SECRET_KEY does not start demo mode)', () => {
    const config = load({ HOME: '/home/u', SCW_SECRET_KEY: '', SCW_DEFAULT_ORGANIZATION_ID: '  ' }, (env) => readScwProfile(env, read));
    expect(config.demo).toBe(false);
    expect(config.scaleway.secretKey).toBe('99999999-0000-4000-8000-000000000000');
  });

  it('lets environment variables override the profile', () => {
    const config = load({ HOME: '/home/u', SCW_DEFAULT_ORGANIZATION_ID: 'aaaaaaaa-2222-4333-8444-555555555555' }, (env) => readScwProfile(env, read));
    expect(config.demo).toBe(false);
    expect(config.scaleway.secretKey).toBe('99999999-0000-4000-8000-000000000000');
    expect(config.scaleway.defaultOrganizationId).toBe('aaaaaaaa-2222-4333-8444-555555555555');
  });

  it('reads YAML as YAML: quoted values holding #, anchors, multi-line values; refuses a file that is not YAML', () => {
    const yaml = `secret_key: &key "${KEY}"
api_url: 'https://api.example.test/#not-a-comment'
profiles:
  base: &base
    default_organization_id: 11111111-2222-4333-8444-555555555555
  team:
    <<: *base
    secret_key: *key
    note: >
      a value written
      on two lines
active_profile: team
`;
    const profile = readScwProfile({ SCW_CONFIG_PATH: '/x.yaml' }, () => yaml);
    expect(profile).toEqual({ secret_key: KEY, default_organization_id: '11111111-2222-4333-8444-555555555555', api_url: 'https://api.example.test/#not-a-comment' });
    expect(problems({ SCW_CONFIG_PATH: '/bad.yaml' }, (e) => readScwProfile(e, () => 'a: [unclosed'))).toEqual([expect.stringMatching(/^SCW_CONFIG_PATH names a file that is not valid YAML/)]);
  });

  it('ignores a missing default file but not a missing explicit one or an unknown profile', () => {
    expect(readScwProfile({ HOME: '/nowhere' }, read)).toBeUndefined();
    expect(problems({ SCW_CONFIG_PATH: '/missing.yaml' }, (e) => readScwProfile(e, read))).toEqual([expect.stringMatching(/^SCW_CONFIG_PATH names a file that cannot be read/)]);
    expect(problems({ HOME: '/home/u', SCW_PROFILE: 'nope' }, (e) => readScwProfile(e, read))).toEqual([expect.stringMatching(/profile "nope"/)]);
  });
});
