/**
 * A data job writes many result rows and the log reads them a page at a time. A (job, outcome,
 * row) index would make every one of those writes update a second tree to speed up only the log's
 * outcome filter; the filter reads the job's rows in order and skips the others instead. A page
 * of the rarest outcome may read the whole job once, which costs one admin's click, not every
 * write of every job.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('data_job_result_outcome_idx').ifExists().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('data_job_result_outcome_idx')
    .on('data_job_result')
    .columns(['data_job_id', 'outcome', 'row_number'])
    .execute();
}
