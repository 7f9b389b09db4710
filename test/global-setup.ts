/**
 * Vitest's globalSetup: migrates one template database per run, which every test file's fresh
 * database is copied from (SQLite: the file; PostgreSQL: CREATE DATABASE … TEMPLATE), instead of
 * running every migration again for each one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../src/server/db/db.js';
import { migrateToLatest } from '../src/server/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** a migrated SQLite file to copy */
    sqliteTemplate: string;
    /** the name of a migrated PostgreSQL database to copy, when TEST_DATABASE_URL is set */
    postgresTemplate: string | undefined;
  }
}

async function migrate(url: string): Promise<void> {
  const handle = createDb(url);
  try {
    await migrateToLatest(handle.db);
    // SQLite: fold the write-ahead log into the file, so a plain copy of the file is complete.
    if (handle.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(handle.db);
  } finally {
    await handle.close();
  }
}

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Stop before any test runs (test-db.ts says the same to a file run without this setup).
  if (process.env.REQUIRE_POSTGRES === '1' && !process.env.TEST_DATABASE_URL)
    throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL tests would be skipped.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-template-'));
  const sqliteTemplate = path.join(dir, 'template.db');
  await migrate(`sqlite:${sqliteTemplate}`);
  project.provide('sqliteTemplate', sqliteTemplate);

  let postgresTemplate: string | undefined;
  const pgAdminUrl = process.env.TEST_DATABASE_URL;
  if (pgAdminUrl) {
    postgresTemplate = `convene_template_${crypto.randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${postgresTemplate}`);
    const url = new URL(pgAdminUrl);
    url.pathname = `/${postgresTemplate}`;
    try {
      await migrate(url.toString());
    } catch (error) {
      await admin(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`);
      throw error;
    }
  }
  project.provide('postgresTemplate', postgresTemplate);

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (postgresTemplate) await admin(`DROP DATABASE IF EXISTS ${postgresTemplate} WITH (FORCE)`);
  };
}
