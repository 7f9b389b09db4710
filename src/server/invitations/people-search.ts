/**
 * The invite dialog's typeahead: people whose name, last name or email starts with the query.
 * Three index range scans (person.name_key, person.last_name_key, person.email), each bounded
 * by the limit: fast on a million people on both databases.
 */
import type { PersonSuggestion } from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import type { Caller } from '../auth/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';
import { findMemberships, getManagedCommunity } from '../memberships/index.js';

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
  // where a tie-breaking id (which that index does not hold) made PostgreSQL read and sort every
  // match of a common prefix.
  const scan = (column: PrefixColumn) => {
    const ordered = db.selectFrom('person').select('id').where(column, '>=', q).where(column, '<', end).orderBy(column);
    return (column === 'email' ? ordered : ordered.orderBy('id')).limit(limit);
  };
  const columnsToScan: PrefixColumn[] = q.includes(' ') ? ['name_key'] : ['name_key', 'last_name_key', 'email'];
  return db
    .selectFrom('person as p')
    .select(['p.id', 'p.email', 'p.first_name', 'p.last_name', 'p.status', 'p.name_key'])
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

/** Admins may search the whole site; a community's leaders, when they name that community. */
export async function searchPeople(
  ctx: AppContext,
  caller: Caller,
  input: { q: string; communityId?: number; limit?: number },
): Promise<PersonSuggestion[]> {
  if (input.communityId !== undefined) await getManagedCommunity(ctx.db, caller.person, input.communityId);
  else if (caller.person.is_admin !== 1)
    throw new AppError('forbidden', 'Name the community you are inviting to (communityId).');
  const q = input.q.trim().toLowerCase().replace(/\s+/g, ' ');
  if (q.length < limits.typeaheadMinChars) return [];
  const limit = Math.min(Math.max(input.limit ?? limits.typeaheadResults, 1), limits.typeaheadResults);
  const rows = await searchPeopleRows(ctx.db, q, limit);
  // The marks: each person's membership in the community being invited to, by its primary key.
  const memberships =
    input.communityId === undefined
      ? new Map()
      : await findMemberships(
          ctx.db,
          input.communityId,
          rows.map((r) => r.id),
        );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    status: r.status,
    membershipState: memberships.get(r.id)?.state ?? null,
  }));
}
