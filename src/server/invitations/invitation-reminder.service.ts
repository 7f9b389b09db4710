/**
 * Invitation reminders: the periodic sweep that emails each person whose reminders are due one
 * email listing those invitations, at most one a day. Only invitations that were emailed, in a
 * batch that left reminders on, have a next reminder (written at invite time); an invitation that
 * is no longer open leaves the sweep's index, and a suppressed or deactivated address stops them.
 */
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { JobHandler } from '../jobs/job-handler.js';
import {
  countDueReminders,
  type DueReminder,
  findDueReminderPeople,
  findDueReminderPeopleInTableOrder,
  findDueRemindersOfPeople,
  findLastRemindedAt,
  markRemindersSent,
  postponeReminders,
  type ReminderCursor,
  type ReminderScheduleDays,
  type TableKey,
} from '../memberships/index.js';
import { getSiteSettings } from '../site/site-settings.service.js';
import { joinPathFor, queueInvitationEmails } from './invitation-email.js';
import { findSuppressedEmails } from './invitation.repository.js';
import { invitationReminderEmail } from './invitation-reminder-email.js';
import { dayMs } from './reminder-schedule.js';
import { type SweepOptions, sweepTableOrderFrom } from './invitation-expiry.service.js';
import { batchSizer, sweepBatchSizing } from './sweep-batch.js';

/**
 * A reminder batch is one transaction as large as the expiry sweep's; its statements bind the
 * people's ids and addresses as parameters (SQLite takes at most 32,766 in a statement), a few
 * thousand people at a time.
 */
export const reminderBatchSizing = sweepBatchSizing;

/** A reminder statement binds at most this many people (and their addresses). */
const peoplePerStatement = 4000;

/** Reminder emails go to the outbox 500 rows a statement (15 parameters a row, within SQLite's 32,766). */
const reminderRowsPerStatement = 500;

export interface ReminderSweepResult {
  /** reminder emails queued */
  readonly emails: number;
  /** invitations those emails listed */
  readonly invitations: number;
}

/**
 * Queues the reminders due now, batch after batch (sized by the time they take, sweep-batch.ts):
 * each batch is one transaction (the bookkeeping and its emails together), and what it handled leaves the due range, so a sweep
 * stopped half-way resumes with the rest; a sweep run twice sends nothing twice.
 */
export async function sweepInvitationReminders(
  ctx: AppContext,
  options: SweepOptions = {},
): Promise<ReminderSweepResult> {
  const sizer = batchSizer(options.batchSize, reminderBatchSizing);
  const now = ctx.clock.now();
  const schedule = await getSiteSettings(ctx.db);
  // Few due: the due index, soonest first; many: the table in its own order (table-walk.repository.ts).
  const from = options.tableOrderFrom ?? sweepTableOrderFrom;
  const inTableOrder = from === 0 || (await countDueReminders(ctx.db, now, from)) >= from;
  let cursor: ReminderCursor | undefined;
  let after: TableKey | undefined;
  /** The people of the next batch, and whether it is the last one. */
  const nextPeople = async (limit: number): Promise<{ personIds: number[]; done: boolean }> => {
    if (inTableOrder) {
      const window = await findDueReminderPeopleInTableOrder(ctx.db, now, after, limit);
      after = window.last;
      return { personIds: window.personIds, done: !window.last };
    }
    const { personIds, last } = await findDueReminderPeople(ctx.db, now, cursor, limit);
    cursor = last;
    return { personIds, done: !last };
  };
  let emails = 0;
  let invitations = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await sizer.run(async (limit) => {
      const { personIds, done } = await nextPeople(limit);
      if (!personIds.length) return { emails: 0, invitations: 0, done };
      const sent = await ctx.db.transaction().execute(async (trx) => {
        const total = { emails: 0, invitations: 0 };
        // one transaction for the batch; its statements bind at most peoplePerStatement people
        for (let i = 0; i < personIds.length; i += peoplePerStatement) {
          const part = await remindPeople(ctx, trx, personIds.slice(i, i + peoplePerStatement), schedule, now);
          total.emails += part.emails;
          total.invitations += part.invitations;
        }
        return total;
      });
      return { ...sent, done };
    });
    emails += batch.emails;
    invitations += batch.invitations;
    if (batch.done) break;
    await options.heartbeat?.();
  }
  return { emails, invitations };
}

/**
 * Queues the reminders due now of these people, in the caller's transaction: one email per person
 * listing their due invitations; none to a person without an address, deactivated or
 * unsubscribed (their reminders stop), or reminded less than a day ago (theirs wait for the day).
 */
async function remindPeople(
  ctx: AppContext,
  trx: DbOrTrx,
  personIds: readonly number[],
  schedule: ReminderScheduleDays,
  now: number,
): Promise<ReminderSweepResult> {
  const due = await findDueRemindersOfPeople(trx, personIds, now);
  const byPerson = new Map<number, DueReminder[]>();
  for (const d of due) byPerson.set(d.person_id, [...(byPerson.get(d.person_id) ?? []), d]);
  const reminded = await findLastRemindedAt(trx, [...byPerson.keys()]);
  const suppressed = await findSuppressedEmails(trx, [...new Set(due.flatMap((d) => (d.email ? [d.email] : [])))]);
  const stop: number[] = [];
  const send: number[] = [];
  const later = new Map<number, number[]>();
  for (const [personId, [first]] of byPerson) {
    if (!first) continue;
    if (!first.email || first.status === 'inactive' || suppressed.has(first.email)) stop.push(personId);
    else {
      const lastAt = reminded.get(personId);
      if (lastAt !== undefined && now < lastAt + dayMs)
        later.set(lastAt + dayMs, [...(later.get(lastAt + dayMs) ?? []), personId]);
      else send.push(personId);
    }
  }
  await postponeReminders(trx, stop, null, now);
  for (const [until, ids] of later) await postponeReminders(trx, ids, until, now);
  const marked = new Set((await markRemindersSent(trx, send, schedule, now)).map((r) => pairOf(r)));
  const outgoing = send.flatMap((personId) => {
    const listed = (byPerson.get(personId) ?? []).filter((d) => marked.has(pairOf(d)));
    return listed.length ? [reminderOf(personId, listed, now)] : [];
  });
  await queueInvitationEmails(ctx, trx, outgoing, reminderRowsPerStatement);
  return { emails: outgoing.length, invitations: marked.size };
}

const pairOf = (r: { person_id: number; community_id: number }) => `${r.person_id}:${r.community_id}`;

function reminderOf(personId: number, due: readonly DueReminder[], now: number) {
  const person = due[0] as DueReminder;
  return invitationReminderEmail(
    personId,
    {
      to: person.email as string,
      newToSite: person.status !== 'active',
      invitations: due.map((d) => ({
        communityName: d.community_name,
        communityHeadline: d.community_headline,
        joinPath: joinPathFor({ id: d.community_id, slug: d.slug, landing_enabled: d.landing_enabled }, person),
        expiresAt: d.expires_at === null ? null : Number(d.expires_at),
        invitation: { communityId: d.community_id, personId },
      })),
    },
    now,
  );
}

/** The `invitations.remind` job: the sweep, queued by every worker every few minutes. */
export const remindInvitationsJob: JobHandler<'invitations.remind'> = async (ctx, _payload, job) => {
  const sent = await sweepInvitationReminders(ctx, { heartbeat: () => job.heartbeat(), signal: job.signal });
  if (sent.emails) ctx.log.info(sent, 'invitation reminders queued');
};
