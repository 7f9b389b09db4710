#!/usr/bin/env node
/* global process, console */
/**
 * Run after `vite build` (`npm run build`): writes a brotli (.br) and a gzip (.gz) copy next to each
 * compressible file in dist/web, so that the server sends them as they are (@fastify/static's
 * `preCompressed`) instead of compressing on every request. A copy that is not smaller is not kept.
 *
 *   node scripts/compress-web.mjs [dir]   # dir defaults to dist/web
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map', '.webmanifest']);
/** below this, headers outweigh the saving */
const minBytes = 1024;

const dir = path.resolve(process.argv[2] ?? 'dist/web');
if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist; run vite build first`);

const files = fs
  .readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && compressible.has(path.extname(entry.name)))
  .filter((entry) => !path.relative(dir, entry.parentPath).startsWith('.')) // .vite/manifest.json is for the server
  .map((entry) => path.join(entry.parentPath, entry.name));

let before = 0;
let afterBrotli = 0;
let written = 0;
await Promise.all(
  files.map(async (file) => {
    const bytes = fs.readFileSync(file);
    before += bytes.length;
    if (bytes.length < minBytes) {
      afterBrotli += bytes.length;
      return;
    }
    const [br, gz] = await Promise.all([
      brotli(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
      gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }),
    ]);
    afterBrotli += Math.min(br.length, bytes.length);
    for (const [ext, out] of [
      ['.br', br],
      ['.gz', gz],
    ]) {
      if (out.length >= bytes.length) continue;
      fs.writeFileSync(file + ext, out);
      written++;
    }
  }),
);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(
  `compress-web: ${files.length} files, ${written} compressed copies; ${kb(before)} → ${kb(afterBrotli)} with brotli`,
);
