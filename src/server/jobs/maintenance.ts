/**
 * `maintenance.cleanup`: deletes rows that no rule reads any more. Each feature module names what
 * it deletes (old sign-in codes and counters, ended sessions, day-old idempotency keys); the job
 * queue deletes its finished jobs after a week. Every worker schedules it hourly; the dedupe key
 * keeps one queued at a time across processes.
 */
import type { AppContext } from '../context.js';
import type { JobHandler } from './job-handler.js';
import { deleteCompletedJobs, enqueueJob } from './queue.repository.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** One feature's part of the cleanup: deletes its expired rows and counts them by kind. */
export type CleanupTask = (ctx: AppContext) => Promise<Readonly<Record<string, number>>>;

export type CleanupReport = Readonly<Record<string, number>> & { readonly jobs: number };

export async function runCleanup(ctx: AppContext, tasks: readonly CleanupTask[]): Promise<CleanupReport> {
  const report: Record<string, number> = {};
  for (const task of tasks) Object.assign(report, await task(ctx));
  const jobs = await deleteCompletedJobs(ctx.db, ctx.clock.now() - 7 * DAY_MS);
  return { ...report, jobs };
}

/** The `maintenance.cleanup` handler running these tasks. */
export function cleanupHandler(tasks: readonly CleanupTask[]): JobHandler<'maintenance.cleanup'> {
  return async (ctx) => {
    const report = await runCleanup(ctx, tasks);
    ctx.log.info({ report }, 'maintenance cleanup done');
  };
}

/**
 * Queues the cleanup now (unless one is already queued or running) and every hour after. The
 * returned stop function resolves once a queue attempt in flight has settled, so the database
 * can be closed after it.
 */
export function scheduleCleanup(ctx: AppContext): () => Promise<void> {
  let inFlight: Promise<void> = Promise.resolve();
  const queue = () => {
    inFlight = enqueueJob(ctx.db, 'maintenance.cleanup', {}, ctx.clock.now(), {
      dedupeKey: 'maintenance.cleanup',
      maxAttempts: 3,
    }).then(
      () => undefined,
      (error: unknown) => ctx.log.warn({ err: error }, 'could not queue maintenance cleanup'),
    );
  };
  queue();
  const timer = setInterval(queue, HOUR_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}
