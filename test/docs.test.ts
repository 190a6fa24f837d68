import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The README stays short, and every relative link of it and of docs/ leads somewhere, anchors included. */
const root = fileURLToPath(new URL('..', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(join(root, path), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
}

describe('docs', () => {
  it('keeps the README under 12 kB', () => {
    expect(readFileSync(join(root, 'README.md')).length).toBeLessThan(12_000);
  });

  it('has every relative link lead to a file, and every anchor to a heading', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of pages) {
      const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        links++;
        const [path, hash] = target!.split('#') as [string, string | undefined];
        const file = path ? resolve(root, dirname(page), path) : join(root, page);
        if (!existsSync(file)) broken.push(`${page}: ${target}`);
        else if (hash && file.endsWith('.md') && !anchorsOf(file.slice(root.length)).has(hash)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(30);
  });

  it('says nothing of files beside the repository', () => {
    for (const page of pages) expect(readFileSync(join(root, page), 'utf8'), page).not.toMatch(/\.\.\/shared|shared\/upstreams|shared\/design/);
  });
});
