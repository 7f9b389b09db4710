/** The update-people kind's look-ups: the people a batch's keys name, and who holds an email. */
import type { DbOrTrx } from '../../../db/db.js';
import { inJsonList } from '../../engine/bulk.repository.js';

export interface PersonToUpdate {
  readonly id: number;
  readonly key: string | number | null;
  readonly unique_id: string | null;
  readonly status: string;
  readonly email: string | null;
  readonly first_name: string;
  readonly last_name: string;
  readonly member_type_id: number | null;
}

/** The people whose `column` is one of `keys` (numbers for the id columns), with what a row may change. */
export async function findPeopleToUpdate(
  db: DbOrTrx,
  column: 'unique_id' | 'preverification_id' | 'id',
  keys: readonly (string | number)[],
  numeric: boolean,
): Promise<PersonToUpdate[]> {
  if (!keys.length) return [];
  return db
    .selectFrom('person')
    .select(['id', `${column} as key`, 'unique_id', 'status', 'email', 'first_name', 'last_name', 'member_type_id'])
    .where(inJsonList(db, `person.${column}`, keys, numeric ? 'int' : 'text'))
    .execute();
}

/** Who holds each of `emails` now: email → person id. */
export async function findEmailHolders(db: DbOrTrx, emails: readonly string[]): Promise<Map<string, number>> {
  if (!emails.length) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(['id', 'email'])
    .where(inJsonList(db, 'person.email', emails, 'text'))
    .execute();
  return new Map(rows.flatMap((r) => (r.email === null ? [] : [[r.email, r.id] as const])));
}
