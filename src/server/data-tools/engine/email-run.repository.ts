/** The runs of "Email these invitees" of an invite job (`data_job_email_run`), newest first. */
import type { DbOrTrx } from '../../db/db.js';
import type { DataJobEmailRunTable } from '../../db/schema.js';
import type { Insertable, Selectable } from 'kysely';

export async function insertEmailRun(db: DbOrTrx, run: Insertable<DataJobEmailRunTable>): Promise<void> {
  await db.insertInto('data_job_email_run').values(run).execute();
}

export async function listEmailRuns(db: DbOrTrx, dataJobId: number): Promise<Selectable<DataJobEmailRunTable>[]> {
  return db
    .selectFrom('data_job_email_run')
    .selectAll()
    .where('data_job_id', '=', dataJobId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
}
