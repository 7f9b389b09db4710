/**
 * Invitation reminders: the sweep's reads of due reminders and its bookkeeping. The due read
 * walks membership_reminder_due_idx (2026-12-03T1400) by (next_reminder_at, person, community);
 * its predicate repeats the index's with a literal state, because SQLite uses a partial index
 * only when the query's terms match the index's.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import { type DbOrTrx, isPostgres } from '../db/db.js';
import { withoutFunnelSteps } from './funnel-bulk.repository.js';
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

// The state is a bound parameter here, not the due index's literal: these reads and writes go by
// the primary key's person prefix. With the literal, SQLite would take the partial due index and
// range over every due reminder of the site for each batch.
const dueOf = (personIds: readonly number[], now: number) =>
  sql<boolean>`m.person_id in (${sql.join(personIds)}) and m.state = ${'invited'}
    and m.next_reminder_at <= ${now} and (m.expires_at is null or m.expires_at > ${now})`;

/** What a batch of reminders did: emails queued, and the invitations they list. */
export interface RemindedPeople {
  readonly emails: number;
  readonly invitations: number;
}

/**
 * Queues the reminders due now of these people, set-based, in the caller's transaction:
 *
 * 1. a person without an address, deactivated or unsubscribed: their due reminders stop (null);
 * 2. a person reminded less than a day ago: theirs wait until the day has passed;
 * 3. everyone else: one `invitation_reminder` email each, built in SQL (grouped by person, the
 *    invitations by community name) and inserted into the outbox by one `INSERT … SELECT`, and
 *    each listed invitation one reminder more, with its next one per the schedule (every point
 *    up to now is covered by this email).
 *
 * An invitation already past its expiry but not yet swept is left to the expiry sweep. The
 * email's payload is invitations' `InvitationReminderPayload`; a person without an account gets
 * their address in the link's fragment at render time (`joinEmailFragment`), as SQL does not
 * URL-encode. The dedupe key (one per person and sweep time) makes a replayed batch queue nothing.
 */
export async function remindDuePeople(
  db: DbOrTrx,
  personIds: readonly number[],
  schedule: ReminderScheduleDays,
  now: number,
  messageDomain: string,
): Promise<RemindedPeople> {
  if (!personIds.length) return { emails: 0, invitations: 0 };
  // its updates set next_reminder_at, reminded_at and reminders_sent only: no funnel step
  return withoutFunnelSteps(db, () => remindPeople(db, personIds, schedule, now, messageDomain));
}

async function remindPeople(
  db: DbOrTrx,
  personIds: readonly number[],
  schedule: ReminderScheduleDays,
  now: number,
  messageDomain: string,
): Promise<RemindedPeople> {
  // One read finds the few people whose reminders stop or wait (by the people's primary key and
  // their memberships' person prefix); the updates then touch only those people's rows.
  const exceptions = await db
    .selectFrom('person as p')
    .select([
      'p.id',
      (eb) =>
        eb
          .or([
            eb('p.email', 'is', null),
            eb('p.status', '=', 'inactive'),
            eb.exists(eb.selectFrom('suppression as s').select('s.email').whereRef('s.email', '=', 'p.email')),
          ])
          .as('stop'),
    ])
    .where('p.id', 'in', [...personIds])
    .where((eb) =>
      eb.or([
        eb('p.email', 'is', null),
        eb('p.status', '=', 'inactive'),
        eb.exists(eb.selectFrom('suppression as s').select('s.email').whereRef('s.email', '=', 'p.email')),
        // an aggregate, probed by the primary key per person: PostgreSQL would run an EXISTS as
        // one hashed scan of the whole table (it expects almost no row reminded recently)
        eb(
          eb
            .selectFrom('membership as r')
            .select((r) => r.fn.max('r.reminded_at').as('at'))
            .whereRef('r.person_id', '=', 'p.id'),
          '>',
          now - dayMs,
        ),
      ]),
    )
    .execute();
  const stop = exceptions.filter((e) => Boolean(Number(e.stop))).map((e) => e.id);
  const later = exceptions.filter((e) => !Number(e.stop)).map((e) => e.id);
  if (stop.length)
    await db.updateTable('membership as m').set({ next_reminder_at: null }).where(dueOf(stop, now)).execute();
  if (later.length)
    await db
      .updateTable('membership as m')
      .set({
        next_reminder_at: sql<number>`(select max(r.reminded_at) from membership r where r.person_id = m.person_id) + ${sql.lit(dayMs)}`,
      })
      .where(dueOf(later, now))
      .execute();
  const mark = db
    .updateTable('membership as m')
    .set((eb) => ({
      reminders_sent: eb('reminders_sent', '+', 1),
      reminded_at: now,
      next_reminder_at: nextReminderSql(schedule, now),
    }))
    .where(dueOf(personIds, now));
  if (isPostgres(db)) {
    // One statement: the email lists exactly the invitations the update moved, even if a join
    // commits meanwhile (the update then skips that row, and so does the email).
    const { rows } = await sql<{ invitations: number; emails: number }>`with marked as (${mark.returning([
      'm.person_id',
      'm.community_id',
      'm.expires_at',
    ])}), queued as (${queueReminderEmails(sql`marked`, personIds, true, now, messageDomain)} returning 1)
      select (select count(*) from marked) as invitations, (select count(*) from queued) as emails`.execute(db);
    return { invitations: Number(rows[0]?.invitations ?? 0), emails: Number(rows[0]?.emails ?? 0) };
  }
  // SQLite: the emails first, from the rows the update then moves; both read this transaction's
  // snapshot (another connection cannot commit a write in between: SQLite has one writer).
  const due = sql`(select m.person_id, m.community_id, m.expires_at from membership m where ${dueOf(personIds, now)})`;
  const queued = await queueReminderEmails(due, personIds, false, now, messageDomain).execute(db);
  const marked = await mark.executeTakeFirst();
  return { invitations: Number(marked.numUpdatedRows), emails: Number(queued.numAffectedRows ?? 0) };
}

/**
 * The outbox insert of one reminder email per person of `due` (rows of person_id, community_id,
 * expires_at), in person order. JSON is built with each dialect's functions (PostgreSQL's json,
 * SQLite's json1), hence raw SQL.
 */
function queueReminderEmails(
  due: RawBuilder<unknown>,
  personIds: readonly number[],
  pg: boolean,
  now: number,
  messageDomain: string,
) {
  const joinPath = sql`case when p.status = 'active' then '/communities/' || c.id
    when c.landing_enabled = 1 then '/join/' || c.slug else '/sign-in' end`;
  const object = pg ? sql`json_build_object` : sql`json_object`;
  const fields = sql`'communityName', c.name, 'communityHeadline', c.headline, 'joinPath', ${joinPath},
    'expiresAt', d.expires_at, 'invitation', ${object}('communityId', d.community_id, 'personId', d.person_id)`;
  // the fragment's flag only for people without an account (an active member's link has none)
  const invitation = sql`case when p.status = 'active' then ${object}(${fields})
    else ${object}(${fields}, 'joinEmailFragment', ${pg ? sql`true` : sql`json('true')`}) end`;
  const list = pg
    ? sql`json_agg(${invitation} order by c.name)`
    : sql`json_group_array(json(${invitation}) order by c.name)`;
  const payload = pg
    ? sql`cast(json_build_object('to', x.email, 'newToSite', x.status <> 'active', 'invitations', x.invitations) as text)`
    : sql`json_object('to', x.email, 'newToSite', json(case when x.status <> 'active' then 'true' else 'false' end),
        'invitations', json(x.invitations))`;
  const nowText = sql`cast(${String(now)} as text)`;
  // PostgreSQL then reads the batch's people by primary key instead of hashing the whole table;
  // SQLite drives from the due rows already, and given the list would rescan them per person.
  const batchPeople = pg ? sql`where p.id in (${sql.join(personIds)})` : sql``;
  return sql`insert into email_outbox (dedupe_key, to_address, template, payload, category, state, attempts,
      next_attempt_at, expires_at, sender_id, message_id, last_error, sent_at, created_at, updated_at)
    select 'invitation_reminder:' || x.person_id || ':' || ${nowText}, x.email, 'invitation_reminder', ${payload},
      'marketing', 'queued', 0, ${now}, null, null,
      '<invitation-reminder-' || x.person_id || '-' || ${nowText} || cast(${`@${messageDomain}>`} as text), null, null, ${now}, ${now}
    from (
      select p.id as person_id, p.email, p.status, ${list} as invitations
      from ${due} d join person p on p.id = d.person_id join community c on c.id = d.community_id
      ${batchPeople}
      group by p.id, p.email, p.status
    ) x
    where true
    order by x.person_id
    on conflict (dedupe_key) do nothing`;
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
