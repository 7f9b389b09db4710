/**
 * Invitation reminders: the periodic sweep that emails each person whose reminders are due one
 * email listing those invitations, at most one a day. Only invitations that were emailed, in a
 * batch that left reminders on, have a next reminder (written at invite time); an invitation that
 * is no longer open leaves the sweep's index, and a suppressed or deactivated address stops them.
 */
import type { AppContext } from '../context.js';
import type { JobHandler } from '../jobs/job-handler.js';
import {
  countDueReminders,
  findDueReminderPeople,
  findDueReminderPeopleInTableOrder,
  type ReminderCursor,
  remindDuePeople,
  type TableKey,
} from '../memberships/index.js';
import { getSiteSettings } from '../site/site-settings.service.js';
import { type SweepOptions, sweepTableOrderFrom } from './invitation-expiry.service.js';
import { batchSizer, sweepBatchSizing } from './sweep-batch.js';

/**
 * A reminder batch is one transaction as large as the expiry sweep's; its statements bind the
 * people's ids as parameters (SQLite takes at most 32,766 in a statement), a few thousand people
 * at a time.
 */
export const reminderBatchSizing = sweepBatchSizing;

/** A reminder statement binds at most this many people. */
const peoplePerStatement = 4000;

export interface ReminderSweepResult {
  /** reminder emails queued */
  readonly emails: number;
  /** invitations those emails listed */
  readonly invitations: number;
}

/**
 * Queues the reminders due now (memberships' remindDuePeople: one email per person listing their
 * due invitations; none to a person without an address, deactivated or unsubscribed, whose
 * reminders stop; a person reminded less than a day ago waits for the day), batch after batch (sized by the time they take, sweep-batch.ts):
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
  const domain = new URL(ctx.config.publicUrl).hostname;
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
          const part = await remindDuePeople(trx, personIds.slice(i, i + peoplePerStatement), schedule, now, domain);
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

/** The `invitations.remind` job: the sweep, queued by every worker every few minutes. */
export const remindInvitationsJob: JobHandler<'invitations.remind'> = async (ctx, _payload, job) => {
  const sent = await sweepInvitationReminders(ctx, { heartbeat: () => job.heartbeat(), signal: job.signal });
  if (sent.emails) ctx.log.info(sent, 'invitation reminders queued');
};
