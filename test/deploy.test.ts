import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * deploy/compose.yaml kept honest without a container engine (none runs here): it is parsed and
 * checked against what the code reads and exports. The gateway replicas set only variables the
 * configuration reads, share Redis and the signing keys, take every secret from the environment,
 * are scraped by Prometheus on the METRICS_PORT they set, are built from the repository's
 * Dockerfile, and the Grafana dashboard queries only metrics the gateway exports.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const deploy = join(root, 'deploy');
const text = (path: string) => readFileSync(join(root, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  command?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }> | string[];
}
interface Compose {
  services: Record<string, Service>;
}
interface Prometheus {
  scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
}

const composeText = text('deploy/compose.yaml');
// Compose resolves YAML merge keys (`<<: *gateway`) as the yaml package does with merge on.
const compose = parse(composeText, { merge: true }) as Compose;
const services = Object.entries(compose.services);
/** The replicas: services built from the repository. */
const gateways = services.filter(([, s]) => s.build !== undefined);
const env = (service: Service, name: string) => {
  const value = service.environment?.[name];
  return value === undefined || value === null ? undefined : String(value);
};

/** Every variable name src/config reads: `get('X')`, `int('X', …)`, `bool`, `url`, `uuid`, `env.X`. */
function variablesTheConfigReads(): Set<string> {
  const names = new Set<string>();
  const dir = join(root, 'src', 'config');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(/\b(?:get|int|bool|url|uuid)\(\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(m[1]!);
    for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]!);
  }
  return names;
}

/** Metric names the gateway registers (prom-client's `name:`), in the files that declare them. */
function exportedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of ['src/observe/metrics.ts', 'src/http/ops.ts']) {
    for (const m of text(file).matchAll(/\bname: '(billing_graph_[a-z0-9_]+)'/g)) names.add(m[1]!);
  }
  return names;
}

/** A Compose duration (`40s`, `1m30s`, `500ms`) in milliseconds. */
function durationMs(value: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
  expect(parts.map((p) => p[0]).join(''), `duration ${value}`).toBe(value);
  return parts.reduce((ms, p) => ms + Number(p[1]) * units[p[2]!]!, 0);
}

describe('deploy/compose.yaml', () => {
  it('runs two gateway replicas built from the repository Dockerfile, with the files it COPYs', () => {
    expect(gateways.map(([name]) => name)).toEqual(['gateway-a', 'gateway-b']);
    for (const [name, service] of gateways) {
      // Relative to the compose file's directory, as Compose resolves it.
      const context = resolve(deploy, service.build!.context);
      expect(context, name).toBe(resolve(root));
      const dockerfile = join(context, service.build!.dockerfile ?? 'Dockerfile');
      expect(existsSync(dockerfile), `${name}: ${dockerfile}`).toBe(true);
      for (const line of readFileSync(dockerfile, 'utf8').split('\n')) {
        const copy = /^COPY\s+(?!--from)(.+)\s+\S+$/.exec(line.trim());
        if (!copy) continue;
        for (const source of copy[1]!.split(/\s+/)) expect(existsSync(join(context, source)), `${name}: COPY ${source}`).toBe(true);
      }
    }
  });

  it('sets on the gateways only variables the configuration reads', () => {
    const read = variablesTheConfigReads();
    // The scan itself still sees the configuration (a rename there must not pass silently here).
    for (const name of ['NODE_ENV', 'REDIS_URL', 'METRICS_PORT', 'GATEWAY_SIGNING_KEYS', 'SCW_SECRET_KEY', 'DRAIN_DELAY_MS']) expect(read, name).toContain(name);
    for (const [name, service] of gateways) {
      const unknown = Object.keys(service.environment ?? {}).filter((variable) => !read.has(variable));
      expect(unknown, name).toEqual([]);
      // Production: an auth mode and signing keys are required, and no demo mode.
      expect(env(service, 'NODE_ENV'), name).toBe('production');
      expect(env(service, 'GATEWAY_AUTH'), name).toBeDefined();
      expect(env(service, 'GATEWAY_SIGNING_KEYS'), name).toBeDefined();
    }
  });

  it('has both replicas share Redis and the signing keys', () => {
    const [[, a], [, b]] = gateways as [[string, Service], [string, Service]];
    expect(env(a, 'REDIS_URL')).toBeDefined();
    expect(env(b, 'REDIS_URL')).toBe(env(a, 'REDIS_URL'));
    expect(env(b, 'GATEWAY_SIGNING_KEYS')).toBe(env(a, 'GATEWAY_SIGNING_KEYS'));
    // Every gateway variable is the same on both: the replicas differ by their host port only.
    expect(b.environment).toEqual(a.environment);
    const url = new URL(env(a, 'REDIS_URL')!);
    expect(url.protocol).toBe('redis:');
    const redis = compose.services[url.hostname];
    expect(redis?.image).toBe('redis:7');
    expect(redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    // No persistence: no RDB snapshots, no append-only file.
    expect(redis?.command?.join(' ')).toMatch(/--save {2}--appendonly no/);
    for (const [name, service] of gateways) expect((service.depends_on as Record<string, { condition: string }>)[url.hostname], name).toEqual({ condition: 'service_healthy' });
  });

  it('takes every secret from the environment, and lists every variable it reads in deploy/.env.example', () => {
    const secrets: [string, string, string][] = [
      ...gateways.flatMap(([name, s]): [string, string, string][] =>
        ['SCW_SECRET_KEY', 'GATEWAY_SIGNING_KEYS', 'GATEWAY_TOKENS', 'SCALR_TOKEN'].map((v) => [name, v, env(s, v) ?? '']),
      ),
      ['grafana', 'GRAFANA_ADMIN_PASSWORD', env(compose.services.grafana!, 'GF_SECURITY_ADMIN_PASSWORD') ?? ''],
    ];
    for (const [name, variable, value] of secrets) expect(value, `${name}: ${variable}`).toMatch(new RegExp(`^\\$\\{${variable}(?::?[-?][^}]*)?\\}$`));
    // Required ones refuse to start while unset or empty.
    for (const [name, s] of gateways) {
      expect(env(s, 'SCW_SECRET_KEY'), name).toMatch(/^\$\{SCW_SECRET_KEY:\?/);
      expect(env(s, 'GATEWAY_SIGNING_KEYS'), name).toMatch(/^\$\{GATEWAY_SIGNING_KEYS:\?/);
    }
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));
    const example = text('deploy/.env.example');
    const listed = new Map([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    expect([...interpolated].filter((v) => !listed.has(v))).toEqual([]);
    // An example holds no secret: those lines are empty.
    for (const variable of ['SCW_SECRET_KEY', 'GATEWAY_SIGNING_KEYS', 'GATEWAY_TOKENS', 'SCALR_TOKEN', 'GRAFANA_ADMIN_PASSWORD']) expect(listed.get(variable), variable).toBe('');
  });

  it('has Prometheus scrape each gateway service on the METRICS_PORT set on it, a port not published', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.image).toMatch(/^prom\/prometheus(:|$)/);
    expect(prometheus.volumes).toContain('./prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const config = parse(text('deploy/prometheus.yml')) as Prometheus;
    const targets = config.scrape_configs.flatMap((job) => {
      expect(job.metrics_path ?? '/metrics').toBe('/metrics');
      return job.static_configs.flatMap((c) => c.targets);
    });
    expect(targets.sort()).toEqual(gateways.map(([name, s]) => `${name}:${env(s, 'METRICS_PORT')}`).sort());
    for (const [name, service] of gateways) {
      const port = env(service, 'METRICS_PORT')!;
      expect(port, name).toMatch(/^\d+$/);
      // Reachable from another container: the metrics server listens on HOST.
      expect(env(service, 'HOST') ?? '0.0.0.0', name).toBe('0.0.0.0');
      expect((service.ports ?? []).filter((p) => p.split(':').at(-1) === port), name).toEqual([]);
      expect(service.ports?.some((p) => p.endsWith(`:${env(service, 'PORT')}`)), name).toBe(true);
    }
    expect(text('src/main.ts')).toMatch(/metricsServer\.listen\(config\.fleet\.metricsPort, config\.host/);
  });

  it('checks readiness on /ready and gives a stopping replica more than its drain and a request', () => {
    for (const [name, service] of gateways) {
      const check = service.healthcheck!.test.join(' ');
      expect(check, name).toContain(`http://127.0.0.1:${env(service, 'PORT')}/ready`);
      expect(check, name).not.toContain('$');
      const drain = Number(env(service, 'DRAIN_DELAY_MS'));
      const request = Number(env(service, 'REQUEST_TIMEOUT_MS'));
      expect(drain + request, name).toBeGreaterThan(0);
      expect(durationMs(service.stop_grace_period!), name).toBeGreaterThan(drain + request + 5_000);
    }
  });

  it('has Grafana chart only metrics the gateway exports, from the provisioned datasource', () => {
    const exported = exportedMetrics();
    expect(exported).toContain('billing_graph_upstream_requests_total');
    expect(exported).toContain('billing_graph_graphql_errors_total');
    const datasources = parse(text('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; url: string }[] };
    const uid = datasources.datasources[0]!.uid;
    expect(datasources.datasources[0]!.url).toBe('http://prometheus:9090');
    const dashboard = JSON.parse(text('deploy/grafana/dashboards/billing-graph.json')) as {
      panels: { title: string; datasource: { uid: string }; targets: { expr: string; datasource: { uid: string } }[] }[];
    };
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid, panel.title).toBe(uid);
      for (const target of panel.targets) {
        expect(target.datasource.uid, panel.title).toBe(uid);
        for (const m of target.expr.matchAll(/\bbilling_graph_[a-z0-9_]+/g)) used.add(m[0].replace(/_(bucket|count|sum)$/, ''));
      }
    }
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    for (const name of ['billing_graph_upstream_requests_total', 'billing_graph_upstream_request_duration_seconds', 'billing_graph_cache_requests_total', 'billing_graph_upstream_in_flight', 'billing_graph_upstream_queue_length', 'billing_graph_graphql_request_duration_seconds', 'billing_graph_graphql_errors_total', 'billing_graph_redis_errors_total']) {
      expect(used, name).toContain(name);
    }
    // The dashboards' folder is the one the provider reads.
    const grafana = compose.services.grafana!;
    const provider = parse(text('deploy/grafana/provisioning/dashboards/billing-graph.yml')) as { providers: { options: { path: string } }[] };
    expect(grafana.volumes).toContain(`./grafana/dashboards:${provider.providers[0]!.options.path}:ro`);
  });
});
