/** Person rows: lookups, writes that keep the name keys right, counts, Pre-verification IDs. */
import { sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import type { NewPerson, PersonRow, PersonUpdate } from '../db/schema.js';
import type { PersonTabCounts } from '../../shared/people.js';
import { queueWebhookEvent, type WebhookEventInput } from '../webhooks/webhook-event.repository.js';

/** The lower-cased search keys; every write of a name goes through this. */
export function nameKeys(firstName: string, lastName: string): { name_key: string; last_name_key: string } {
  return { name_key: `${firstName} ${lastName}`.trim().toLowerCase(), last_name_key: lastName.trim().toLowerCase() };
}

/** Unique IDs are matched exactly after trimming surrounding spaces; an empty one is no ID. */
export function normalizeUniqueId(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

export function normalizeEmail(value: string | null | undefined): string | null {
  const v = value?.trim().toLowerCase();
  return v ? v : null;
}

export async function findPersonById(db: DbOrTrx, id: number): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads the person for update (PostgreSQL row lock; SQLite has one writer already). */
export async function lockPerson(db: DbOrTrx, id: number): Promise<PersonRow | undefined> {
  const q = db.selectFrom('person').selectAll().where('id', '=', id);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

export async function findPersonByEmail(db: DbOrTrx, email: string): Promise<PersonRow | undefined> {
  const e = normalizeEmail(email);
  return e ? db.selectFrom('person').selectAll().where('email', '=', e).executeTakeFirst() : undefined;
}

export async function findPersonByUniqueId(db: DbOrTrx, uniqueId: string): Promise<PersonRow | undefined> {
  const u = normalizeUniqueId(uniqueId);
  return u ? db.selectFrom('person').selectAll().where('unique_id', '=', u).executeTakeFirst() : undefined;
}

export async function findPersonByInviteTokenHash(db: DbOrTrx, hash: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('invite_token_hash', '=', hash).executeTakeFirst();
}

export async function insertPerson(
  db: DbOrTrx,
  values: Omit<NewPerson, 'name_key' | 'last_name_key'>,
): Promise<PersonRow> {
  const person = await db
    .insertInto('person')
    .values({ ...values, ...nameKeys(values.first_name ?? '', values.last_name ?? '') })
    .returningAll()
    .executeTakeFirstOrThrow();
  await queueWebhookEvent(db, person.created_at, personCreatedEvent(person));
  return person;
}

/** The `person.created` webhook event of a new person. */
export function personCreatedEvent(p: Pick<PersonRow, 'id' | 'status' | 'unique_id' | 'email'>): WebhookEventInput {
  return {
    type: 'person.created',
    personId: p.id,
    data: { personId: p.id, status: p.status, uniqueId: p.unique_id, email: p.email },
  };
}

/**
 * A status change as a webhook event (`person.activated`, `person.deactivated`); `extra` adds to
 * its data (an approval that merged a pending person into a pre-verified record names it).
 */
export function personStatusEvent(
  type: 'person.activated' | 'person.deactivated',
  p: Pick<PersonRow, 'id' | 'unique_id'>,
  from: string,
  extra: Readonly<Record<string, unknown>> = {},
): WebhookEventInput {
  return { type, personId: p.id, data: { personId: p.id, uniqueId: p.unique_id, from, ...extra } };
}

/** What a `person.updated` event says changed (the new values). */
export interface PersonChanges {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly memberTypeId?: number;
}

/** The `person.updated` webhook event: a person's name, email or member type changed. */
export function personUpdatedEvent(
  p: { readonly id: number; readonly unique_id: string | null },
  changes: PersonChanges,
  dataJobId: number | null,
): WebhookEventInput {
  return {
    type: 'person.updated',
    personId: p.id,
    data: { personId: p.id, uniqueId: p.unique_id, changes, dataJobId },
  };
}

export async function deletePerson(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('person').where('id', '=', id).execute();
}

/** Updates a person; when either name changes, the search keys follow. */
export async function updatePerson(db: DbOrTrx, id: number, set: PersonUpdate): Promise<void> {
  let keys = {};
  if (set.first_name !== undefined || set.last_name !== undefined) {
    const current =
      set.first_name === undefined || set.last_name === undefined ? await findPersonById(db, id) : undefined;
    keys = nameKeys(set.first_name ?? current?.first_name ?? '', set.last_name ?? current?.last_name ?? '');
  }
  await db
    .updateTable('person')
    .set({ ...set, ...keys })
    .where('id', '=', id)
    .execute();
}

export async function hasActiveAdmin(db: DbOrTrx): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where('is_admin', '=', 1)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Active site admins, locked on PostgreSQL so that two admins cannot remove each other at once. */
export async function lockActiveAdminIds(db: DbOrTrx): Promise<number[]> {
  const q = db.selectFrom('person').select('id').where('is_admin', '=', 1).where('status', '=', 'active').orderBy('id');
  const rows = await (isPostgres(db) ? q.forUpdate() : q).execute();
  return rows.map((r) => r.id);
}

/** The Members tabs' counts, read from the trigger-kept counters. */
export async function readPersonCounts(db: DbOrTrx): Promise<PersonTabCounts> {
  const rows = await db
    .selectFrom('person_count')
    .select(['key', sql<number>`sum(n)`.as('n')])
    .groupBy('key')
    .execute();
  const counts: PersonTabCounts = { active: 0, pending: 0, invited: 0, pre_verified: 0, inactive: 0, admins: 0 };
  for (const r of rows) if (r.key in counts) counts[r.key as keyof PersonTabCounts] = Number(r.n);
  return counts;
}

/**
 * Reserves `n` consecutive Pre-verification IDs and returns the first. Never below what the
 * table already holds, so rows inserted directly (the demo loader, an old import) cannot collide.
 */
export async function reservePreverificationIds(db: DbOrTrx, n: number): Promise<number> {
  const floor = sql<number>`(select coalesce(max(preverification_id), 0) + 1 from person)`;
  // greatest() on PostgreSQL, the two-argument max() on SQLite: the same idea, two spellings.
  const start = isPostgres(db) ? sql<number>`greatest(next_value, ${floor})` : sql<number>`max(next_value, ${floor})`;
  const row = await db
    .updateTable('id_sequence')
    .set({ next_value: sql<number>`${start} + ${n}` })
    .where('name', '=', 'preverification_id')
    .returning('next_value')
    .executeTakeFirstOrThrow();
  return Number(row.next_value) - n;
}
