/**
 * Test databases: every test file gets its own fresh database — a real SQLite file in a temp
 * folder, and, when TEST_DATABASE_URL is set, a new PostgreSQL database created for it and
 * dropped afterwards — so nothing an earlier run left changes a result. A migrated one starts as a
 * copy of the template that test/global-setup.ts migrated once for the run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createRuntime, type Runtime } from '../bootstrap.js';
import { manualClock } from '../clock.js';
import { type Config, loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import type { Dialect } from '../db/db.js';

const pgAdminUrl = process.env.TEST_DATABASE_URL;
if (process.env.REQUIRE_POSTGRES === '1' && !pgAdminUrl) {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL tests would be skipped.');
}

/** The dialects this run tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const testDialects: readonly Dialect[] = pgAdminUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * A new database of its own; `migrated` starts it as a copy of the run's migrated template,
 * otherwise it is empty.
 */
export async function createTestDatabase(
  dialect: Dialect,
  options: { readonly migrated?: boolean } = {},
): Promise<TestDatabase> {
  const name = `convene_t_${crypto.randomBytes(6).toString('hex')}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-test-'));
    const file = path.join(dir, `${name}.db`);
    if (options.migrated) fs.copyFileSync(inject('sqliteTemplate'), file);
    return {
      url: `sqlite:${file}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!pgAdminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const template = options.migrated ? inject('postgresTemplate') : undefined;
  if (options.migrated && !template) throw new Error('no PostgreSQL template: test/global-setup.ts did not run');
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The test site's `PUBLIC_URL`; requests from its own pages carry it as their Origin. */
export const siteOrigin = 'http://localhost:3000';

export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return loadConfig(
    { NODE_ENV: 'test', DATABASE_URL: databaseUrl, PUBLIC_URL: siteOrigin },
    {
      secret: 'test-secret-0123456789abcdef0123456789abcdef',
      dataDir: os.tmpdir(),
      // each test site its own feeds directory (created when a feed first uses it)
      feedsDir: path.join(os.tmpdir(), 'convene-test-feeds', crypto.randomUUID()),
      ...overrides,
    },
  );
}

export interface TestRuntime extends Runtime {
  readonly clock: ReturnType<typeof manualClock>;
  readonly dialect: Dialect;
  readonly databaseUrl: string;
}

/** A migrated database and a context with a manual clock; close() drops the database. */
export async function createTestRuntime(dialect: Dialect, overrides: Partial<Config> = {}): Promise<TestRuntime> {
  const database = await createTestDatabase(dialect, { migrated: true });
  const clock = manualClock();
  const runtime = await createRuntime(testConfig(database.url, overrides), { clock });
  // A test database need not survive a power cut, so its commits skip the fsync: SQLite here, on
  // this connection; PostgreSQL by synchronous_commit, set on the database when it is made.
  if (dialect === 'sqlite') await sql`PRAGMA synchronous = OFF`.execute(runtime.ctx.db);
  return {
    ...runtime,
    clock,
    dialect,
    databaseUrl: database.url,
    close: async () => {
      await runtime.close();
      await database.drop();
      fs.rmSync(runtime.ctx.config.feedsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per test dialect, each against its own fresh database.
 * `t()` gives the runtime inside tests (after beforeAll).
 */
export function describeEachDb(
  name: string,
  suite: (t: () => TestRuntime & { ctx: AppContext }) => void,
  overrides: Partial<Config> = {},
): void {
  for (const dialect of testDialects) {
    describe(`${name} [${dialect}]`, () => {
      let runtime: TestRuntime | undefined;
      beforeAll(async () => {
        runtime = await createTestRuntime(dialect, overrides);
      });
      afterAll(async () => {
        await runtime?.close();
      });
      suite(() => {
        if (!runtime) throw new Error('test runtime not ready');
        return runtime;
      });
    });
  }
}
