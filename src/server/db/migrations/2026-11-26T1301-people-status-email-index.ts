/**
 * Covering indexes for prefix search within a Members tab: (status, email, name_key) and
 * (status, last_name_key, name_key) give the matches with their sort key without reading rows.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('person_status_email_idx')
    .on('person')
    .columns(['status', 'email', 'name_key'])
    .execute();
  await db.schema.dropIndex('person_status_last_name_idx').execute();
  await db.schema
    .createIndex('person_status_last_name_idx')
    .on('person')
    .columns(['status', 'last_name_key', 'name_key'])
    .execute();
}
