/**
 * `maintenance.cleanup`: deletes rows that no rule reads any more (old sign-in codes and counters,
 * ended sessions, day-old idempotency keys, finished jobs after a week, emails and audit events past
 * the site's retention period). Every worker schedules it
 * hourly; the dedupe key keeps one queued at a time across processes.
 */
import { purgeExpiredSignInData } from '../auth/cleanup.js';
import type { AppContext } from '../context.js';
import { purgeExpiredLogs } from '../site/log-retention.js';
import type { JobHandler } from './job-handler.js';
import { enqueueJob } from './queue.repository.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface CleanupReport {
  readonly signInCodes: number;
  readonly rateLimits: number;
  readonly sessions: number;
  readonly idempotencyKeys: number;
  readonly jobs: number;
  readonly emails: number;
  readonly auditEvents: number;
}

export async function runCleanup(ctx: AppContext): Promise<CleanupReport> {
  const now = ctx.clock.now();
  const signIn = await purgeExpiredSignInData(ctx);
  const keys = await ctx.db
    .deleteFrom('idempotency_key')
    .where('created_at', '<', now - DAY_MS)
    .executeTakeFirst();
  const jobs = await ctx.db
    .deleteFrom('job')
    .where('state', '=', 'completed')
    .where('updated_at', '<', now - 7 * DAY_MS)
    .executeTakeFirst();
  const logs = await purgeExpiredLogs(ctx);
  return { ...signIn, idempotencyKeys: Number(keys.numDeletedRows), jobs: Number(jobs.numDeletedRows), ...logs };
}

export const cleanupHandler: JobHandler<'maintenance.cleanup'> = async (ctx) => {
  const report = await runCleanup(ctx);
  ctx.log.info({ report }, 'maintenance cleanup done');
};

/** Queues the cleanup now (unless one is already queued or running) and every hour after. */
export function scheduleCleanup(ctx: AppContext): () => void {
  const queue = () => {
    enqueueJob(ctx.db, 'maintenance.cleanup', {}, ctx.clock.now(), {
      dedupeKey: 'maintenance.cleanup',
      maxAttempts: 3,
    }).catch((error: unknown) => ctx.log.warn({ err: error }, 'could not queue maintenance cleanup'));
  };
  queue();
  const timer = setInterval(queue, HOUR_MS);
  timer.unref();
  return () => clearInterval(timer);
}
