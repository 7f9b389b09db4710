/**
 * Who hears of join requests, and which requests: the leaders of a community who chose to hear
 * at once, and, for the daily digest, the open requests made in a time window with the leaders
 * who take the digest (their setting is `daily`, or they have none: the default). The requests
 * are read through the partial index over requested memberships by the time they were made
 * (`updated_at`, as the member directory's "asked" column).
 */
import type { DbOrTrx } from '../db/db.js';

export interface NoticeRecipient {
  readonly id: number;
  readonly email: string;
}

export interface JoinRequestNotice {
  readonly leader_id: number;
  readonly community_id: number;
  readonly community_name: string;
  readonly person_id: number;
  readonly first_name: string;
  readonly last_name: string;
  readonly email: string | null;
  readonly requested_at: number;
}

/** Active leaders of the community, with an address, who hear of join requests at once. */
export async function listLeadersNotifiedAtOnce(db: DbOrTrx, communityId: number): Promise<NoticeRecipient[]> {
  const rows = await db
    .selectFrom('membership as l')
    .innerJoin('person as p', 'p.id', 'l.person_id')
    .innerJoin('notification_setting as ns', (j) =>
      j.onRef('ns.person_id', '=', 'l.person_id').on('ns.kind', '=', 'join_requests'),
    )
    .select(['p.id', 'p.email'])
    .where('l.community_id', '=', communityId)
    .where('l.state', '=', 'joined')
    .where('l.role', '=', 'leader')
    .where('p.status', '=', 'active')
    .where('p.email', 'is not', null)
    .where('ns.mode', '=', 'immediate')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email as string }));
}

interface Window {
  readonly from: number;
  readonly to: number;
}

/** The open requests made in [from, to) by active people, joined to the leaders who take the daily digest. */
function digestRequests(db: DbOrTrx, window: Window) {
  return db
    .selectFrom('membership as r')
    .innerJoin('person as rp', 'rp.id', 'r.person_id')
    .innerJoin('membership as l', (j) =>
      j.onRef('l.community_id', '=', 'r.community_id').on('l.state', '=', 'joined').on('l.role', '=', 'leader'),
    )
    .innerJoin('person as lp', 'lp.id', 'l.person_id')
    .leftJoin('notification_setting as ns', (j) =>
      j.onRef('ns.person_id', '=', 'l.person_id').on('ns.kind', '=', 'join_requests'),
    )
    .where('r.state', '=', 'requested')
    .where('r.updated_at', '>=', window.from)
    .where('r.updated_at', '<', window.to)
    .where('rp.status', '=', 'active')
    .where('lp.status', '=', 'active')
    .where('lp.email', 'is not', null)
    .where((eb) => eb.or([eb('ns.mode', 'is', null), eb('ns.mode', '=', 'daily')]));
}

/** The next `limit` digest leaders after `afterId`, in id order (a digest's batch). */
export async function listJoinRequestDigestLeaders(
  db: DbOrTrx,
  window: Window,
  afterId: number,
  limit: number,
): Promise<NoticeRecipient[]> {
  const rows = await digestRequests(db, window)
    .select(['lp.id', 'lp.email'])
    .distinct()
    .where('lp.id', '>', afterId)
    .orderBy('lp.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email as string }));
}

/** The requests these leaders hear of in their digest, oldest first. */
export async function listJoinRequestsForDigest(
  db: DbOrTrx,
  window: Window,
  leaderIds: readonly number[],
): Promise<JoinRequestNotice[]> {
  if (leaderIds.length === 0) return [];
  return digestRequests(db, window)
    .innerJoin('community as c', 'c.id', 'r.community_id')
    .select([
      'l.person_id as leader_id',
      'r.community_id',
      'c.name as community_name',
      'r.person_id',
      'rp.first_name',
      'rp.last_name',
      'rp.email',
      'r.updated_at as requested_at',
    ])
    .where('l.person_id', 'in', [...leaderIds])
    .orderBy('l.person_id')
    .orderBy('r.updated_at')
    .orderBy('r.community_id')
    .orderBy('r.person_id')
    .execute();
}

/** Whether the person leads a community (they then have join requests to hear of). */
export async function leadsAnyCommunity(db: DbOrTrx, personId: number): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .select('community_id')
    .where('person_id', '=', personId)
    .where('state', '=', 'joined')
    .where('role', '=', 'leader')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
