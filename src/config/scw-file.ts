import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The keys of a Scaleway CLI profile this gateway uses. */
export interface ScwProfile {
  secret_key?: string;
  default_organization_id?: string;
  api_url?: string;
}

type Flat = Record<string, string>;

/** The string values of a YAML map (numbers and booleans as the CLI wrote them); anything else is left out. */
function flat(value: unknown): Flat {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? [[k, String(v)]] : [])),
  );
}

/**
 * The Scaleway CLI's `config.yaml` (YAML, read with the `yaml` package: quoting, comments, anchors
 * and multi-line values as YAML has them): top-level keys, `active_profile`, and `profiles:` with
 * one map per profile. Throws on a file that is not YAML.
 */
function parseScwConfig(text: string): { root: Flat; active?: string; profiles: Record<string, Flat> } {
  const document = parse(text, { merge: true }) as unknown;
  const top = document && typeof document === 'object' && !Array.isArray(document) ? (document as Record<string, unknown>) : {};
  const root = flat(top);
  const listed = top.profiles && typeof top.profiles === 'object' && !Array.isArray(top.profiles) ? (top.profiles as Record<string, unknown>) : {};
  const profiles = Object.fromEntries(Object.entries(listed).map(([name, p]) => [name, flat(p)]));
  return { root, active: root.active_profile, profiles };
}

/**
 * The active Scaleway profile, as the Go SDK resolves it: `SCW_PROFILE`, else `active_profile`,
 * else the top level; a named profile falls back to top-level keys it lacks. Returns undefined
 * when there is no file at the default path; an explicit `SCW_CONFIG_PATH` must exist.
 */
export function readScwProfile(env: Record<string, string | undefined>, read = (path: string) => readFileSync(path, 'utf8')): ScwProfile | undefined {
  const explicit = env.SCW_CONFIG_PATH?.trim();
  const path = explicit || join(env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config'), 'scw', 'config.yaml');
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    if (explicit) throw new Error(`SCW_CONFIG_PATH names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
  let config: ReturnType<typeof parseScwConfig>;
  try {
    config = parseScwConfig(text);
  } catch {
    throw new Error(`${explicit ? 'SCW_CONFIG_PATH names' : 'The Scaleway CLI config is'} a file that is not valid YAML (${path})`);
  }
  const name = env.SCW_PROFILE?.trim() || config.active;
  if (name && !config.profiles[name]) throw new Error(`Scaleway profile "${name}" is not in ${path}`);
  const merged = { ...config.root, ...(name ? config.profiles[name] : {}) };
  return { secret_key: merged.secret_key, default_organization_id: merged.default_organization_id, api_url: merged.api_url };
}
