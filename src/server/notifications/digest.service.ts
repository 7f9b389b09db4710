/**
 * The daily digests: leaders get one email listing the join requests of the day before across
 * the communities they lead (when they take the digest, the default), and site admins one
 * listing the people waiting for approval (only when someone is). Days are UTC days. The worker
 * queues each digest job every hour; the first run of a day sends that day's digest and every
 * later run finds it done. A digest goes through its recipients in id order, a batch per
 * transaction that queues the batch's emails and records the last recipient done, so a digest
 * stopped half-way resumes where it stopped; each email's dedupe key (kind, person, day) makes
 * a replayed batch queue nothing twice.
 */
import type { NotificationKind } from '../../shared/notifications.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import { type OutgoingEmail } from '../email/outbox.repository.js';
import { queueEmail } from '../email/outbox.service.js';
import type { JobHandler } from '../jobs/job-handler.js';
import { listJoinRequestDigestLeaders, listJoinRequestsForDigest } from '../memberships/index.js';
import { listApprovalDigestAdmins, listPendingPeople } from './approval-queue.repository.js';
import { advanceDigest, startDigest } from './digest.repository.js';
import { type ApprovalQueuePayload, digestListLimit, type JoinRequestDigestPayload } from './notification.email.js';
import { displayName } from './notify.service.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How many recipients one transaction of a digest serves. */
export const digestBatch = 200;

export interface DigestOptions {
  readonly batchSize?: number;
  /** called between batches (the job's lease) */
  readonly heartbeat?: () => Promise<void>;
  readonly signal?: AbortSignal;
}

/** One batch: the emails for the recipients after `afterId`, and the last recipient's id. */
type Batch = (
  trx: DbOrTrx,
  afterId: number,
  limit: number,
) => Promise<{ emails: OutgoingEmail[]; lastId: number; count: number }>;

/** Runs today's digest of a kind to the end (or resumes it); returns how many emails it queued. */
async function runDigest(
  ctx: AppContext,
  kind: NotificationKind,
  batch: Batch,
  options: DigestOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? digestBatch;
  const day = Math.floor(ctx.clock.now() / DAY_MS);
  const progress = await startDigest(ctx.db, kind, day, ctx.clock.now());
  if (progress.done_at !== null) return 0;
  let after = progress.after_person_id;
  let queued = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const done = await ctx.db.transaction().execute(async (trx) => {
      const { emails, lastId, count } = await batch(trx, after, batchSize);
      for (const email of emails) if ((await queueEmail(ctx, trx, email)) !== undefined) queued++;
      after = Math.max(after, lastId);
      const finished = count < batchSize;
      await advanceDigest(trx, kind, day, after, finished, ctx.clock.now());
      return finished;
    });
    if (done) return queued;
    await options.heartbeat?.();
  }
}

/** The leaders' digest of join requests made on the day before today (UTC). */
export async function sendJoinRequestDigests(ctx: AppContext, options: DigestOptions = {}): Promise<number> {
  const day = Math.floor(ctx.clock.now() / DAY_MS);
  const window = { from: (day - 1) * DAY_MS, to: day * DAY_MS };
  return runDigest(
    ctx,
    'join_requests',
    async (trx, afterId, limit) => {
      const leaders = await listJoinRequestDigestLeaders(trx, window, afterId, limit);
      const requests = await listJoinRequestsForDigest(
        trx,
        window,
        leaders.map((l) => l.id),
      );
      const emails = leaders.map((leader): OutgoingEmail => {
        const mine = requests.filter((r) => r.leader_id === leader.id);
        const payload: JoinRequestDigestPayload = {
          personId: leader.id,
          requests: mine.slice(0, digestListLimit).map((r) => ({
            communityId: r.community_id,
            communityName: r.community_name,
            requesterName: displayName(r),
          })),
          total: mine.length,
        };
        return {
          dedupeKey: `notification_join_request_digest:${leader.id}:${day}`,
          to: leader.email,
          template: 'notification_join_request_digest',
          payload: { ...payload },
          category: 'transactional',
        };
      });
      return { emails, lastId: leaders.at(-1)?.id ?? afterId, count: leaders.length };
    },
    options,
  );
}

/** The admins' digest of people waiting for approval; nothing when nobody waits. */
export async function sendApprovalQueueDigests(ctx: AppContext, options: DigestOptions = {}): Promise<number> {
  const day = Math.floor(ctx.clock.now() / DAY_MS);
  return runDigest(
    ctx,
    'approval_queue',
    async (trx, afterId, limit) => {
      const pending = await listPendingPeople(trx, digestListLimit);
      if (pending.total === 0) return { emails: [], lastId: afterId, count: 0 };
      const admins = await listApprovalDigestAdmins(trx, afterId, limit);
      const emails = admins.map((admin): OutgoingEmail => {
        const payload: ApprovalQueuePayload = {
          personId: admin.id,
          people: pending.first.map((p) =>
            p.email && displayName(p) !== p.email ? `${displayName(p)} (${p.email})` : displayName(p),
          ),
          total: pending.total,
        };
        return {
          dedupeKey: `notification_approval_queue:${admin.id}:${day}`,
          to: admin.email,
          template: 'notification_approval_queue',
          payload: { ...payload },
          category: 'transactional',
        };
      });
      return { emails, lastId: admins.at(-1)?.id ?? afterId, count: admins.length };
    },
    options,
  );
}

export const joinRequestDigestJob: JobHandler<'notifications.join_request_digest'> = async (ctx, _payload, job) => {
  const queued = await sendJoinRequestDigests(ctx, { heartbeat: () => job.heartbeat(), signal: job.signal });
  if (queued) ctx.log.info({ queued }, 'join request digests queued');
};

export const approvalQueueDigestJob: JobHandler<'notifications.approval_digest'> = async (ctx, _payload, job) => {
  const queued = await sendApprovalQueueDigests(ctx, { heartbeat: () => job.heartbeat(), signal: job.signal });
  if (queued) ctx.log.info({ queued }, 'approval queue digests queued');
};
