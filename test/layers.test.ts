import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ (docs/architecture.md), kept by this test, not by memory: every import points
 * down (or within its layer), no module imports itself back through others, and the simulator is
 * apart (it reads lib/ only; only main.ts starts it, for demo mode). No exceptions.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

/** Lowest first; a module may import its own layer and those below. */
const LAYERS: [name: string, matches: (path: string) => boolean][] = [
  ['lib', (p) => p.startsWith('src/lib/')],
  ['config', (p) => p.startsWith('src/config/')],
  ['observe', (p) => p.startsWith('src/observe/')],
  ['fleet', (p) => p.startsWith('src/fleet/')],
  ['upstreams', (p) => p.startsWith('src/upstreams/')],
  ['domain', (p) => p.startsWith('src/access/') || p.startsWith('src/pagination/') || p.startsWith('src/reports/') || p.startsWith('src/reconcile/') || p.startsWith('src/focus/') || p === 'src/errors.ts' || p === 'src/clients.ts'],
  ['context', (p) => p === 'src/context.ts'],
  ['schema', (p) => p === 'src/builder.ts' || p.startsWith('src/schema/')],
  ['http', (p) => p.startsWith('src/http/') || p === 'src/gateway.ts'],
  ['main', (p) => p === 'src/main.ts'],
];

function files(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []));
}

/** Relative imports of a module (static, re-exports, dynamic), as paths from the root. */
function importsOf(path: string): string[] {
  const text = readFileSync(join(root, path), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\s)(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => relative(root, resolve(root, dirname(path), s)).replace(/\.js$/, '.ts'));
}

const layerOf = (path: string) => LAYERS.findIndex(([, matches]) => matches(path));
const modules = files('src');
const graph = new Map(modules.map((m) => [m, importsOf(m)]));

describe('layers', () => {
  it('places every module of src/ in a layer (the simulator apart)', () => {
    expect(modules.filter((m) => layerOf(m) < 0 && !m.startsWith('src/simulator/'))).toEqual([]);
    expect(modules.length).toBeGreaterThan(50);
  });

  it('imports only its own layer and those below it', () => {
    const against: string[] = [];
    for (const [from, targets] of graph) {
      if (from.startsWith('src/simulator/')) continue;
      for (const to of targets) {
        if (to.startsWith('src/simulator/')) {
          if (from !== 'src/main.ts') against.push(`${from} → ${to} (only main.ts starts the simulator)`);
          continue;
        }
        if (!to.startsWith('src/')) against.push(`${from} → ${to} (outside src/)`);
        else if (layerOf(to) > layerOf(from)) against.push(`${from} (${LAYERS[layerOf(from)]![0]}) → ${to} (${LAYERS[layerOf(to)]![0]})`);
      }
    }
    expect(against).toEqual([]);
  });

  it('keeps the simulator apart: it reads lib/ and itself only', () => {
    const outside = [...graph].filter(([m]) => m.startsWith('src/simulator/')).flatMap(([m, targets]) => targets.filter((t) => !t.startsWith('src/simulator/') && !t.startsWith('src/lib/')).map((t) => `${m} → ${t}`));
    expect(outside).toEqual([]);
  });

  it('has no circle of imports', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, path: string[]) => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        circles.push([...path.slice(path.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const to of graph.get(m) ?? []) visit(to, [...path, m]);
      state.set(m, 'done');
    };
    for (const m of modules) visit(m, []);
    expect(circles).toEqual([]);
  });

  it('finds an import against the layers and a circle (the check itself works)', () => {
    expect(layerOf('src/context.ts')).toBeGreaterThan(layerOf('src/pagination/offset.ts'));
    expect(importsOf('src/context.ts')).toContain('src/pagination/offset.ts');
    expect(importsOf('src/gateway.ts')).toContain('src/http/auth.ts');
  });
});
