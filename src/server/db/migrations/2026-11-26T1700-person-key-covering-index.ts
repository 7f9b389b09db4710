/**
 * A data job looks every row's person up by Unique ID and needs only the id and the status: an
 * index that holds both answers from the index alone, where the unique index alone sends each of
 * a million lookups to a random page of the (much larger) person table.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  if (pgOf(db))
    await sql`CREATE INDEX person_unique_id_cover_idx ON person (unique_id) INCLUDE (id, status)`.execute(db);
  // SQLite: every index entry carries the rowid (the id) already.
  else
    await db.schema.createIndex('person_unique_id_cover_idx').on('person').columns(['unique_id', 'status']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('person_unique_id_cover_idx').ifExists().execute();
}
