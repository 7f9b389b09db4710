/** The pre-verify kind's look-ups: people by Unique ID or email, and the people a job already wrote. */
import type { DbOrTrx } from '../../../db/db.js';
import { inJsonList } from '../../engine/bulk.repository.js';

interface Found {
  readonly id: number;
  readonly unique_id: string | null;
  readonly email: string | null;
}

/** The people whose `column` is one of `values`, by that value. */
export async function findPeopleBy(
  db: DbOrTrx,
  column: 'unique_id' | 'email',
  values: readonly string[],
): Promise<Map<string, Found>> {
  if (!values.length) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(['id', 'unique_id', 'email'])
    .where(inJsonList(db, `person.${column}`, values, 'text'))
    .execute();
  return new Map(rows.map((r) => [String(r[column]), r]));
}

/** The Unique IDs and emails of the people the job created or updated up to `upToRow`. */
export async function readPeopleOfJob(db: DbOrTrx, dataJobId: number, upToRow: number) {
  return db
    .selectFrom('data_job_result as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['p.unique_id', 'p.email', 'r.row_number'])
    .where('r.data_job_id', '=', dataJobId)
    .where('r.row_number', '<=', upToRow)
    .where('r.outcome', 'in', ['created', 'updated'])
    .execute();
}
