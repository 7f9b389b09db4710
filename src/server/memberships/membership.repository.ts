/**
 * The membership table's queries: one (community, person) pair's row, the compare-and-set moves
 * the transition table allows, invitations, and the person-wide changes (deactivation, approval,
 * merge). Listings live in membership-listing.repository.ts, Data Tools' bulk writes in
 * membership-bulk.repository.ts.
 */
import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import type { InvitationEmailStatus, MembershipRole, MembershipSource, MembershipState } from '../../shared/enums.js';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import type { CommunityRow, Database, MembershipRow, MembershipTable } from '../db/schema.js';
import { fromStatesOf, targetOf, transition } from './membership.transitions.js';
import { queueWebhookEvent, queueWebhookEvents } from '../webhooks/webhook-event.repository.js';

/** The community and `personId`'s membership in it, in one query. */
export async function findCommunityWithMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<{ community: CommunityRow; membership: MembershipRow | undefined } | undefined> {
  const row = await db
    .selectFrom('community as c')
    .leftJoin('membership as m', (join) => join.onRef('m.community_id', '=', 'c.id').on('m.person_id', '=', personId))
    .selectAll('c')
    .select([
      'm.state as m_state',
      'm.role as m_role',
      'm.source as m_source',
      'm.invited_by as m_invited_by',
      'm.invited_at as m_invited_at',
      'm.data_job_id as m_data_job_id',
      'm.data_job_row as m_data_job_row',
      'm.message as m_message',
      'm.email_status as m_email_status',
      'm.email_outbox_id as m_email_outbox_id',
      'm.emailed_at as m_emailed_at',
      'm.joined_at as m_joined_at',
      'm.created_at as m_created_at',
      'm.updated_at as m_updated_at',
      'm.expires_at as m_expires_at',
      'm.ended_by as m_ended_by',
      'm.next_reminder_at as m_next_reminder_at',
      'm.reminders_sent as m_reminders_sent',
      'm.reminded_at as m_reminded_at',
      'm.delivered_at as m_delivered_at',
      'm.opened_at as m_opened_at',
      'm.signed_in_at as m_signed_in_at',
      'm.revoked_by as m_revoked_by',
      'm.revoked_at as m_revoked_at',
    ])
    .where('c.id', '=', communityId)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    m_state,
    m_role,
    m_source,
    m_invited_by,
    m_invited_at,
    m_data_job_id,
    m_data_job_row,
    m_message,
    m_email_status,
    m_email_outbox_id,
    m_emailed_at,
    m_joined_at,
    m_created_at,
    m_updated_at,
    m_expires_at,
    m_ended_by,
    m_next_reminder_at,
    m_reminders_sent,
    m_reminded_at,
    m_delivered_at,
    m_opened_at,
    m_signed_in_at,
    m_revoked_by,
    m_revoked_at,
    ...community
  } = row;
  const membership =
    m_state === null || m_role === null || m_source === null || m_created_at === null || m_updated_at === null
      ? undefined
      : {
          community_id: communityId,
          person_id: personId,
          state: m_state,
          role: m_role,
          source: m_source,
          invited_by: m_invited_by,
          invited_at: m_invited_at,
          data_job_id: m_data_job_id,
          data_job_row: m_data_job_row,
          message: m_message,
          email_status: m_email_status,
          email_outbox_id: m_email_outbox_id,
          emailed_at: m_emailed_at,
          joined_at: m_joined_at,
          created_at: m_created_at,
          updated_at: m_updated_at,
          expires_at: m_expires_at,
          ended_by: m_ended_by,
          next_reminder_at: m_next_reminder_at,
          reminders_sent: m_reminders_sent ?? 0,
          reminded_at: m_reminded_at,
          delivered_at: m_delivered_at,
          opened_at: m_opened_at,
          signed_in_at: m_signed_in_at,
          revoked_by: m_revoked_by,
          revoked_at: m_revoked_at,
        };
  return { community, membership };
}

export async function findMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** Reads a membership for update (PostgreSQL row lock; SQLite has a single writer, so a plain read is enough there). */
export async function lockMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
): Promise<MembershipRow | undefined> {
  const q = db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

/** The memberships of `personIds` in one community, by person. */
export async function findMemberships(
  db: DbOrTrx,
  communityId: number,
  personIds: readonly number[],
): Promise<Map<number, MembershipRow>> {
  if (!personIds.length) return new Map();
  const rows = await db
    .selectFrom('membership')
    .selectAll()
    .where('community_id', '=', communityId)
    .where('person_id', 'in', [...personIds])
    .execute();
  return new Map(rows.map((r) => [r.person_id, r]));
}

/** Every membership of a person (a merge reads both people's). */
export async function listMembershipRowsOfPerson(db: DbOrTrx, personId: number): Promise<MembershipRow[]> {
  return db.selectFrom('membership').selectAll().where('person_id', '=', personId).execute();
}

export type NewMembership = Insertable<MembershipTable>;

/** Writes whole rows as given (test factories and the demo site). */
export async function insertMemberships(db: DbOrTrx, rows: readonly NewMembership[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('membership')
    .values([...rows])
    .execute();
}

/** Inserts a membership unless one exists; true when this call created it. */
export async function insertMembershipIfAbsent(
  db: DbOrTrx,
  row: { communityId: number; personId: number; state: MembershipState; source: MembershipSource },
  now: number,
): Promise<boolean> {
  const res = await db
    .insertInto('membership')
    .values({
      community_id: row.communityId,
      person_id: row.personId,
      state: row.state,
      role: 'member',
      source: row.source,
      invited_by: null,
      invited_at: null,
      data_job_id: null,
      data_job_row: null,
      message: null,
      email_status: null,
      email_outbox_id: null,
      emailed_at: null,
      joined_at: row.state === 'joined' ? now : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['community_id', 'person_id']).doNothing())
    .returning('person_id')
    .executeTakeFirst();
  if (res !== undefined && row.state === 'joined')
    await queueWebhookEvent(db, now, {
      type: 'membership.joined',
      personId: row.personId,
      data: { personId: row.personId, communityId: row.communityId },
    });
  return res !== undefined;
}

/**
 * Moves a membership to `to` only if it is still in one of `from` — the compare-and-set that makes
 * parallel joins, approvals and leaves end in one state. True when this call moved it.
 */
export async function moveMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  from: readonly MembershipState[],
  to: MembershipState,
  now: number,
  extra: { role?: MembershipRole; joined_at?: number | null; source?: MembershipSource } = {},
): Promise<boolean> {
  if (!from.length) return false;
  const res = await db
    .updateTable('membership')
    // the generic moves are no invitation's end: an earlier end is forgotten
    .set({ state: to, updated_at: now, ended_by: null, ...extra })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  const moved = Number(res.numUpdatedRows) > 0;
  if (moved && to === 'joined')
    await queueWebhookEvent(db, now, {
      type: 'membership.joined',
      personId,
      data: { personId, communityId },
    });
  return moved;
}

export async function setMembershipRole(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  role: MembershipRole,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ role, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'joined')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A community's memberships in `state` (and `role`), as a subquery of a select from community. */
export function countInState(state: MembershipState, role?: MembershipRole) {
  return (eb: ExpressionBuilder<Database, 'community'>) => {
    let q = eb
      .selectFrom('membership')
      .select(eb.fn.countAll<number>().as('n'))
      .whereRef('membership.community_id', '=', 'community.id')
      .where('membership.state', '=', state);
    if (role) q = q.where('membership.role', '=', role);
    return q;
  };
}

export async function countMembershipsInState(
  db: DbOrTrx,
  communityId: number,
  state: MembershipState,
): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .where('state', '=', state)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewInvitation {
  readonly personId: number;
  readonly emailStatus: InvitationEmailStatus;
  /** the queued invitation email, when one is sent */
  readonly outboxId: number | null;
  /** when its first reminder is due; null: it gets none */
  readonly nextReminderAt: number | null;
}

/**
 * Writes direct invitations: inserts the memberships, or invites again a membership the
 * transition table lets the invite event move (dismissed, left, removed, requested). A row that
 * is joined or invited (perhaps by a parallel batch that committed first) is left alone.
 * Returns the person IDs actually invited.
 */
export async function upsertInvitations(
  db: DbOrTrx,
  communityId: number,
  invitedBy: number,
  message: string | null,
  invitations: readonly NewInvitation[],
  now: number,
  /** when the invitations expire; null: never */
  expiresAt: number | null = null,
): Promise<Set<number>> {
  if (!invitations.length) return new Set();
  const rows = [...invitations]
    .sort((a, b) => a.personId - b.personId)
    .map((i) => ({
      community_id: communityId,
      person_id: i.personId,
      state: 'invited' as const,
      role: 'member' as const,
      source: 'direct' as const,
      invited_by: invitedBy,
      invited_at: now,
      data_job_id: null,
      data_job_row: null,
      message,
      email_status: i.emailStatus,
      email_outbox_id: i.outboxId,
      // the funnel's "email sent": the invitation email is queued in this transaction
      emailed_at: i.outboxId === null ? null : now,
      delivered_at: null,
      opened_at: null,
      signed_in_at: null,
      joined_at: null,
      created_at: now,
      updated_at: now,
      expires_at: expiresAt,
      ended_by: null,
      next_reminder_at: i.nextReminderAt,
      reminders_sent: 0,
    }));
  const done = await db
    .insertInto('membership')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['community_id', 'person_id'])
        .doUpdateSet((eb) => ({
          state: 'invited',
          role: 'member',
          source: 'direct',
          invited_by: eb.ref('excluded.invited_by'),
          invited_at: eb.ref('excluded.invited_at'),
          data_job_id: null,
          data_job_row: null,
          message: eb.ref('excluded.message'),
          email_status: eb.ref('excluded.email_status'),
          email_outbox_id: eb.ref('excluded.email_outbox_id'),
          emailed_at: eb.ref('excluded.emailed_at'),
          delivered_at: null,
          opened_at: null,
          signed_in_at: null,
          joined_at: null,
          ended_by: null,
          expires_at: eb.ref('excluded.expires_at'),
          next_reminder_at: eb.ref('excluded.next_reminder_at'),
          reminders_sent: 0,
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('membership.state', 'in', [...fromStatesOf('invite')]),
    )
    .returning('person_id')
    .execute();
  await queueWebhookEvents(
    db,
    now,
    done.map((r) => ({
      type: 'membership.invited' as const,
      personId: r.person_id,
      data: { personId: r.person_id, communityId, invitedBy },
    })),
  );
  return new Set(done.map((r) => r.person_id));
}

export async function setInvitationEmail(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  emailStatus: InvitationEmailStatus,
  outboxId: number | null,
  now: number,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({
      email_status: emailStatus,
      email_outbox_id: outboxId,
      updated_at: now,
      // the first email of this invitation is its funnel's "email sent"; a resend keeps that time
      ...(outboxId === null ? {} : { emailed_at: sql<number>`coalesce(emailed_at, ${now})` }),
    })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .execute();
}

/** The invitation email state of the memberships whose current email is `outboxId` (the sender's delivery outcome). */
export async function setInvitationEmailStatusOfOutbox(
  db: DbOrTrx,
  outboxId: number,
  emailStatus: InvitationEmailStatus,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ email_status: emailStatus })
    .where('email_outbox_id', '=', outboxId)
    .execute();
}

/** An open invitation's states: `invited`, or `dismissed` (hidden by "Not now", still open). */
export const openInvitationStates = Object.freeze(['invited', 'dismissed'] as const);

/** The events an invitation's invitee, leaders and sweeps apply to an open invitation. */
export type InvitationEvent = 'revoke' | 'dismiss' | 'restore' | 'decline' | 'expire';

/**
 * Applies `event` to an open invitation (revoke → removed, "Not now" → dismissed, restore →
 * invited, decline → left, expire → left), from the open states the transition table moves;
 * an ending event is remembered in `ended_by`. False when there was no open invitation it moves.
 */
export async function closeInvitation(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  event: InvitationEvent,
  now: number,
): Promise<boolean> {
  const from = openInvitationStates.filter((s) => fromStatesOf(event).includes(s));
  const first = from[0];
  if (first === undefined) return false;
  const t = transition(first, event);
  if (!t.ok || t.to === 'none') return false;
  const ends = event === 'decline' || event === 'expire' || event === 'revoke';
  const res = await db
    .updateTable('membership')
    .set({ state: t.to, updated_at: now, ...(ends ? { ended_by: event } : {}) })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', from)
    .executeTakeFirst();
  const moved = Number(res.numUpdatedRows) > 0;
  if (moved && (event === 'decline' || event === 'expire'))
    await queueWebhookEvent(db, now, {
      type: event === 'decline' ? 'membership.declined' : 'membership.expired',
      personId,
      data: event === 'decline' ? { personId, communityId, of: 'invitation' } : { personId, communityId },
    });
  return moved;
}

/**
 * A leader declines an open join request (requested → the transition table's target), with its
 * `membership.declined` event. False when there was no open request to move.
 */
export async function declineJoinRequestRow(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  now: number,
): Promise<boolean> {
  const t = transition('requested', 'decline');
  if (!t.ok || t.to === 'none') return false;
  const res = await db
    .updateTable('membership')
    .set({ state: t.to, updated_at: now, ended_by: null })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'requested')
    .executeTakeFirst();
  const moved = Number(res.numUpdatedRows) > 0;
  if (moved)
    await queueWebhookEvent(db, now, {
      type: 'membership.declined',
      personId,
      data: { personId, communityId, of: 'request' },
    });
  return moved;
}

/**
 * Closes a person's open invitations and join requests (deactivation; see docs/decisions.md):
 * they were offers to someone who can no longer sign in, and reactivation does not reopen them.
 */
export async function closeOpenMembershipsOfPerson(db: DbOrTrx, personId: number, now: number): Promise<number> {
  const res = await db
    .updateTable('membership')
    .set({ state: targetOf('close'), updated_at: now, ended_by: 'close' })
    .where('person_id', '=', personId)
    .where('state', 'in', [...fromStatesOf('close')])
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * A pending person who asked to join through a landing page has a 'requested' membership with
 * source 'landing' (docs/decisions.md); the approval of the person approves those requests.
 */
export async function approveLandingRequestsOfPerson(db: DbOrTrx, personId: number, now: number): Promise<void> {
  const approved = await db
    .updateTable('membership')
    .set({ state: targetOf('approve'), joined_at: now, updated_at: now })
    .where('person_id', '=', personId)
    .where('state', 'in', [...fromStatesOf('approve')])
    .where('source', '=', 'landing')
    .returning('community_id')
    .execute();
  await queueWebhookEvents(
    db,
    now,
    approved.map((r) => ({
      type: 'membership.joined' as const,
      personId,
      data: { personId, communityId: r.community_id },
    })),
  );
}

/**
 * On PostgreSQL, deleting a person takes membership in SHARE ROW EXCLUSIVE mode (a statement
 * trigger; migration 2026-11-27T0910-membership-references-per-statement); a merge, which writes
 * memberships before it deletes, takes that lock before its first write (see person-merge.ts).
 * SQLite has one writer at a time.
 */
export async function lockMembershipWrites(db: DbOrTrx): Promise<void> {
  if (isPostgres(db)) await sql`LOCK TABLE membership IN SHARE ROW EXCLUSIVE MODE`.execute(db);
}

/** Hands a membership of `fromPersonId` over to `toPersonId` (who has none in that community). */
export async function reassignMembership(
  db: DbOrTrx,
  communityId: number,
  fromPersonId: number,
  toPersonId: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ person_id: toPersonId, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', fromPersonId)
    .execute();
}

/** Overwrites a membership's fields with `row`'s (a merge keeping the stronger of two memberships). */
export async function overwriteMembership(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  row: Omit<MembershipRow, 'community_id' | 'person_id'>,
  now: number,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ ...row, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .execute();
}

/** Invitations made by `fromPersonId` name `toPersonId` as their inviter. */
export async function reassignInviter(db: DbOrTrx, fromPersonId: number, toPersonId: number): Promise<void> {
  await db.updateTable('membership').set({ invited_by: toPersonId }).where('invited_by', '=', fromPersonId).execute();
}
