/**
 * "Email these invitees": after an invite job (which sends no email), a site admin emails the
 * people it invited — never automatically, never pre-verified people, throttled. Without
 * `confirm` the answer is the count and a preview (the real rendered invitation email); with it
 * the emails are queued in one transaction (outbox rows, memberships, the run, an audit event).
 * A second confirmed run emails only those not emailed yet, so a double click queues nothing twice.
 */
import type { JobInviteeEmailProgress, JobInviteeEmailAnswer } from '../../../shared/data-jobs.js';
import { recordAudit } from '../../audit/audit.repository.js';
import type { Caller } from '../../http/caller.js';
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { communityInvitationTemplate, joinPathFor } from '../../invitations/invitation-email.js';
import {
  countJobInviteeAudience,
  countJobInviteeEmailStates,
  findJobInviteeSample,
  queueJobInviteeEmails,
} from '../../memberships/index.js';
import { findCommunityById } from '../../communities/community.repository.js';
import { lockDataJob } from '../engine/data-job.repository.js';
import { insertEmailRun, listEmailRuns } from '../engine/email-run.repository.js';
import { getDataJob } from './data-job.service.js';

export const inviteeEmailRate = { min: 1, max: 5_000 } as const;

function assertEmailable(job: DataJobRow): void {
  if (job.type !== 'invite_to_community') throw new AppError('job_not_invite');
  if (job.status !== 'completed' && job.status !== 'canceled')
    throw new AppError('job_not_finished', `The job is ${job.status}; email its invitees once it has finished.`);
}

function inviterNameOf(caller: Caller): string {
  const p = caller.person;
  return `${p.first_name} ${p.last_name}`.trim() || p.email || 'A site admin';
}

/** Minutes from the first email to the last at this rate. */
const spreadMinutes = (count: number, rate: number) => (count > 0 ? Math.floor((count - 1) / rate) : 0);

export async function emailJobInvitees(
  ctx: AppContext,
  caller: Caller,
  jobId: number,
  input: { readonly ratePerMinute: number; readonly confirm?: boolean },
): Promise<JobInviteeEmailAnswer> {
  const rate = input.ratePerMinute;
  if (!Number.isInteger(rate) || rate < inviteeEmailRate.min || rate > inviteeEmailRate.max)
    throw new AppError('email_rate_invalid');
  const job = await getDataJob(ctx, jobId);
  assertEmailable(job);
  if (input.confirm !== true) {
    const now = ctx.clock.now();
    const audience = await countJobInviteeAudience(ctx.db, jobId, now);
    return {
      ...audience,
      confirmed: false,
      minutes: spreadMinutes(audience.count, rate),
      preview: await preview(ctx, caller, jobId, now),
    };
  }
  return ctx.db.transaction().execute(async (trx) => {
    // The job's row lock orders two confirmations: the second sees the first's emails and queues only the rest.
    const locked = await lockDataJob(trx, jobId);
    if (!locked) throw new AppError('not_found', 'Data job not found.');
    assertEmailable(locked);
    const now = ctx.clock.now();
    const count = await queueJobInviteeEmails(trx, {
      dataJobId: jobId,
      now,
      ratePerMinute: rate,
      inviterName: inviterNameOf(caller),
      messageDomain: new URL(ctx.config.publicUrl).hostname,
    });
    const minutes = spreadMinutes(count, rate);
    if (count > 0) {
      await insertEmailRun(trx, {
        data_job_id: jobId,
        queued: count,
        rate_per_minute: rate,
        created_by: caller.person.id,
        created_at: now,
        last_send_at: now + minutes * 60_000,
      });
      await recordAudit(
        trx,
        {
          actorId: caller.person.id,
          action: 'data_job.email_invitees',
          targetType: 'data_job',
          targetId: jobId,
          details: { count, ratePerMinute: rate },
        },
        now,
      );
    }
    return { count, preverified: 0, alreadyEmailed: 0, otherwise: 0, confirmed: true, minutes, preview: null };
  });
}

/** The invitation email the first recipient would receive, rendered by the real template. */
async function preview(ctx: AppContext, caller: Caller, jobId: number, now: number) {
  const sample = await findJobInviteeSample(ctx.db, jobId, now);
  if (!sample) return null;
  const community = await findCommunityById(ctx.db, sample.community_id);
  if (!community) return null;
  const newToSite = sample.status !== 'active';
  const rendered = communityInvitationTemplate.render(
    {
      to: sample.email,
      inviterName: inviterNameOf(caller),
      communityName: community.name,
      communityHeadline: community.headline,
      message: null,
      // as the queueing's SQL writes it: the address goes in the fragment at render time
      joinPath: joinPathFor(community, { status: sample.status, email: '' }).replace(/#email=$/, ''),
      newToSite,
      joinEmailFragment: newToSite,
    },
    ctx.config,
  );
  return { to: sample.email, subject: rendered.subject, html: rendered.html, text: rendered.text };
}

/** The runs so far and where their emails stand, for the job's page. */
export async function jobInviteeEmailProgress(ctx: AppContext, jobId: number): Promise<JobInviteeEmailProgress> {
  const job = await getDataJob(ctx, jobId);
  if (job.type !== 'invite_to_community') return { runs: [], states: {} };
  const [runs, states] = await Promise.all([listEmailRuns(ctx.db, jobId), countJobInviteeEmailStates(ctx.db, jobId)]);
  return {
    runs: runs.map((r) => ({
      at: r.created_at,
      count: r.queued,
      ratePerMinute: r.rate_per_minute,
      lastSendAt: r.last_send_at,
      byId: r.created_by,
    })),
    states,
  };
}
