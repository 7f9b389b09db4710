/**
 * The expiry of invitations: the sweep's batched `expire` transition, and a leader's extension of
 * an open or an expired invitation. The sweep reads membership_open_expiry_idx (2026-12-03T1100):
 * its predicate is repeated here with literal states, because SQLite uses a partial index only
 * when the query's terms match the index's, and a bound parameter matches no literal.
 */
import { sql } from 'kysely';
import type { DbOrTrx } from '../db/db.js';
import { queueWebhookEvents, wantsWebhookEvents } from '../webhooks/webhook-event.repository.js';
import { fromStatesOf, targetOf } from './membership.transitions.js';
import { openInvitationStates } from './membership.repository.js';
import { type ReminderScheduleDays, rescheduleReminderSql } from './invitation-reminder.repository.js';
import { type TableKey, tableWindow, tableWindowEnd } from './table-walk.repository.js';
import {
  addFunnelDeltas,
  countsFunnelInStatement,
  countsFunnelSetBased,
  pgStepCountSql,
  withoutFunnelSteps,
  withSetBasedFunnel,
} from './funnel-bulk.repository.js';
import { addInvitedCountDeltas } from './invited-count.repository.js';
import type { InvitationEmailStatus, MembershipSource } from '../../shared/enums.js';

interface ExpiredRow {
  person_id: number;
  community_id: number;
  data_job_id: number | null;
  invited_by: number | null;
  source: MembershipSource;
  email_status: InvitationEmailStatus | null;
  joined_at: number | null;
}

/** What the sweep's statements return: what the funnel and the Invited list's counts need. */
const expiredColumns = [
  'person_id',
  'community_id',
  'data_job_id',
  'invited_by',
  'source',
  'email_status',
  'joined_at',
] as const;

/**
 * SQLite: the expired step of the rows a sweep statement ended, added set-based (the update's row
 * triggers are off meanwhile; funnel-bulk.repository.ts). Every such row went from open to ended by
 * expiry at `now` with nothing else of the funnel changed: one `expired` each, in `now`'s week.
 * In the Invited list's counts each leaves its open group for its expired one (none if the
 * person had joined before: such an end is not listed).
 */
const countExpired = (now: number) => async (db: DbOrTrx, rows: readonly ExpiredRow[]) => {
  await addFunnelDeltas(
    db,
    rows.map((r) => [r.community_id, r.data_job_id, r.invited_by, 'expired', now, 1] as const),
  );
  await addInvitedCountDeltas(
    db,
    rows.flatMap((r) => [
      [r.community_id, 'open', r.source, r.email_status, -1] as const,
      ...(r.joined_at === null ? [[r.community_id, 'expired', r.source, r.email_status, 1] as const] : []),
    ]),
  );
};

/** The `membership.expired` webhook event of an expired row. */
const expiredEvent = (r: Pick<ExpiredRow, 'person_id' | 'community_id'>) => ({
  type: 'membership.expired' as const,
  personId: r.person_id,
  data: { personId: r.person_id, communityId: r.community_id },
});

const expiring = sql<boolean>`state in (${sql.join(fromStatesOf('expire').map((s) => sql.lit(s)))})`;

/**
 * Expires up to `limit` open invitations whose time has come (expires_at ≤ now), soonest first,
 * in one statement; returns how many it expired. A batch commits alone, so a sweep that stops
 * half-way resumes where it stopped.
 */
export async function expireDueInvitations(db: DbOrTrx, now: number, limit: number): Promise<number> {
  const due = db
    .selectFrom('membership')
    .select(['person_id', 'community_id'])
    .where(expiring)
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit);
  const res = await withSetBasedFunnel(
    db,
    'update',
    (trx) =>
      trx
        .updateTable('membership')
        .set({ state: targetOf('expire'), ended_by: 'expire', updated_at: now })
        .where((eb) => eb(eb.refTuple('person_id', 'community_id'), 'in', due.$asTuple('person_id', 'community_id')))
        // compare-and-set: a join or decline that committed meanwhile keeps its state. Its states are
        // bound parameters, not the index's literals: the update finds its rows by the primary key;
        // with the literals SQLite ranges over the partial index's every due row for each batch.
        .where('state', 'in', [...fromStatesOf('expire')])
        .where('expires_at', '<=', now)
        .returning([...expiredColumns])
        .execute(),
    countExpired(now),
  );
  await queueWebhookEvents(db, now, res.map(expiredEvent));
  return res.length;
}

/**
 * How many open invitations are due to expire, counted up to `cap` (through the partial expiry
 * index): the sweep walks the table instead of the index from `cap` on.
 */
export async function countDueExpiries(db: DbOrTrx, now: number, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('membership')
        .select('person_id')
        .where(expiring)
        .where('expires_at', 'is not', null)
        .where('expires_at', '<=', now)
        .limit(cap)
        .as('due'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Expires the next `limit` due invitations after `after` in the table's own order (table-walk.repository.ts),
 * in one statement over that window: the catch-up when many are due at once. Returns how many it
 * expired and the window's end (undefined: it ran to the end of the table). The states are bound
 * parameters, not the partial index's literals, so that both statements walk the table.
 */
export async function expireDueInvitationsInTableOrder(
  db: DbOrTrx,
  now: number,
  after: TableKey | undefined,
  limit: number,
): Promise<{ expired: number; last: TableKey | undefined }> {
  if (!db.isTransaction)
    return db.transaction().execute((trx) => expireDueInvitationsInTableOrder(trx, now, after, limit));
  const from = [...fromStatesOf('expire')];
  const due = sql<boolean>`state in (${sql.join(from)}) and expires_at <= ${now}`;
  const last = await tableWindowEnd(db, due, after, limit);
  // the rows come back only for what needs them: webhook events, SQLite's funnel counts
  const events = await wantsWebhookEvents(db, 'membership.expired');
  const update = db
    .updateTable('membership')
    .set({ state: targetOf('expire'), ended_by: 'expire', updated_at: now })
    .where(tableWindow(db, after, last))
    // compare-and-set: a join or decline that committed meanwhile keeps its state
    .where('state', 'in', from)
    .where('expires_at', '<=', now);
  const returned = update.returning([...expiredColumns]);
  let expired: { n: number; rows: ExpiredRow[] };
  if (countsFunnelInStatement(db)) {
    // PostgreSQL: the expired step counted in the update's own statement, grouped by scopes,
    // instead of the update trigger comparing every old and new row (skipped meanwhile).
    expired = await withoutFunnelSteps(db, async () => {
      const { rows } = await sql<ExpiredRow & { n: number | string }>`with expired as (${returned}),
        counted as (${pgStepCountSql('expired', 'expired', now)})
        ${events ? sql`select *, 1 as n from expired` : sql`select count(*) as n from expired`}`.execute(db);
      return events ? { n: rows.length, rows } : { n: Number(rows[0]?.n ?? 0), rows: [] };
    });
  } else {
    expired = await withSetBasedFunnel(
      db,
      'update',
      async (trx) => {
        // the rows only where the funnel is counted here (SQLite) or events want them
        if (!events && !countsFunnelSetBased(trx))
          return { n: Number((await update.executeTakeFirst()).numUpdatedRows), rows: [] };
        const rows = await returned.execute();
        return { n: rows.length, rows };
      },
      (trx, r) => countExpired(now)(trx, r.rows),
    );
  }
  await queueWebhookEvents(db, now, expired.rows.map(expiredEvent));
  return { expired: expired.n, last };
}

/**
 * Sets an open invitation's expiry (null: never), and moves its next reminder (if it has one) to
 * the schedule's next after now; false when there is no open invitation.
 */
export async function setOpenInvitationExpiry(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  expiresAt: number | null,
  now: number,
  schedule: ReminderScheduleDays,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({ expires_at: expiresAt, updated_at: now, next_reminder_at: rescheduleReminderSql(schedule, expiresAt, now) })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where('state', 'in', [...openInvitationStates])
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Opens an expired invitation again with a new expiry (the invite event: left → invited),
 * keeping who invited, when and the message, and its reminders (those still to come move to the
 * schedule's next after now); false when the pair's last invitation did not end by expiry.
 */
export async function reopenExpiredInvitation(
  db: DbOrTrx,
  communityId: number,
  personId: number,
  expiresAt: number | null,
  now: number,
  schedule: ReminderScheduleDays,
): Promise<boolean> {
  const res = await db
    .updateTable('membership')
    .set({
      state: 'invited',
      ended_by: null,
      expires_at: expiresAt,
      updated_at: now,
      next_reminder_at: rescheduleReminderSql(schedule, expiresAt, now),
    })
    .where('community_id', '=', communityId)
    .where('person_id', '=', personId)
    .where(
      'state',
      'in',
      fromStatesOf('invite').filter((s) => s === targetOf('expire')),
    )
    .where('ended_by', '=', 'expire')
    .where('joined_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** How many of a Data Tools job's invitations have since expired (read by the job's index). */
export async function countExpiredInvitationsOfJob(db: DbOrTrx, dataJobId: number): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('data_job_id', '=', dataJobId)
    .where('state', '=', targetOf('expire'))
    .where('ended_by', '=', 'expire')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
