/**
 * Runs the named npm scripts (the static checks: type check, lint, format check) at the same time
 * and prints each one's output whole, in the order named, once it ends. Each check keeps one core
 * busy, so on a machine with two or more they finish in the time of the longest. Exits non-zero
 * when any check failed.
 *
 *   node test/run-checks.mjs typecheck lint format:check
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import process from 'node:process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: node test/run-checks.mjs <npm script>...\n');
  process.exit(2);
}

const started = Date.now();
const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const output = [];
      const child = spawn('npm', ['run', script], {
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: process.platform === 'win32',
      });
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      child.on('error', (error) =>
        resolve({
          script,
          code: 1,
          output: [Buffer.from(`${error.message}\n`)],
          seconds: (Date.now() - started) / 1000,
        }),
      );
      child.on('close', (code, signal) =>
        resolve({ script, code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 }),
      );
    }),
);

let failed = 0;
for (const run of runs) {
  const { script, code, output, seconds } = await run;
  process.stdout.write(Buffer.concat(output));
  if (code === 0) process.stdout.write(`✓ ${script} (${seconds.toFixed(1)} s)\n`);
  else {
    failed += 1;
    process.stdout.write(`✗ ${script} exited with ${code}\n`);
  }
}
process.exit(failed ? 1 : 0);
