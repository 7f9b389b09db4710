/** Reading people for the admin Members screen: tabs, search, a person's page, CSV export. */
import type { PersonDetail, PersonOrigin, PersonPage, PersonTab } from '../../shared/people.js';
import { limits } from '../../shared/limits.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { listMembershipsOfPerson, listOriginMembershipsOf } from '../memberships/index.js';
import { listMemberTypes } from './member-type.repository.js';
import { toPersonListItem } from './person.mapper.js';
import { findPersonById, readPersonCounts } from './person.repository.js';
import { listPeople, type PersonCursor, type PersonListRow } from './person-search.repository.js';

export async function memberTypeNames(db: DbOrTrx): Promise<Map<number, string>> {
  return new Map((await listMemberTypes(db)).map((t) => [t.id, t.name]));
}

/** A Members tab's cursor; one that is not ours serves the first page. */
function decodePeopleCursor(s: string | undefined): PersonCursor | undefined {
  const v = decodeCursor(s, ['text', 'rowId']);
  return v && { nameKey: v[0], id: v[1] };
}

/** One page of a Members tab with every tab's count. */
export async function listPeoplePage(
  ctx: AppContext,
  input: { tab: PersonTab; q?: string; cursor?: string; limit?: number },
): Promise<PersonPage> {
  const limit = Math.min(Math.max(input.limit ?? limits.pageSize, 1), 200);
  const [{ rows, hasMore }, counts, types] = await Promise.all([
    listPeople(ctx.db, { tab: input.tab, q: input.q, after: decodePeopleCursor(input.cursor), limit }),
    readPersonCounts(ctx.db),
    memberTypeNames(ctx.db),
  ]);
  const last = rows[rows.length - 1];
  const origins =
    input.tab === 'pending'
      ? await originsOf(
          ctx,
          rows.map((r) => r.id),
        )
      : undefined;
  return {
    items: rows.map((r) => {
      const item = toPersonListItem(r, types);
      return origins ? { ...item, origin: origins.get(r.id) ?? signUpOrigin } : item;
    }),
    nextCursor: hasMore && last ? encodeCursor([last.name_key, last.id]) : null,
    counts,
  };
}

const signUpOrigin: PersonOrigin = {
  kind: 'sign_up',
  communityId: null,
  communityName: null,
  invitedBy: null,
  dataJobId: null,
};

/** Where each person came from: their first membership that brought them to the site. */
async function originsOf(ctx: AppContext, personIds: readonly number[]): Promise<Map<number, PersonOrigin>> {
  const origins = new Map<number, PersonOrigin>();
  for (const m of await listOriginMembershipsOf(ctx.db, personIds)) {
    if (origins.has(m.person_id)) continue;
    const inviter = [m.inviter_first, m.inviter_last].filter(Boolean).join(' ');
    origins.set(m.person_id, {
      kind: m.source === 'landing' ? 'landing' : m.source === 'data_job' ? 'data_job' : 'invite',
      communityId: m.community_id,
      communityName: m.community_name,
      invitedBy: m.source === 'direct' ? inviter || null : null,
      dataJobId: m.data_job_id,
    });
  }
  return origins;
}

/** Every row of a tab, in pages, for the CSV export (constant memory). */
export async function* iteratePeople(ctx: AppContext, tab: PersonTab, q?: string): AsyncGenerator<PersonListRow[]> {
  let after: { nameKey: string; id: number } | undefined;
  for (;;) {
    const { rows, hasMore } = await listPeople(ctx.db, { tab, q, after, limit: 1000 });
    if (rows.length) yield rows;
    const last = rows[rows.length - 1];
    if (!hasMore || !last) return;
    after = { nameKey: last.name_key, id: last.id };
  }
}

/** A person's page: all IDs, status, member type, communities and invitations. */
export async function getPersonDetail(ctx: AppContext, personId: number): Promise<PersonDetail> {
  const person = await findPersonById(ctx.db, personId);
  if (!person) throw new AppError('not_found', 'Person not found.');
  const memberships = await listMembershipsOfPerson(ctx.db, personId, 1000);
  return {
    ...toPersonListItem(person, await memberTypeNames(ctx.db)),
    hasInviteUrl: person.invite_token_hash !== null && person.status === 'pre_verified',
    memberships: memberships.map((m) => ({
      communityId: m.community_id,
      communityName: m.name,
      privacy: m.privacy,
      state: m.state,
      role: m.role,
      source: m.source,
      invitedAt: m.invited_at,
      joinedAt: m.joined_at,
      invitedBy:
        m.inviter_id === null
          ? null
          : `${m.inviter_first ?? ''} ${m.inviter_last ?? ''}`.trim() || m.inviter_email || 'Someone',
    })),
  };
}
