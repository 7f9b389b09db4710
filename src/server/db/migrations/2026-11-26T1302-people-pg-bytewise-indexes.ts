/**
 * PostgreSQL: the Members tabs sort and search name, last name and email byte-wise (COLLATE "C"),
 * as SQLite does, so that a prefix is one index range whatever the database's collation; these
 * expression indexes serve those ranges and orders. SQLite needs nothing here.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  if (!pgOf(db)) return;
  // Expression indexes with a collation have no schema-builder form; PostgreSQL only.
  await sql`create index person_status_name_c_idx on person (status, (name_key collate "C"), id)`.execute(db);
  await sql`create index person_admin_name_c_idx on person (is_admin, (name_key collate "C"), id)`.execute(db);
  await sql`create index person_status_last_name_c_idx on person (status, (last_name_key collate "C"), (name_key collate "C"), id)`.execute(
    db,
  );
  await sql`create index person_status_email_c_idx on person (status, (email collate "C"), (name_key collate "C"), id)`.execute(
    db,
  );
}
