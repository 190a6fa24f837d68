import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExplorer, gzipped } from '../../scripts/build-explorer.js';

/**
 * The explorer's built files are committed (a fresh clone and the Docker image serve them with no
 * build step): they must be what esbuild builds from explorer/src now, byte for byte, and the sizes
 * docs/explorer.md states must be theirs.
 */
const dist = new URL('../../explorer/dist/', import.meta.url);
const docs = readFileSync(new URL('../../docs/explorer.md', import.meta.url), 'utf8');
const number = (text: string) => Number(text.replace(/,/g, ''));

describe('explorer build', () => {
  it('has committed exactly what esbuild builds from explorer/src (run `npm run explorer`)', async () => {
    const built = await buildExplorer();
    expect(readdirSync(dist).sort(), 'explorer/dist drifted: run npm run explorer').toEqual([...built.keys()]);
    for (const [name, bytes] of built) {
      expect(Buffer.from(readFileSync(new URL(name, dist))).equals(Buffer.from(bytes)), `explorer/dist/${name} drifted: run npm run explorer`).toBe(true);
    }
  }, 60_000);

  it('states the files’ sizes in docs/explorer.md, raw and gzipped', () => {
    const rows: [string, string][] = [
      ['page', 'index.html'],
      ['script', readdirSync(dist).find((f) => f.endsWith('.js'))!],
      ['stylesheet', readdirSync(dist).find((f) => f.endsWith('.css'))!],
    ];
    let raw = 0;
    let zipped = 0;
    for (const [label, name] of rows) {
      const bytes = readFileSync(new URL(name, dist));
      const m = new RegExp(`^\\| ${label} \\(\`[^\`]+\`\\) \\| ([\\d,]+) \\| ([\\d,]+) \\|`, 'm').exec(docs);
      expect(m, `docs/explorer.md: no size row for the ${label}`).not.toBeNull();
      expect([number(m![1]!), number(m![2]!)], `docs/explorer.md: the ${label}'s sizes`).toEqual([bytes.length, gzipped(bytes)]);
      raw += bytes.length;
      zipped += gzipped(bytes);
    }
    const total = /^\| total \| ([\d,]+) \| ([\d,]+) \|/m.exec(docs);
    expect([number(total![1]!), number(total![2]!)]).toEqual([raw, zipped]);
  });
});
