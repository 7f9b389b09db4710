/** A person's side of invitations: open invitations, their communities, public suggestions. */
import type { DbOrTrx } from '../db/db.js';

const communityColumns = ['c.id', 'c.name', 'c.headline', 'c.slug', 'c.privacy'] as const;

export async function listOpenInvitationsOf(db: DbOrTrx, personId: number, limit: number) {
  return db
    .selectFrom('membership as m')
    .innerJoin('community as c', 'c.id', 'm.community_id')
    .leftJoin('person as i', 'i.id', 'm.invited_by')
    .select([
      ...communityColumns,
      'm.invited_at',
      'm.message',
      'i.first_name as inviter_first_name',
      'i.last_name as inviter_last_name',
      'i.email as inviter_email',
      'i.id as inviter_id',
    ])
    .where('m.person_id', '=', personId)
    .where('m.state', '=', 'invited')
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
