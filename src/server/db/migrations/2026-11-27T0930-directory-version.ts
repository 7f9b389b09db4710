/**
 * SQLite: a directory version — one number that triggers move on every change that can change
 * whom a person key or a Community ID names: a person added or removed, a person's status,
 * Unique ID or Pre-verification ID changed, a community added or removed. A bulk invite looks the
 * next batch's rows up on another thread, in another snapshot, while the current batch writes; it
 * uses those answers only if its own write transaction reads the same version (else it looks the
 * rows up again). PostgreSQL needs none of it (see src/server/data-tools/README.md).
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const bump = 'UPDATE directory_version SET version = version + 1 WHERE id = 1';

export async function up(db: AnyDb): Promise<void> {
  if (pgOf(db)) return;
  await sql`CREATE TABLE directory_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)`.execute(
    db,
  );
  await sql`INSERT INTO directory_version (id, version) VALUES (1, 0)`.execute(db);
  await sql.raw(`CREATE TRIGGER person_directory_insert AFTER INSERT ON person BEGIN ${bump}; END`).execute(db);
  await sql.raw(`CREATE TRIGGER person_directory_delete AFTER DELETE ON person BEGIN ${bump}; END`).execute(db);
  await sql
    .raw(
      `CREATE TRIGGER person_directory_update AFTER UPDATE OF status, unique_id, preverification_id ON person
    WHEN OLD.status IS NOT NEW.status OR OLD.unique_id IS NOT NEW.unique_id OR OLD.preverification_id IS NOT NEW.preverification_id
    BEGIN ${bump}; END`,
    )
    .execute(db);
  await sql.raw(`CREATE TRIGGER community_directory_insert AFTER INSERT ON community BEGIN ${bump}; END`).execute(db);
  await sql.raw(`CREATE TRIGGER community_directory_delete AFTER DELETE ON community BEGIN ${bump}; END`).execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (pgOf(db)) return;
  for (const t of [
    'person_directory_insert',
    'person_directory_delete',
    'person_directory_update',
    'community_directory_insert',
    'community_directory_delete',
  ]) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db);
  }
  await sql`DROP TABLE IF EXISTS directory_version`.execute(db);
}
