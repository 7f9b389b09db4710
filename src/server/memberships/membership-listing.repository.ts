/**
 * Listings read through memberships: a community's member directory, a person's invitations and
 * communities (home and the admin person page), the communities a viewer may browse.
 */
import type { MembershipState } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import { countInState } from './membership.repository.js';
import type { Viewer } from './membership.policy.js';

/** One page of a community's members (joined, optionally leaders only) or open requests, by name. */
export async function listMemberRows(
  db: DbOrTrx,
  communityId: number,
  options: {
    state: Extract<MembershipState, 'joined' | 'requested'>;
    leadersOnly: boolean;
    /** lower-cased search term: a name contains it, or (emailPrefix) an email starts with it */
    term?: string;
    emailPrefix: boolean;
    after?: { nameKey: string; id: number };
    limit: number;
  },
) {
  let q = db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select([
      'person.id',
      'person.first_name',
      'person.last_name',
      'person.email',
      'person.name_key',
      'membership.role',
      'membership.state',
      'membership.joined_at',
      'membership.created_at',
      'membership.updated_at',
    ])
    .where('membership.community_id', '=', communityId)
    .where('membership.state', '=', options.state)
    .where('person.status', '=', 'active')
    .orderBy('person.name_key')
    .orderBy('person.id')
    .limit(options.limit);
  if (options.leadersOnly) q = q.where('membership.role', '=', 'leader');
  const term = options.term;
  if (term)
    q = q.where((eb) =>
      eb.or([
        eb('person.name_key', 'like', `%${term}%`),
        ...(options.emailPrefix ? [eb('person.email', 'like', `${term}%`)] : []),
      ]),
    );
  const after = options.after;
  if (after)
    q = q.where((eb) => eb(eb.refTuple('person.name_key', 'person.id'), '>', eb.tuple(after.nameKey, after.id)));
  return q.execute();
}

/** A person's memberships with their communities and inviters, by community name (the admin person page). */
export async function listMembershipsOfPerson(db: DbOrTrx, personId: number, limit: number) {
  return db
    .selectFrom('membership')
    .innerJoin('community', 'community.id', 'membership.community_id')
    .leftJoin('person as inviter', 'inviter.id', 'membership.invited_by')
    .select([
      'membership.community_id',
      'community.name',
      'community.privacy',
      'membership.state',
      'membership.role',
      'membership.source',
      'membership.invited_at',
      'membership.joined_at',
      'inviter.first_name as inviter_first',
      'inviter.last_name as inviter_last',
      'inviter.email as inviter_email',
      'inviter.id as inviter_id',
    ])
    .where('membership.person_id', '=', personId)
    .orderBy('community.name')
    .limit(limit)
    .execute();
}

const communityColumns = ['c.id', 'c.name', 'c.headline', 'c.slug', 'c.privacy'] as const;

/** A person's open invitations, newest first: those on home (`invited`) or the hidden ones (`dismissed`, "Not now"). */
export async function listOpenInvitationsOf(
  db: DbOrTrx,
  personId: number,
  limit: number,
  state: Extract<MembershipState, 'invited' | 'dismissed'> = 'invited',
) {
  return db
    .selectFrom('membership as m')
    .innerJoin('community as c', 'c.id', 'm.community_id')
    .leftJoin('person as i', 'i.id', 'm.invited_by')
    .select([
      ...communityColumns,
      'm.invited_at',
      'm.expires_at',
      'm.message',
      'i.first_name as inviter_first_name',
      'i.last_name as inviter_last_name',
      'i.email as inviter_email',
      'i.id as inviter_id',
    ])
    .where('m.person_id', '=', personId)
    .where('m.state', '=', state)
    .orderBy('m.invited_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

export async function listJoinedCommunitiesOf(db: DbOrTrx, personId: number, limit: number) {
  return db
    .selectFrom('membership as m')
    .innerJoin('community as c', 'c.id', 'm.community_id')
    .select([...communityColumns, 'm.role'])
    .where('m.person_id', '=', personId)
    .where('m.state', '=', 'joined')
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/** Public communities the person is not in, not invited to, not waiting on, and not removed from. */
export async function listSuggestedCommunities(db: DbOrTrx, personId: number, limit: number) {
  return db
    .selectFrom('community as c')
    .select([...communityColumns])
    .where('c.privacy', '=', 'public')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('membership as m')
            .select('m.person_id')
            .whereRef('m.community_id', '=', 'c.id')
            .where('m.person_id', '=', personId)
            .where('m.state', 'in', ['joined', 'invited', 'requested', 'removed']),
        ),
      ),
    )
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The communities a viewer may browse (membership.policy's canSee, as SQL: admins see all;
 * invite-only communities only their members and invitees), by name, with member counts and the
 * viewer's membership. `nameLike` filters by name.
 */
export async function listCommunitiesOfViewer(
  db: DbOrTrx,
  viewer: Viewer,
  options: { nameLike?: string; after?: { name: string; id: number }; limit: number },
) {
  let q = db
    .selectFrom('community')
    .leftJoin('membership as mine', (j) =>
      j.onRef('mine.community_id', '=', 'community.id').on('mine.person_id', '=', viewer.id),
    )
    .select([
      'community.id',
      'community.name',
      'community.slug',
      'community.headline',
      'community.privacy',
      'mine.state',
      'mine.role',
    ])
    .select((eb) => countInState('joined')(eb).as('member_count'))
    .orderBy('community.name')
    .orderBy('community.id')
    .limit(options.limit);
  if (!(viewer.is_admin === 1)) {
    q = q.where((eb) =>
      eb.or([eb('community.privacy', '!=', 'invite_only'), eb('mine.state', 'in', ['joined', 'invited'])]),
    );
  }
  const nameLike = options.nameLike;
  if (nameLike) q = q.where((eb) => eb(eb.fn('lower', ['community.name']), 'like', nameLike));
  const after = options.after;
  if (after)
    q = q.where((eb) => eb(eb.refTuple('community.name', 'community.id'), '>', eb.tuple(after.name, after.id)));
  return q.execute();
}

/**
 * The memberships that brought these people to the site (landing page, direct invite, data job),
 * oldest first per person, with the community's name and the inviter's: the Pending tab's "came from".
 */
export async function listOriginMembershipsOf(db: DbOrTrx, personIds: readonly number[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('membership')
    .innerJoin('community', 'community.id', 'membership.community_id')
    .leftJoin('person as inviter', 'inviter.id', 'membership.invited_by')
    .select([
      'membership.person_id',
      'membership.source',
      'membership.community_id',
      'community.name as community_name',
      'membership.data_job_id',
      'membership.created_at',
      'inviter.first_name as inviter_first',
      'inviter.last_name as inviter_last',
    ])
    .where('membership.person_id', 'in', [...personIds])
    .where('membership.source', 'in', ['landing', 'direct', 'data_job'])
    .orderBy('membership.person_id')
    .orderBy('membership.created_at')
    .orderBy('membership.community_id')
    .execute();
}
