/**
 * Invitation reminders: the periodic sweep that emails each person whose reminders are due one
 * email listing those invitations, at most one a day. Only invitations that were emailed, in a
 * batch that left reminders on, have a next reminder (written at invite time); an invitation that
 * is no longer open leaves the sweep's index, and a suppressed or deactivated address stops them.
 */
import type { AppContext } from '../context.js';
import type { JobHandler } from '../jobs/job-handler.js';
import {
  type DueReminder,
  findDueReminderPeople,
  findDueRemindersOfPeople,
  findLastRemindedAt,
  markRemindersSent,
  postponeReminders,
  type ReminderCursor,
} from '../memberships/index.js';
import { getSiteSettings } from '../site/site-settings.service.js';
import { joinPathFor, queueInvitationEmails } from './invitation-email.js';
import { findSuppressedEmails } from './invitation.repository.js';
import { invitationReminderEmail } from './invitation-reminder-email.js';
import { dayMs } from './reminder-schedule.js';
import type { SweepOptions } from './invitation-expiry.service.js';
import { batchSizer, sweepBatchSizing } from './sweep-batch.js';

/**
 * A reminder batch binds its people's ids and addresses as parameters (SQLite takes at most
 * 32,766 in a statement), so it stays smaller than the expiry sweep's.
 */
export const reminderBatchSizing = { ...sweepBatchSizing, max: 8000 };

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
  let cursor: ReminderCursor | undefined;
  let emails = 0;
  let invitations = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await sizer.run(async (limit) => {
      const { personIds, last } = await findDueReminderPeople(ctx.db, now, cursor, limit);
      if (!last) return undefined;
      cursor = last;
      return ctx.db.transaction().execute(async (trx) => {
        const due = await findDueRemindersOfPeople(trx, personIds, now);
        const byPerson = new Map<number, DueReminder[]>();
        for (const d of due) byPerson.set(d.person_id, [...(byPerson.get(d.person_id) ?? []), d]);
        const reminded = await findLastRemindedAt(trx, [...byPerson.keys()]);
        const suppressed = await findSuppressedEmails(trx, [
          ...new Set(due.flatMap((d) => (d.email ? [d.email] : []))),
        ]);
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
        await queueInvitationEmails(ctx, trx, outgoing);
        return { emails: outgoing.length, invitations: marked.size };
      });
    });
    if (!batch) break;
    emails += batch.emails;
    invitations += batch.invitations;
    await options.heartbeat?.();
  }
  return { emails, invitations };
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
