import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The keys of a Scaleway CLI profile this gateway uses. */
export interface ScwProfile {
  secret_key?: string;
  default_organization_id?: string;
  api_url?: string;
}

type Flat = Record<string, string>;

/**
 * Parses the subset of YAML the Scaleway CLI writes to `config.yaml`: top-level `key: value`
 * pairs, `active_profile`, and `profiles:` with one map per profile. Anything else is ignored.
 */
export function parseScwConfig(text: string): { root: Flat; active?: string; profiles: Record<string, Flat> } {
  const root: Flat = {};
  const profiles: Record<string, Flat> = {};
  let inProfiles = false;
  let current: Flat | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '');
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^([\w-]+):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, key, rawValue] = m as unknown as [string, string, string];
    const value = rawValue.replace(/^(['"])(.*)\1$/, '$2');
    if (indent === 0) {
      inProfiles = key === 'profiles' && value === '';
      current = undefined;
      if (!inProfiles && value !== '') root[key] = value;
    } else if (inProfiles && value === '') {
      profiles[key] = current = {};
    } else if (current) {
      current[key] = value;
    }
  }
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
  const config = parseScwConfig(text);
  const name = env.SCW_PROFILE?.trim() || config.active;
  if (name && !config.profiles[name]) throw new Error(`Scaleway profile "${name}" is not in ${path}`);
  const merged = { ...config.root, ...(name ? config.profiles[name] : {}) };
  return { secret_key: merged.secret_key, default_organization_id: merged.default_organization_id, api_url: merged.api_url };
}
