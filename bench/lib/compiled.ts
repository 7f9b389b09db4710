/**
 * The benchmarks' child processes run compiled, as `convene` does in production
 * (scripts/server-build.mjs): bench/lib and the server's sources are compiled into bench/.build
 * (kept while up to date), and a child is started with plain `node`, with no TypeScript loader
 * in its memory or its start-up.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
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

/**
 * Runs bench/lib/<name>.ts compiled with `args` to its end, passes its stderr on, and answers the
 * JSON of its last line of stdout (the child's result).
 */
export async function runBenchChild<T>(name: string, args: readonly string[], timeoutMs: number): Promise<T> {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [await compiledBenchChild(name), ...args], {
    maxBuffer: 16 * 1024 * 1024,
    timeout: timeoutMs,
  });
  if (stderr.trim()) process.stderr.write(stderr);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as T;
}
