/**
 * Data Tools: a flag for uploads still arriving (their staged rows are hidden and swept if the
 * upload never finishes), and the index the job list pages on.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('data_job')
    .addColumn('uploading', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('data_job_created_idx')
    .on('data_job')
    .columns(['uploading', 'created_at', 'id'])
    .execute();
}
