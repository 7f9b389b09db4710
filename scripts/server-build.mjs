#!/usr/bin/env node
/* global process, console */
/**
 * The server compiled to JavaScript: every source file of src/server and src/shared (tests
 * left out) becomes one .js file under dist/, in the same folders, so relative imports and
 * paths next to a module (the migrations, the look-up thread's file) hold as they are. Plain
 * .js sources are copied. `npm run build` runs it, and `bin/convene.js` runs the result while
 * it is up to date with the sources.
 *
 * Why: through tsx's loader every process also ran a loader thread with its own V8 heap and
 * kept every module's source map; a served process started in 1.3 s with 190 MB resident
 * instead of 0.6 s with 120 MB (docs/decisions.md).
 *
 *   node scripts/server-build.mjs          # writes dist/server, dist/shared and dist/server-build.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** the server's source folders, relative to the repository's root */
export const serverRoots = ['src/server', 'src/shared'];

/** A source the build compiles or copies: not a test, not a declaration file. */
function isSource(name) {
  if (name.endsWith('.d.ts') || /\.test\.[jt]s$/.test(name)) return false;
  return name.endsWith('.ts') || name.endsWith('.js');
}

/** The sources under `roots` (absolute paths), with the newest modification time among them. */
export function listSources(roots = serverRoots, base = root) {
  const files = [];
  let newestMs = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && isSource(entry.name)) {
        files.push(full);
        newestMs = Math.max(newestMs, fs.statSync(full).mtimeMs);
      }
    }
  };
  for (const r of roots) walk(path.join(base, r));
  return { files: files.sort(), newestMs };
}

/**
 * Compiles `roots` into `outdir`, keeping their paths below `outbase` (TypeScript's types
 * removed file by file, as tsx does: the same code runs either way). Writes a stamp that
 * `isBuildFresh` compares with the sources.
 */
export async function buildServer({ roots = serverRoots, outdir = 'dist', outbase = 'src', base = root } = {}) {
  const { build } = await import('esbuild');
  const { files, newestMs } = listSources(roots, base);
  const out = path.resolve(base, outdir);
  const typescript = files.filter((f) => f.endsWith('.ts'));
  // Nothing left from an earlier build: a source removed or renamed since (a migration) must not run.
  for (const r of roots)
    fs.rmSync(path.join(out, path.relative(path.resolve(base, outbase), path.resolve(base, r))), {
      recursive: true,
      force: true,
    });
  await build({
    entryPoints: typescript,
    outdir: out,
    outbase: path.resolve(base, outbase),
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const f of files.filter((f) => f.endsWith('.js'))) {
    const to = path.join(out, path.relative(path.resolve(base, outbase), f));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(f, to);
  }
  const stamp = { roots, files: files.length, newestMs };
  fs.writeFileSync(path.join(out, 'server-build.json'), `${JSON.stringify(stamp)}\n`);
  return { files: files.length, outdir: out };
}

/**
 * True when `outdir` holds a build of exactly the current sources: the same number of files and
 * none changed since (a file added, removed or edited after the build makes it stale).
 */
export function isBuildFresh({ roots = serverRoots, outdir = 'dist', base = root } = {}) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.resolve(base, outdir, 'server-build.json'), 'utf8'));
  } catch {
    return false;
  }
  if (JSON.stringify(stamp.roots) !== JSON.stringify(roots)) return false;
  const { files, newestMs } = listSources(roots, base);
  return stamp.files === files.length && newestMs <= stamp.newestMs;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const { files, outdir } = await buildServer();
  console.log(
    `server: ${files} files compiled to ${path.relative(root, outdir)}/ in ${Math.round(performance.now() - started)} ms`,
  );
}
