/**
 * A failed data job keeps the code of why it stopped beside its message: `storage_full` marks a
 * job the database's full disk stopped, which an admin may resume once there is space again.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('data_job').addColumn('error_code', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('data_job').dropColumn('error_code').execute();
}
