/**
 * The invite dialog's typeahead: people whose name, last name or email starts with the query.
 * Three index range scans (person.name_key, person.last_name_key, person.email), each bounded
 * by the limit: fast on a million people on both databases.
 */
import type { MembershipState, PersonStatus } from '../../shared/enums.js';
import type { PersonSuggestion, SuggestionRefusal } from '../../shared/invitations.js';
import { limits } from '../../shared/limits.js';
import type { Caller } from '../http/caller.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { decideInvite, findMemberships, getManagedCommunity, type InviteRefusal } from '../memberships/index.js';
import { searchPeopleRows } from './people-search.repository.js';

/**
 * Admins may search the whole site; a community's leaders, when they name that community.
 * A leader gets a narrower answer (see personSuggestionSchema): no address, no status, no admin
 * flag. Pending and inactive people still appear, as "unavailable": the invite itself would
 * refuse them anyway, and one word for both keeps apart what a leader may not tell apart.
 */
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
  const full = caller.person.is_admin === 1;
  return rows.map((r) => {
    const membershipState: MembershipState | null = memberships.get(r.id)?.state ?? null;
    const refusal = suggestionRefusal(r.status, membershipState);
    const answer: PersonSuggestion = {
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      memberType: r.member_type,
      emailHint: r.email === null ? null : maskEmail(r.email),
      canInvite: refusal === null,
      cannotInviteReason: refusal,
      membershipState,
    };
    return full ? { ...answer, email: r.email, status: r.status, isAdmin: r.is_admin === 1 } : answer;
  });
}

const refusalWords: Readonly<Record<InviteRefusal, SuggestionRefusal>> = Object.freeze({
  already_member: 'already_member',
  already_invited: 'already_invited',
  person_pending: 'unavailable',
  person_inactive: 'unavailable',
});

function suggestionRefusal(status: PersonStatus, state: MembershipState | null): SuggestionRefusal | null {
  const decision = decideInvite(status, state);
  return decision.invite ? null : refusalWords[decision.reason];
}

/** `jane@example.org` → `j•••@example.org`: enough to tell two Janes apart, not to write to one. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}
