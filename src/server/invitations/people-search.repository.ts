/**
 * The typeahead's query: three bounded index range scans (person.name_key, person.last_name_key,
 * person.email) united, then the people, by name.
 */
import type { DbOrTrx } from '../db/db.js';

type PrefixColumn = 'name_key' | 'last_name_key' | 'email';

/**
 * One statement: three bounded index range scans (ids only, covered by the indexes) united, then
 * the people, by name. Range predicates instead of LIKE: both dialects use the btree index for
 * them (SQLite's LIKE is case-insensitive and skips the index; PostgreSQL's needs
 * text_pattern_ops).
 */
export async function searchPeopleRows(db: DbOrTrx, q: string, limit: number) {
  const end = `${q}\uffff`;
  // Emails are unique: ordering by email alone walks the unique index and stops at the limit,
  // where a tie-breaking id (which that index does not hold) would make PostgreSQL read and sort
  // every match of a common prefix before returning the first few.
  const scan = (column: PrefixColumn) => {
    const ordered = db.selectFrom('person').select('id').where(column, '>=', q).where(column, '<', end).orderBy(column);
    return (column === 'email' ? ordered : ordered.orderBy('id')).limit(limit);
  };
  const columnsToScan: PrefixColumn[] = q.includes(' ') ? ['name_key'] : ['name_key', 'last_name_key', 'email'];
  return db
    .selectFrom('person as p')
    .leftJoin('member_type as mt', 'mt.id', 'p.member_type_id')
    .select(['p.id', 'p.email', 'p.first_name', 'p.last_name', 'p.status', 'p.is_admin', 'p.name_key'])
    .select('mt.name as member_type')
    .where('p.id', 'in', (eb) => {
      const [first, ...rest] = columnsToScan.map((column, i) =>
        eb.selectFrom(scan(column).as(`s${i}`)).select(`s${i}.id` as 'id'),
      );
      return rest.reduce((union, next) => union.union(next), first);
    })
    .orderBy('p.name_key')
    .orderBy('p.id')
    .limit(limit)
    .execute();
}
