/**
 * A Data Tools row skipped as a duplicate names the earlier row of the file with the same key
 * ("duplicate of row N"); null for other outcomes and for logs written before this column.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('data_job_result').addColumn('duplicate_of', 'integer').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('data_job_result').dropColumn('duplicate_of').execute();
}
