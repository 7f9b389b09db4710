/**
 * The invite dialog's typeahead: people whose name, last name or email starts with the query.
 * Three index range scans (person.name_key, person.last_name_key, person.email), each bounded
 * by the limit: fast on a million people on both databases.
 */
import type { PersonSuggestion } from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { findMemberships, getManagedCommunity } from '../memberships/index.js';
import { searchPeopleRows } from './people-search.repository.js';

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
