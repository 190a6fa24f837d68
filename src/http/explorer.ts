import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'graphql-yoga';

/**
 * The cost explorer's static files: its page at `/` and its assets at `/explorer/<name>`, built by
 * `npm run explorer` into explorer/dist (committed). They are read once, at start-up, into a fixed
 * map of path → bytes: a request names a key of that map or gets nothing, so no path a caller
 * writes ever reaches the file system. The page is public (it holds no data); the data it asks
 * for goes through /graphql and its authentication.
 */

/** The built files, beside src/ or dist/ (as operations/ is). */
export const EXPLORER_DIST = new URL('../../explorer/dist/', import.meta.url);

/** What the page may load: its own origin only, no inline script or style, no frames. */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The only kinds of file served; any other in explorer/dist stops the start. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  /** The body gzipped, when that is smaller. */
  gzip?: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
  cacheControl: string;
}

export interface Explorer {
  /** path → file: `/` and `/explorer/<name>`, nothing else. */
  assets: ReadonlyMap<string, Asset>;
}

const loaded = new Map<string, Explorer>();

/**
 * Reads explorer/dist once per process (gzipped once too). Files named by their content hash
 * (`main-2AISCTJM.js`) never change: cached for a year; the page and the icon are revalidated.
 */
export function loadExplorer(dir: URL = EXPLORER_DIST): Explorer {
  const known = loaded.get(dir.href);
  if (known) return known;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    throw new Error(`The cost explorer is not built (${dir.pathname} is missing): run npm run explorer, or set EXPLORER=false`);
  }
  if (!names.includes('index.html')) throw new Error(`The cost explorer is not built (no index.html in ${dir.pathname}): run npm run explorer`);
  const assets = new Map<string, Asset>();
  for (const name of names) {
    const type = TYPES[extname(name)];
    if (!type || !/^[\w.-]+$/.test(name)) throw new Error(`explorer/dist holds a file the gateway does not serve: ${name} (rebuild with npm run explorer)`);
    const body = new Uint8Array(readFileSync(new URL(name, dir)));
    const gzip = gzipSync(body, { level: 9 });
    assets.set(name === 'index.html' ? '/' : `/explorer/${name}`, {
      body,
      gzip: gzip.length < body.length ? new Uint8Array(gzip) : undefined,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: /-[0-9A-F]{8}\.(js|css)$/.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  const explorer = { assets };
  loaded.set(dir.href, explorer);
  return explorer;
}

/** Headers of every answer under the explorer's paths. */
const SECURITY_HEADERS = {
  'content-security-policy': EXPLORER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Serves the explorer's files: GET and HEAD of a path of the map; 404 for any other `/explorer/…`. */
export function useExplorer(explorer: Explorer): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      const asset = explorer.assets.get(url.pathname);
      if (!asset) {
        if (url.pathname.startsWith('/explorer/') || url.pathname === '/explorer') {
          endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } }));
        }
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response('Use GET', { status: 405, headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } }));
        return;
      }
      const headers: Record<string, string> = { 'content-type': asset.type, 'cache-control': asset.cacheControl, etag: asset.etag, ...SECURITY_HEADERS };
      if (asset.gzip) headers.vary = 'Accept-Encoding';
      if ((request.headers.get('if-none-match') ?? '').split(/\s*,\s*/).includes(asset.etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const gzip = asset.gzip && /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '') ? asset.gzip : undefined;
      if (gzip) headers['content-encoding'] = 'gzip';
      const body = gzip ?? asset.body;
      headers['content-length'] = String(body.length);
      endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }));
    },
  };
}
