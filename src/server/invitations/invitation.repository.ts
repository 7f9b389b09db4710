/** Queries of direct invitations: the batch's reads, the membership upsert, the Invited directory. */
import type { InvitationEmailStatus, MembershipState } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import type { CommunityRow, MembershipRow, PersonRow } from '../db/schema.js';

/** Membership states a new invitation may replace: the person is not in and not invited. */
export const reinvitableStates: readonly MembershipState[] = ['dismissed', 'left', 'removed', 'requested'];

export type InviteePerson = Pick<PersonRow, 'id' | 'email' | 'first_name' | 'last_name' | 'status'>;
const personColumns = ['id', 'email', 'first_name', 'last_name', 'status'] as const;

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

export async function findPeopleByIds(db: DbOrTrx, ids: readonly number[]): Promise<InviteePerson[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('person')
    .select(personColumns)
    .where('id', 'in', [...ids])
    .execute();
}

export async function findPeopleByEmails(db: DbOrTrx, emails: readonly string[]): Promise<InviteePerson[]> {
  if (!emails.length) return [];
  return db
    .selectFrom('person')
    .select(personColumns)
    .where('email', 'in', [...emails])
    .execute();
}

/** The addresses among `emails` that marketing mail may not go to. */
export async function findSuppressedEmails(db: DbOrTrx, emails: readonly string[]): Promise<Set<string>> {
  if (!emails.length) return new Set();
  const rows = await db
    .selectFrom('suppression')
    .select('email')
    .where('email', 'in', [...emails])
    .execute();
  return new Set(rows.map((r) => r.email));
}

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

export interface NewInvitedPerson {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
}

/**
 * Creates people in status invited for addresses the site does not know. An address another
 * transaction created meanwhile is skipped here (ON CONFLICT) and read back by the caller.
 * Rows go in address order so that two batches lock them in the same order.
 */
export async function insertInvitedPeople(
  db: DbOrTrx,
  people: readonly NewInvitedPerson[],
  now: number,
): Promise<InviteePerson[]> {
  if (!people.length) return [];
  const rows = [...people]
    .sort((a, b) => (a.email < b.email ? -1 : 1))
    .map((p) => ({
      email: p.email,
      first_name: p.firstName,
      last_name: p.lastName,
      name_key: `${p.firstName} ${p.lastName}`.trim().toLowerCase(),
      last_name_key: p.lastName.toLowerCase(),
      status: 'invited' as const,
      is_admin: 0 as const,
      unique_id: null,
      preverification_id: null,
      member_type_id: null,
      invite_token_hash: null,
      created_at: now,
      updated_at: now,
      activated_at: null,
      last_sign_in_at: null,
    }));
  return db
    .insertInto('person')
    .values(rows)
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(personColumns)
    .execute();
}

export interface NewInvitation {
  readonly personId: number;
  readonly emailStatus: InvitationEmailStatus;
  /** the queued invitation email, when one is sent */
  readonly outboxId: number | null;
}

/**
 * Writes invitations: inserts the memberships, or turns a dismissed / left / removed / requested
 * one into an invitation. A row that is joined or invited (perhaps by a parallel batch that
 * committed first) is left alone. Returns the person IDs actually invited.
 */
export async function upsertInvitations(
  db: DbOrTrx,
  communityId: number,
  invitedBy: number,
  message: string | null,
  invitations: readonly NewInvitation[],
  now: number,
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
      emailed_at: null,
      joined_at: null,
      created_at: now,
      updated_at: now,
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
          emailed_at: null,
          joined_at: null,
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('membership.state', 'in', [...reinvitableStates]),
    )
    .returning('person_id')
    .execute();
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
    .set({ email_status: emailStatus, email_outbox_id: outboxId, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .execute();
}

/** Turns an open invitation into `state`; false when there was none. */
export async function closeInvitation(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  state: 'removed' | 'dismissed',
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('membership')
    .set({ state, updated_at: now })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', '=', 'invited')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Closes every open invitation of a person (deactivation); returns how many. */
export async function closeOpenInvitationsOfPerson(db: DbOrTrx, personId: number, now: number): Promise<number> {
  const result = await db
    .updateTable('membership')
    .set({ state: 'removed', updated_at: now })
    .where('person_id', '=', personId)
    .where('state', '=', 'invited')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When the invitation's current email was queued, if it has one. */
export async function findOutboxCreatedAt(db: DbOrTrx, outboxId: number): Promise<number | undefined> {
  const row = await db.selectFrom('email_outbox').select('created_at').where('id', '=', outboxId).executeTakeFirst();
  return row?.created_at;
}

/** A still-queued invitation email of a revoked invitation is not sent. */
export async function dropQueuedEmail(db: DbOrTrx, outboxId: number, now: number): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({ state: 'failed', last_error: 'invitation revoked', updated_at: now })
    .where('id', '=', outboxId)
    .where('state', '=', 'queued')
    .execute();
}
