/** The (de/re)activation kinds' look-up: the people a batch's keys name. */
import type { DbOrTrx } from '../../../db/db.js';
import { inJsonList } from '../../engine/bulk.repository.js';

/** The people whose `column` is one of `keys` (numbers for the id columns), with that column as `key`. */
export async function findPeopleByKey(
  db: DbOrTrx,
  column: 'unique_id' | 'preverification_id' | 'id',
  keys: readonly (string | number)[],
  numeric: boolean,
) {
  if (!keys.length) return [];
  return db
    .selectFrom('person')
    .select(['id', 'status', 'is_admin', `${column} as key`])
    .where(inJsonList(db, `person.${column}`, keys, numeric ? 'int' : 'text'))
    .execute();
}
