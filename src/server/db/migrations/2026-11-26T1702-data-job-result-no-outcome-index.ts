/**
 * A data job writes one result row per CSV row (a million for a million-row file) and the log
 * reads them a page at a time. The (job, outcome, row) index made every one of those writes
 * update a second tree — 1.35 s of a million-row job on SQLite — to speed up only the log's
 * outcome filter, which now reads the job's rows in order and skips the others: a page of the
 * rarest outcome of a million-row job reads the whole job once (64 ms measured on SQLite), an admin's click.
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
