/** How fast a demo site is generated (convene demo): people per second on SQLite. */
import { createDb } from '../../src/server/db/db.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { generateSite } from '../../src/server/demo/generate.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round, type BenchFigure } from '../lib/figures.js';

export async function run(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-demo-'));
  const handle = createDb(`sqlite:${path.join(dir, 'demo.db')}`);
  await migrateToLatest(handle.db);
  const people = 100_000;
  const t0 = performance.now();
  await generateSite(handle.db, { people, communities: 200, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  await handle.close();
  fs.rmSync(dir, { recursive: true });
  return [
    { name: 'demo_100k.total_s', value: round(seconds), unit: 's', db: 'sqlite' },
    { name: 'demo_100k.people_per_s', value: Math.round(people / seconds), unit: 'rows/s', db: 'sqlite' },
  ];
}
