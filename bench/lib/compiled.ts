/**
 * The benchmarks' child processes run compiled, as `convene` does in production
 * (scripts/server-build.mjs): bench/lib and the server's sources are compiled into bench/.build
 * (kept while up to date), and a child is started with plain `node`, with no TypeScript loader
 * in its memory or its start-up.
 */
import path from 'node:path';
import { buildServer, isBuildFresh, serverRoots } from '../../scripts/server-build.mjs';

const roots = [...serverRoots, 'bench/lib'];
const outdir = 'bench/.build';
let built: Promise<unknown> | undefined;

/** The path of bench/lib/<name>.ts compiled (compiling first when the sources changed). */
export async function compiledBenchChild(name: string): Promise<string> {
  built ??= isBuildFresh({ roots, outdir }) ? Promise.resolve() : buildServer({ roots, outdir, outbase: '.' });
  await built;
  return path.resolve(outdir, 'bench/lib', `${name}.js`);
}
