import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildExplorer, sizeTable } from '../../scripts/build-explorer.js';

/**
 * The explorer's built files are committed (a fresh clone and the Docker image serve them with no
 * build step): they must be what esbuild builds from explorer/src now, byte for byte, and the sizes
 * docs/explorer.md states must be theirs.
 */
const dist = new URL('../../explorer/dist/', import.meta.url);

describe('explorer build', () => {
  let built: Map<string, Uint8Array>;

  it('has committed exactly what esbuild builds from explorer/src (run `npm run explorer`)', async () => {
    built = await buildExplorer();
    expect(readdirSync(dist).sort(), 'explorer/dist drifted: run npm run explorer').toEqual([...built.keys()]);
    for (const [name, bytes] of built) {
      expect(Buffer.from(readFileSync(new URL(name, dist))).equals(Buffer.from(bytes)), `explorer/dist/${name} drifted: run npm run explorer`).toBe(true);
    }
  }, 60_000);

  it('states the files’ sizes in docs/explorer.md, raw and gzipped (run `npm run explorer`)', () => {
    const docs = readFileSync(new URL('../../docs/explorer.md', import.meta.url), 'utf8');
    expect(docs).toContain(`<!-- sizes: written by npm run explorer -->\n${sizeTable(built)}<!-- /sizes -->`);
    expect(sizeTable(built)).toMatch(/^\| script \(`main-[0-9A-F]{8}\.js`\) \| [\d,]+ \| [\d,]+ \|$/m);
  });
});
