/** Queries of direct invitations besides memberships': the recipients, suppressed addresses, outbox rows. */
import type { DbOrTrx } from '../db/db.js';
import { personCreatedEvent } from '../people/person.repository.js';
import { queueWebhookEvents } from '../webhooks/webhook-event.repository.js';
import type { PersonRow } from '../db/schema.js';

export type InviteePerson = Pick<PersonRow, 'id' | 'email' | 'first_name' | 'last_name' | 'status'>;
const personColumns = ['id', 'email', 'first_name', 'last_name', 'status'] as const;

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
  const created = await db
    .insertInto('person')
    .values(rows)
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(personColumns)
    .execute();
  await queueWebhookEvents(
    db,
    now,
    created.map((p) => personCreatedEvent({ id: p.id, status: 'invited', unique_id: null, email: p.email })),
  );
  return created;
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

/** Puts back an email that a revoke stopped (dropQueuedEmail), for the revoke's undo. */
export async function requeueRevokedEmail(db: DbOrTrx, outboxId: number, now: number): Promise<void> {
  await db
    .updateTable('email_outbox')
    .set({ state: 'queued', last_error: null, updated_at: now })
    .where('id', '=', outboxId)
    .where('state', '=', 'failed')
    .where('last_error', '=', 'invitation revoked')
    .execute();
}

/** When each of these outbox rows was queued (the resend window of an invitation, even a revoked one). */
export async function findOutboxCreatedAts(db: DbOrTrx, outboxIds: readonly number[]): Promise<Map<number, number>> {
  if (!outboxIds.length) return new Map();
  const rows = await db
    .selectFrom('email_outbox')
    .select(['id', 'created_at'])
    .where('id', 'in', [...outboxIds])
    .execute();
  return new Map(rows.map((r) => [r.id, r.created_at]));
}

/** Invitation emails this person has queued since `since` (one count on email_outbox_sender_idx). */
export async function countInvitationEmailsSince(db: DbOrTrx, senderId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('sender_id', '=', senderId)
    .where('created_at', '>=', since)
    .where('template', '=', 'community_invitation')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
