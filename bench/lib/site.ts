/**
 * Benchmark sites: a generated site (1,000,000 people, 1,000 communities by default) built once
 * and cached — a SQLite file under bench/data/, a template database on PostgreSQL — then copied
 * fresh for each scenario so that scenarios that write never see each other's rows.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createDb, type Dialect } from '../../src/server/db/db.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { generateSite } from '../../src/server/demo/generate.js';

export interface BenchSiteSpec {
  readonly people: number;
  readonly communities: number;
  readonly seed?: number;
  readonly membershipsPerPerson?: number;
}

export interface BenchSite {
  readonly url: string;
  readonly dialect: Dialect;
  readonly spec: Required<BenchSiteSpec>;
  drop(): Promise<void>;
}

export const benchDataDir = path.resolve('bench/data');

/** PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set and `dialect` asks for it. */
export function benchPgAdminUrl(): string | undefined {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
}

function keyOf(spec: Required<BenchSiteSpec>): string {
  // Every migration's name and text: a migration edited in place changes the site it builds.
  const folder = path.resolve('src/server/db/migrations');
  const migrations = fs
    .readdirSync(folder)
    .sort()
    .map((name) => `${name}\n${fs.readFileSync(path.join(folder, name), 'utf8')}`)
    .join('\n');
  const generator = fs.readFileSync(path.resolve('src/server/demo/generate.ts'), 'utf8');
  const hash = crypto
    .createHash('sha256')
    .update(JSON.stringify(spec))
    .update(migrations)
    .update(generator)
    .digest('hex')
    .slice(0, 10);
  return `site-${spec.people}-${spec.communities}-${hash}`;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** A fresh, migrated copy of the cached site for this dialect. */
export async function prepareBenchSite(dialect: Dialect, input: BenchSiteSpec): Promise<BenchSite> {
  const spec = { seed: 42, membershipsPerPerson: 1, ...input };
  const key = keyOf(spec);
  fs.mkdirSync(benchDataDir, { recursive: true });
  if (dialect === 'sqlite') {
    const cached = path.join(benchDataDir, `${key}.db`);
    if (!fs.existsSync(cached)) await build(`sqlite:${cached}.tmp`, spec, () => fs.renameSync(`${cached}.tmp`, cached));
    const copy = path.join(benchDataDir, `run-${crypto.randomBytes(4).toString('hex')}.db`);
    fs.copyFileSync(cached, copy);
    return {
      url: `sqlite:${copy}`,
      dialect,
      spec,
      drop: async () => {
        for (const s of ['', '-wal', '-shm']) fs.rmSync(copy + s, { force: true });
      },
    };
  }
  const admin = benchPgAdminUrl();
  if (!admin) throw new Error('Set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL benchmarks');
  const template = `convene_bench_${key.replace(/-/g, '_')}`;
  const run = `convene_bench_run_${crypto.randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  const exists = await client.query('select 1 from pg_database where datname = $1', [template]);
  if (!exists.rowCount) {
    await client.query(`CREATE DATABASE ${template}_tmp`);
    await build(withDb(admin, `${template}_tmp`), spec, () => {});
    await client.query(`ALTER DATABASE ${template}_tmp RENAME TO ${template}`);
  }
  await client.query(`CREATE DATABASE ${run} TEMPLATE ${template}`);
  await client.end();
  // A live site is vacuumed and analyzed by autovacuum; a freshly copied database has no planner
  // statistics and no visibility map, which would measure plans no real site runs.
  const runClient = new pg.Client({ connectionString: withDb(admin, run) });
  await runClient.connect();
  await runClient.query('VACUUM ANALYZE');
  // Copying the template and vacuuming it wrote WAL that a live site does not have pending: a
  // checkpoint now keeps the server from taking one (and full-page images after it) inside the
  // measured run on account of the copy. Needs a superuser or pg_checkpoint; skipped without.
  await runClient
    .query('CHECKPOINT')
    .catch((error: unknown) => process.stderr.write(`[bench] no CHECKPOINT before the run: ${String(error)}\n`));
  await runClient.end();
  return {
    url: withDb(admin, run),
    dialect,
    spec,
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`);
      await c.end();
    },
  };
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function build(url: string, spec: Required<BenchSiteSpec>, done: () => void): Promise<void> {
  const started = Date.now();
  log(
    `generating a site of ${spec.people.toLocaleString('en')} people and ${spec.communities} communities (cached for later runs)…`,
  );
  const handle = createDb(url);
  await migrateToLatest(handle.db);
  await generateSite(handle.db, spec);
  // Planner statistics, as a live site has them (SQLite: ANALYZE; PostgreSQL copies get VACUUM ANALYZE).
  if (url.startsWith('sqlite:')) await sql`ANALYZE`.execute(handle.db);
  await handle.close();
  done();
  log(`site ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
