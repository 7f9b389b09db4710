/**
 * The community's Invited directory: open invitations (on the invitee's home or hidden by "Not
 * now") and the ones that ended by the invitee's decline, by expiry or by a revoke, newest first,
 * with who invited and the email's state. Without a standing filter the list shows open, declined
 * and expired invitations; revoked ones are listed only under their own filter.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../db/db.js';
import type { Database, InvitationEndEvent } from '../db/schema.js';
import type { InvitationEmailStatus, MembershipSource, MembershipState } from '../../shared/enums.js';
import { openInvitationStates } from './membership.repository.js';

/** Where an invitation stands, as the directory's filter names it. */
export type InvitedStanding = 'open' | 'declined' | 'expired' | 'revoked';

export interface InvitedFilter {
  /** one standing; none: open, declined and expired */
  readonly standing?: InvitedStanding;
  readonly emailStatus?: InvitationEmailStatus;
  readonly source?: MembershipSource;
}

/** The membership states each standing reads (the (community, state) index is sought for each). */
const statesOf: Record<InvitedStanding | 'listed', readonly MembershipState[]> = {
  open: ['invited', 'dismissed'],
  declined: ['left', 'removed'],
  expired: ['left', 'removed'],
  revoked: ['removed'],
  listed: ['invited', 'dismissed', 'left', 'removed'],
};

type M = ExpressionBuilder<Database & { m: Database['membership'] }, 'm'>;

/** The rows of one standing (or of the default list) among the community's memberships. */
function standingWhere(eb: M, standing: InvitedStanding | 'listed' | 'any') {
  // joined_at: a later join and leave keeps an earlier invitation's ended_by, and is no decline
  const ended = (events: InvitationEndEvent[]) =>
    eb.and([eb('m.ended_by', 'in', events), eb('m.joined_at', 'is', null)]);
  switch (standing) {
    case 'open':
      return eb('m.state', 'in', ['invited', 'dismissed']);
    case 'declined':
      return ended(['decline']);
    case 'expired':
      return ended(['expire']);
    case 'revoked':
      return eb.and([eb('m.state', '=', 'removed'), ended(['revoke'])]);
    case 'listed':
      return eb.or([eb('m.state', 'in', ['invited', 'dismissed']), ended(['decline', 'expire'])]);
    case 'any':
      return eb.or([eb('m.state', 'in', ['invited', 'dismissed']), ended(['decline', 'expire', 'revoke'])]);
  }
}

export interface InvitedRow {
  person_id: number;
  email: string | null;
  first_name: string;
  last_name: string;
  status: string;
  invited_at: number | null;
  invited_by: number | null;
  inviter_first_name: string | null;
  inviter_last_name: string | null;
  inviter_email: string | null;
  source: string;
  email_status: string | null;
  email_outbox_id: number | null;
  emailed_at: number | null;
  outbox_created_at: number | null;
  state: MembershipState;
  ended_by: InvitationEndEvent | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface InvitedCursor {
  readonly invitedAt: number;
  readonly personId: number;
}

/** One page (keyset on invited_at desc, person_id desc); `q` filters by name or email prefix. */
export async function listInvitedRows(
  db: DbOrTrx,
  communityId: number,
  options: { q?: string; after?: InvitedCursor; limit: number; filter?: InvitedFilter },
): Promise<InvitedRow[]> {
  const filter = options.filter ?? {};
  const standing = filter.standing ?? 'listed';
  let query = db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .leftJoin('person as i', 'i.id', 'm.invited_by')
    .leftJoin('email_outbox as o', 'o.id', 'm.email_outbox_id')
    .select([
      'm.person_id',
      'p.email',
      'p.first_name',
      'p.last_name',
      'p.status',
      'm.invited_at',
      'm.invited_by',
      'i.first_name as inviter_first_name',
      'i.last_name as inviter_last_name',
      'i.email as inviter_email',
      'm.source',
      'm.email_status',
      'm.email_outbox_id',
      'm.emailed_at',
      'o.created_at as outbox_created_at',
      'm.state',
      'm.ended_by',
      'm.expires_at',
      'm.revoked_at',
    ])
    .where('m.community_id', '=', communityId)
    // the state list first, so that the read seeks (community, state) for each state it names
    .where('m.state', 'in', [...statesOf[standing]])
    .where((eb) => standingWhere(eb, standing))
    .$if(filter.emailStatus !== undefined, (qb) => qb.where('m.email_status', '=', filter.emailStatus!))
    .$if(filter.source !== undefined, (qb) => qb.where('m.source', '=', filter.source!));
  const q = options.q?.trim().toLowerCase();
  if (q) {
    const end = `${q}\uffff`;
    query = query.where((eb) =>
      eb.or([
        eb.and([eb('p.name_key', '>=', q), eb('p.name_key', '<', end)]),
        eb.and([eb('p.last_name_key', '>=', q), eb('p.last_name_key', '<', end)]),
        eb.and([eb('p.email', '>=', q), eb('p.email', '<', end)]),
      ]),
    );
  }
  if (options.after) {
    const { invitedAt, personId } = options.after;
    query = query.where((eb) =>
      eb.or([
        eb('m.invited_at', '<', invitedAt),
        eb.and([eb('m.invited_at', '=', invitedAt), eb('m.person_id', '<', personId)]),
      ]),
    );
  }
  return query.orderBy('m.invited_at', 'desc').orderBy('m.person_id', 'desc').limit(options.limit).execute();
}

export interface InvitedGroupCount {
  readonly standing: InvitedStanding;
  readonly source: MembershipSource;
  readonly emailStatus: InvitationEmailStatus | null;
  readonly n: number;
}

/**
 * The community's invitations counted by standing, source and email state, from which every
 * filter's count is summed: one range of `invited_count`'s key (the community's), which triggers
 * on membership keep in the same transaction as every write (migration
 * 2026-12-04T1639-invited-invited-counts), the slots summed.
 */
export async function countInvitedGroups(db: DbOrTrx, communityId: number): Promise<InvitedGroupCount[]> {
  const n = sql<number | string>`sum(n)`;
  const rows = await db
    .selectFrom('invited_count')
    .select(['standing', 'source', 'email_status', n.as('n')])
    .where('community_id', '=', communityId)
    .groupBy(['standing', 'source', 'email_status'])
    .having(n, '<>', 0)
    .execute();
  return rows.map((r) => ({
    standing: r.standing,
    source: r.source,
    emailStatus: r.email_status === '' ? null : r.email_status,
    n: Number(r.n),
  }));
}

/** How many open invitations the community has (hidden ones included). */
export async function countInvited(db: DbOrTrx, communityId: number): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('state', 'in', [...openInvitationStates])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records who revoked the invitation just closed by `revoke` (the Revoke undo checks it). */
export async function markRevokedBy(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  revokedBy: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ revoked_by: revokedBy, revoked_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'removed')
    .where('ended_by', '=', 'revoke')
    .execute();
}

/**
 * Undoes a revoke: the invitation is open again (`invited`), if `revokedBy` revoked it at or after
 * `since` and nothing moved it since. False otherwise (another person's revoke, too late, or changed).
 */
export async function reopenRevokedInvitation(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  revokedBy: number,
  since: number,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ state: 'invited', ended_by: null, revoked_by: null, revoked_at: null, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'removed')
    .where('ended_by', '=', 'revoke')
    .where('revoked_by', '=', revokedBy)
    .where('revoked_at', '>=', since)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
