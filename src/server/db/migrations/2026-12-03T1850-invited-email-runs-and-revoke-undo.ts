/**
 * Issue 19: a Data Tools job's follow-up emails (`data_job_email_run`, one row per confirmed run:
 * how many were queued, at what rate, by whom) and the Revoke undo (`membership.revoked_by`,
 * `revoked_at`: who revoked an invitation and when, so that only a revoke just made by the same
 * person can be undone).
 */
import type { AnyDb } from '../migration-helpers.js';
import { withId } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('data_job_email_run'))
    .addColumn('data_job_id', 'integer', (c) => c.notNull())
    .addColumn('queued', 'integer', (c) => c.notNull())
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_send_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_job_email_run_job_idx')
    .on('data_job_email_run')
    .columns(['data_job_id', 'id'])
    .execute();
  await db.schema.alterTable('membership').addColumn('revoked_by', 'integer').execute();
  await db.schema.alterTable('membership').addColumn('revoked_at', 'bigint').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('membership').dropColumn('revoked_at').execute();
  await db.schema.alterTable('membership').dropColumn('revoked_by').execute();
  await db.schema.dropTable('data_job_email_run').execute();
}
