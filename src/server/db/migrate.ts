/** Applies the timestamped migrations in ./migrations, in name order, on either dialect. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './db.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = fs
      .readdirSync(migrationsDir)
      // .ts from the sources, .js from the compiled server (scripts/server-build.mjs)
      .filter((f) => /^\d{4}-\d{2}-\d{2}T\d{4}-[\w-]+\.[jt]s$/.test(f))
      .sort();
    const out: Record<string, Migration> = {};
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
      out[file.replace(/\.[jt]s$/, '')] = mod;
    }
    return out;
  }
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  // Feature branches add migrations in parallel; a database that already ran a later-named one
  // must still take an earlier-named one that arrives afterwards. Each migration stands alone.
  const migrator = new Migrator({ db, provider: new FolderProvider(), allowUnorderedMigrations: true });
  // Nothing to apply: no lock. Kysely's migrator holds a session-level advisory lock on PostgreSQL,
  // which PgBouncer's transaction pooling cannot keep (it leaks on one server connection and every
  // later start waits on it for ever); a fleet starting through PgBouncer with its migrations
  // applied (`convene migrate`, run against PostgreSQL directly) never takes it.
  if ((await migrator.getMigrations()).every((m) => m.executedAt !== undefined)) return [];
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
