import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * `npm run explorer`: bundles the cost explorer (explorer/src) with esbuild into the static files
 * the gateway serves from explorer/dist: index.html, one script and one stylesheet named by their
 * content hash, and the icon; and their sizes into docs/explorer.md. The files are committed (a fresh
 * clone and the Docker image need no build step); test/explorer/build.test.ts rebuilds them and fails
 * when the committed bytes differ. `npm run codegen` runs it after writing the typed documents.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(root, 'explorer', 'dist');

/** The explorer's files as the build writes them: name → bytes. */
export async function buildExplorer(): Promise<Map<string, Uint8Array>> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'explorer/src/main.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    // Top-level await and class fields; numeric strings in Intl.NumberFormat need Chrome 106,
    // Firefox 116, Safari 15.4 anyway.
    target: 'es2022',
    outdir: 'explorer/dist',
    write: false,
    charset: 'utf8',
    // uPlot's licence line stays, at the end of the file.
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  // Named by a hash of their bytes alone (esbuild's [hash] also covers input paths, which differ
  // with a symlinked node_modules): the same bytes get the same name on every machine.
  for (const file of result.outputFiles) {
    const name = basename(file.path).replace(/^(\w+)\./, (_m, stem: string) => `${stem}-${createHash('sha256').update(file.contents).digest('hex').slice(0, 8).toUpperCase()}.`);
    files.set(name, file.contents);
  }
  const named = (ext: string) => [...files.keys()].find((name) => name.startsWith('main-') && name.endsWith(ext))!;
  const html = readFileSync(join(root, 'explorer', 'src', 'index.html'), 'utf8')
    .replace('{{main.js}}', named('.js'))
    .replace('{{main.css}}', named('.css'));
  files.set('index.html', new TextEncoder().encode(html));
  files.set('favicon.svg', readFileSync(join(root, 'explorer', 'src', 'favicon.svg')));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Bytes as the gateway sends them compressed (zlib, level 9). */
export const gzipped = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

const DOCS = join(root, 'docs', 'explorer.md');
const TABLE = /(<!-- sizes: written by npm run explorer -->\n)[\s\S]*?(<!-- \/sizes -->)/;

/**
 * docs/explorer.md's table of sizes, as the files are: any document codegen adds may change the
 * bundle's bytes (esbuild's short names follow the whole generated module), so the figures are
 * written here, with the files, and never go stale by hand.
 */
export function sizeTable(files: ReadonlyMap<string, Uint8Array>): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const rows: [string, string][] = [
    ['page', 'index.html'],
    ['script', [...files.keys()].find((f) => f.endsWith('.js'))!],
    ['stylesheet', [...files.keys()].find((f) => f.endsWith('.css'))!],
  ];
  let raw = 0;
  let zipped = 0;
  const lines = rows.map(([label, name]) => {
    const bytes = files.get(name)!;
    raw += bytes.length;
    zipped += gzipped(bytes);
    return `| ${label} (\`${name}\`) | ${n(bytes.length)} | ${n(gzipped(bytes))} |`;
  });
  return ['| file | bytes | gzipped |', '| --- | --- | --- |', ...lines, `| total | ${n(raw)} | ${n(zipped)} |`, ''].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildExplorer();
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  for (const [name, bytes] of files) {
    writeFileSync(join(DIST, name), bytes);
    console.log(`explorer/dist/${name}: ${bytes.length} bytes, ${gzipped(bytes)} gzipped`);
  }
  const docs = readFileSync(DOCS, 'utf8');
  if (!TABLE.test(docs)) throw new Error('docs/explorer.md has lost its size table markers');
  writeFileSync(DOCS, docs.replace(TABLE, (_m, open: string, close: string) => `${open}${sizeTable(files)}${close}`));
  console.log(`${readdirSync(DIST).length} files written; sizes in docs/explorer.md`);
}
