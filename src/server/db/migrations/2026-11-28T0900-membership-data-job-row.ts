/**
 * An invitation made by a data job names the CSV row that made it (`data_job_row`), and the job's
 * index covers (job, row) instead of (job, state), for data jobs' invitations only. A bulk invite
 * then writes no result row for a row it invited: the log reads the staged rows, and a processed
 * row without a result row is `invited`, its person and community read from the invitation by
 * (job, row), so an invite job writes result rows only for its exceptions
 * (src/server/data-tools/README.md). Undo's `data_job_id = ? AND state = 'invited'`
 * reads the job's entries of the index.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('membership').addColumn('data_job_row', 'integer').execute();
  await db.schema.dropIndex('membership_data_job_idx').execute();
  // Partial: most memberships come from no data job, and a NULL-heavy index's statistics made
  // SQLite's planner scan membership for `data_job_id = ?` (a full table scan per log page); it
  // also spares every other membership write an index entry.
  await db.schema
    .createIndex('membership_data_job_idx')
    .on('membership')
    .columns(['data_job_id', 'data_job_row'])
    .where(sql.ref('data_job_id'), 'is not', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_data_job_idx').execute();
  await db.schema.createIndex('membership_data_job_idx').on('membership').columns(['data_job_id', 'state']).execute();
  await db.schema.alterTable('membership').dropColumn('data_job_row').execute();
}
