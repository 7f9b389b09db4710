/**
 * The community's Invited directory: open invitations (on the invitee's home or hidden by "Not
 * now") and the ones that ended by the invitee's decline or by expiry, newest first, with who
 * invited and the email's state. A revoked invitation leaves the directory.
 */
import type { DbOrTrx } from '../db/db.js';
import type { InvitationEndEvent } from '../db/schema.js';
import type { MembershipState } from '../../shared/enums.js';
import { openInvitationStates } from './membership.repository.js';

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
}

export interface InvitedCursor {
  readonly invitedAt: number;
  readonly personId: number;
}

/** One page (keyset on invited_at desc, person_id desc); `q` filters by name or email prefix. */
export async function listInvitedRows(
  db: DbOrTrx,
  communityId: number,
  options: { q?: string; after?: InvitedCursor; limit: number },
): Promise<InvitedRow[]> {
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
    ])
    .where('m.community_id', '=', communityId)
    // the state list first, so that the read seeks (community, state) for each of the four states
    .where('m.state', 'in', ['invited', 'dismissed', 'left', 'removed'])
    .where((eb) =>
      eb.or([
        eb('m.state', 'in', ['invited', 'dismissed']),
        // joined_at: a later join and leave keeps an earlier decline's ended_by, and is no decline
        eb.and([eb('m.ended_by', 'in', ['decline', 'expire']), eb('m.joined_at', 'is', null)]),
      ]),
    );
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
