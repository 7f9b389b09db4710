/**
 * Invitation reminders: the sweep's reads of due reminders and its bookkeeping. The due read
 * walks membership_reminder_due_idx (2026-12-03T1400) by (next_reminder_at, person, community);
 * its predicate repeats the index's with a literal state, because SQLite uses a partial index
 * only when the query's terms match the index's.
 */
import { type Expression, sql } from 'kysely';
import type { PersonStatus } from '../../shared/enums.js';
import type { DbOrTrx } from '../db/db.js';
import type { Flag } from '../db/schema.js';
import { type TableKey, tableWindow, tableWindowEnd } from './table-walk.repository.js';

/** The schedule's shape, as the site settings give it (see invitations' reminder-schedule.ts). */
export interface ReminderScheduleDays {
  readonly reminderDays: readonly number[];
  readonly reminderBeforeExpiryDays: number | null;
}

const dayMs = 24 * 60 * 60 * 1000;
const reminding = sql<boolean>`state = ${sql.lit('invited')} and next_reminder_at is not null`;

/**
 * The SQL form of nextReminderAt: the first reminder of the schedule strictly after `after` and
 * strictly before the expiry, or null. Day offsets are the settings' integers, written as literals.
 */
export function nextReminderSql(
  schedule: ReminderScheduleDays,
  after: number,
  expiresAt: Expression<number | null> = sql.ref('expires_at'),
) {
  const invitedAt = sql.ref('invited_at');
  const before = (point: Expression<unknown>) => sql`(${expiresAt} is null or ${point} < ${expiresAt})`;
  const days = [...schedule.reminderDays].sort((a, b) => a - b).map((d) => sql`${invitedAt} + ${sql.lit(d * dayMs)}`);
  const afterDays = days.length
    ? sql`case ${sql.join(
        days.map((p) => sql`when ${p} > ${after} and ${before(p)} then ${p}`),
        sql` `,
      )} else null end`
    : sql`null`;
  if (schedule.reminderBeforeExpiryDays === null) return sql<number | null>`${afterDays}`;
  const last = sql`${expiresAt} - ${sql.lit(schedule.reminderBeforeExpiryDays * dayMs)}`;
  const beforeExpiry = sql`case when ${expiresAt} is not null and ${last} > ${after} then ${last} else null end`;
  return sql<number | null>`case when (${afterDays}) is null then ${beforeExpiry}
    when (${beforeExpiry}) is null or (${afterDays}) <= (${beforeExpiry}) then ${afterDays} else ${beforeExpiry} end`;
}

/** Where the sweep stands: the last due row it read, in the index's order. */
export interface ReminderCursor {
  readonly at: number;
  readonly personId: number;
  readonly communityId: number;
}

/**
 * The next `limit` due reminders after `cursor`, in the index's order (a keyset range read).
 * Returns the people they belong to and the cursor of the last row read (undefined: none left).
 */
export async function findDueReminderPeople(
  db: DbOrTrx,
  now: number,
  cursor: ReminderCursor | undefined,
  limit: number,
): Promise<{ personIds: number[]; last: ReminderCursor | undefined }> {
  let q = db
    .selectFrom('membership')
    .select(['next_reminder_at', 'person_id', 'community_id'])
    .where(reminding)
    .where('next_reminder_at', '<=', now);
  if (cursor)
    q = q.where((eb) =>
      eb(
        eb.refTuple('next_reminder_at', 'person_id', 'community_id'),
        '>',
        eb.tuple(cursor.at, cursor.personId, cursor.communityId),
      ),
    );
  const rows = await q.orderBy('next_reminder_at').orderBy('person_id').orderBy('community_id').limit(limit).execute();
  const lastRow = rows[rows.length - 1];
  return {
    personIds: [...new Set(rows.map((r) => r.person_id))],
    last: lastRow && {
      at: lastRow.next_reminder_at as number,
      personId: lastRow.person_id,
      communityId: lastRow.community_id,
    },
  };
}

/** How many reminders are due, counted up to `cap` (through the partial reminder index). */
export async function countDueReminders(db: DbOrTrx, now: number, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('membership')
        .select('person_id')
        .where(reminding)
        .where('next_reminder_at', '<=', now)
        .limit(cap)
        .as('due'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The people of the next `limit` due reminders after `after`, in the table's own order
 * (table-walk.repository.ts): the catch-up when many are due at once. Returns them and the window's end
 * (undefined: the window ran to the end of the table). The state is a bound parameter, not the
 * due index's literal, so that SQLite walks the table.
 */
export async function findDueReminderPeopleInTableOrder(
  db: DbOrTrx,
  now: number,
  after: TableKey | undefined,
  limit: number,
): Promise<{ personIds: number[]; last: TableKey | undefined }> {
  const due = sql<boolean>`state = ${'invited'} and next_reminder_at <= ${now}`;
  const last = await tableWindowEnd(db, due, after, limit);
  const rows = await db
    .selectFrom('membership')
    .select('person_id')
    .distinct()
    .where(tableWindow(db, after, last))
    .where(due)
    .execute();
  return { personIds: rows.map((r) => r.person_id), last };
}

/** A due reminder with what its email needs. */
export interface DueReminder {
  readonly person_id: number;
  readonly community_id: number;
  readonly expires_at: number | null;
  readonly email: string | null;
  readonly status: PersonStatus;
  readonly community_name: string;
  readonly community_headline: string;
  readonly slug: string;
  readonly landing_enabled: Flag;
}

// The state is a bound parameter here, not the due index's literal: these reads and writes go by
// the primary key's person prefix. With the literal, SQLite would take the partial due index and
// range over every due reminder of the site for each batch.
const dueOf = (personIds: readonly number[], now: number) =>
  sql<boolean>`m.person_id in (${sql.join(personIds)}) and m.state = ${'invited'}
    and m.next_reminder_at <= ${now} and (m.expires_at is null or m.expires_at > ${now})`;

/**
 * Every due reminder of these people (an invitation already past its expiry but not yet swept is
 * left to the expiry sweep), by their primary key's person prefix.
 */
export async function findDueRemindersOfPeople(
  db: DbOrTrx,
  personIds: readonly number[],
  now: number,
): Promise<DueReminder[]> {
  if (!personIds.length) return [];
  return db
    .selectFrom('membership as m')
    .innerJoin('person as p', 'p.id', 'm.person_id')
    .innerJoin('community as c', 'c.id', 'm.community_id')
    .select([
      'm.person_id',
      'm.community_id',
      'm.expires_at',
      'p.email',
      'p.status',
      'c.name as community_name',
      'c.headline as community_headline',
      'c.slug',
      'c.landing_enabled',
    ])
    .where(dueOf(personIds, now))
    .orderBy('m.person_id')
    .orderBy('c.name')
    .execute();
}

/** When each of these people was last sent a reminder (people never reminded are absent). */
export async function findLastRemindedAt(db: DbOrTrx, personIds: readonly number[]): Promise<Map<number, number>> {
  if (!personIds.length) return new Map();
  const rows = await db
    .selectFrom('membership')
    .select(['person_id', (eb) => eb.fn.max('reminded_at').as('reminded_at')])
    .where('person_id', 'in', [...personIds])
    .where('reminded_at', 'is not', null)
    .groupBy('person_id')
    .execute();
  return new Map(rows.map((r) => [r.person_id, Number(r.reminded_at)]));
}

/**
 * Records a reminder sent now for each due invitation of these people: one more sent, the next
 * one per the schedule (every point up to now is covered by this email). Compare-and-set on the
 * due predicate: an invitation joined or declined meanwhile is not counted. Returns the pairs it
 * moved, which are the ones the email lists.
 */
export async function markRemindersSent(
  db: DbOrTrx,
  personIds: readonly number[],
  schedule: ReminderScheduleDays,
  now: number,
): Promise<{ person_id: number; community_id: number }[]> {
  if (!personIds.length) return [];
  return db
    .updateTable('membership as m')
    .set((eb) => ({
      reminders_sent: eb('reminders_sent', '+', 1),
      reminded_at: now,
      next_reminder_at: nextReminderSql(schedule, now),
    }))
    .where(dueOf(personIds, now))
    .returning(['person_id', 'community_id'])
    .execute();
}

/** Moves these people's due reminders to `until` (null: they get no more), e.g. one email a day. */
export async function postponeReminders(
  db: DbOrTrx,
  personIds: readonly number[],
  until: number | null,
  now: number,
): Promise<void> {
  if (!personIds.length) return;
  await db.updateTable('membership as m').set({ next_reminder_at: until }).where(dueOf(personIds, now)).execute();
}

/** Resets an open invitation's next reminder after its expiry changed (only while it has one). */
export function rescheduleReminderSql(schedule: ReminderScheduleDays, expiresAt: number | null, now: number) {
  return sql<number | null>`case when next_reminder_at is null then null else ${nextReminderSql(
    schedule,
    now,
    // the new expiry as a literal: an untyped null parameter has no type on PostgreSQL
    expiresAt === null ? sql<null>`null` : sql.lit(expiresAt),
  )} end`;
}
