/**
 * `npm run bench [-- scenario…]`: runs every scenario in bench/scenarios (or the named ones),
 * prints a table, and writes bench/results/latest.json (name, value, unit, db).
 * Each scenario exports `run(): Promise<BenchFigure[]>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchFigure } from './lib/figures.js';

const dir = path.resolve('bench/scenarios');
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length ? wanted : available;
const figures: BenchFigure[] = [];
const failures: string[] = [];
for (const name of chosen) {
  const started = Date.now();
  process.stderr.write(`\n== ${name}\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as {
      run: () => Promise<BenchFigure[]>;
    };
    const out = await mod.run();
    figures.push(...out);
    for (const f of out) process.stderr.write(`   ${f.name} = ${f.value} ${f.unit} (${f.db})\n`);
  } catch (error) {
    failures.push(name);
    process.stderr.write(`   FAILED: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.stderr.write(`   (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const width = Math.max(...figures.map((f) => f.name.length), 10);
console.log(`\n${'figure'.padEnd(width)}  ${'value'.padStart(12)}  unit       db`);
for (const f of figures)
  console.log(
    `${f.name.padEnd(width)}  ${String(f.value).padStart(12)}  ${f.unit.padEnd(9)}  ${f.db}${f.note ? `  (${f.note})` : ''}`,
  );
fs.mkdirSync(path.resolve('bench/results'), { recursive: true });
const out = { at: new Date().toISOString(), node: process.version, figures };
fs.writeFileSync(path.resolve('bench/results/latest.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('\nWritten: bench/results/latest.json');
if (failures.length) {
  console.error(`Failed scenarios: ${failures.join(', ')}`);
  process.exit(1);
}
