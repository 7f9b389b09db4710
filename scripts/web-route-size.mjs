#!/usr/bin/env node
/* global process, console */
/**
 * What a visitor of one screen downloads: the entry chunk, the screen's chunk and every chunk they
 * import statically (what Vite preloads), with raw, gzip and brotli bytes. Reads a Vite manifest.
 *
 *   out=$(mktemp -d) && npx vite build --outDir "$out" --emptyOutDir --manifest
 *   node scripts/web-route-size.mjs "$out" landing/LandingPage.tsx [more screens…]
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [dir, ...screens] = process.argv.slice(2);
if (!dir)
  throw new Error(
    'usage: web-route-size.mjs <build dir with .vite/manifest.json> [screen source, relative to src/web]…',
  );
const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite', 'manifest.json'), 'utf8'));

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return seen;
}

function sizes(files) {
  const total = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dir, file));
    total.raw += bytes.length;
    total.gzip += zlib.gzipSync(bytes, { level: 9 }).length;
    total.brotli += zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return total;
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
for (const screen of screens.length ? screens : [null]) {
  if (screen && !manifest[screen]) throw new Error(`${screen} is not a chunk in the manifest`);
  const chunks = closure(screen ? [entry, screen] : [entry]);
  const js = [...chunks].map((key) => manifest[key].file);
  const css = [...new Set([...chunks].flatMap((key) => manifest[key].css ?? []))];
  const row = (label, s) =>
    `  ${label}: ${s.files} files, ${s.raw.toLocaleString('en')} B raw, ${s.gzip.toLocaleString('en')} B gzip, ${s.brotli.toLocaleString('en')} B brotli`;
  console.log(`${screen ?? entry} (with the entry)`);
  console.log(row('JS ', sizes(js)));
  console.log(row('CSS', sizes(css)));
}
