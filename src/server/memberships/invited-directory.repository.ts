/** The community's Invited directory: open invitations, newest first, with who invited and the email's state. */
import type { DbOrTrx } from '../db/db.js';
import { countMembershipsInState } from './membership.repository.js';

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
    ])
    .where('m.community_id', '=', communityId)
    .where('m.state', '=', 'invited');
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

/** How many open invitations the community has. */
export async function countInvited(db: DbOrTrx, communityId: number): Promise<number> {
  return countMembershipsInState(db, communityId, 'invited');
}
