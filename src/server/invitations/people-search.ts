/**
 * The invite dialog's typeahead: people whose name, last name or email starts with the query.
 * Three index range scans (person.name_key, person.last_name_key, person.email), each bounded
 * by the limit, merged in memory: fast on a million people on both databases.
 */
import type { PersonSuggestion } from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import type { Caller } from '../auth/caller.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';
import { getManagedCommunity } from './community-access.js';

const columns = ['id', 'email', 'first_name', 'last_name', 'status', 'name_key'] as const;

async function prefixScan(db: DbOrTrx, column: 'name_key' | 'last_name_key' | 'email', q: string, limit: number) {
  // Range predicates instead of LIKE: both dialects use the btree index for them (SQLite's LIKE
  // is case-insensitive and skips the index; PostgreSQL's needs text_pattern_ops).
  return db.selectFrom('person').select(columns)
    .where(column, '>=', q).where(column, '<', `${q}\uffff`)
    .orderBy(column).orderBy('id').limit(limit).execute();
}

export async function searchPeopleRows(db: DbOrTrx, q: string, limit: number) {
  const scans = [prefixScan(db, 'name_key', q, limit), prefixScan(db, 'last_name_key', q, limit)];
  if (!q.includes(' ')) scans.push(prefixScan(db, 'email', q, limit));
  const byId = new Map<number, Awaited<ReturnType<typeof prefixScan>>[number]>();
  for (const rows of await Promise.all(scans)) for (const row of rows) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id)).slice(0, limit);
}

/** Admins may search the whole site; a community's leaders, when they name that community. */
export async function searchPeople(ctx: AppContext, caller: Caller, input: { q: string; communityId?: number; limit?: number }): Promise<PersonSuggestion[]> {
  if (input.communityId !== undefined) await getManagedCommunity(ctx.db, caller, input.communityId);
  else if (caller.person.is_admin !== 1) throw new AppError('forbidden', 'Name the community you are inviting to (communityId).');
  const q = input.q.trim().toLowerCase().replace(/\s+/g, ' ');
  if (q.length < limits.typeaheadMinChars) return [];
  const limit = Math.min(Math.max(input.limit ?? limits.typeaheadResults, 1), limits.typeaheadResults);
  const rows = await searchPeopleRows(ctx.db, q, limit);
  const states = new Map<number, string>();
  if (input.communityId !== undefined && rows.length) {
    const memberships = await ctx.db.selectFrom('membership').select(['person_id', 'state'])
      .where('community_id', '=', input.communityId).where('person_id', 'in', rows.map((r) => r.id)).execute();
    for (const m of memberships) states.set(m.person_id, m.state);
  }
  return rows.map((r) => ({
    id: r.id, email: r.email, firstName: r.first_name, lastName: r.last_name, status: r.status, membershipState: states.get(r.id) ?? null,
  }));
}
