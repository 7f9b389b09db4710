/**
 * The job runner: claims due jobs under a lease, heartbeats while the handler runs, and records
 * the outcome — completed, retried later with backoff and jitter, or failed for good with the
 * error kept. A job whose worker died is taken over once its lease expires.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { jobRunSeconds, jobsFinished } from '../metrics/process-metrics.js';
import type { AppContext } from '../context.js';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import type { JobRow } from '../db/schema.js';
import { backoffDelay, errorText } from './backoff.js';
import { type AnyJobHandler, type JobRun, LeaseLostError, PermanentJobError } from './job-handler.js';
import { startPollLoop } from './poll-loop.js';
import {
  claimJob,
  completeJob,
  extendJobLease,
  failAbandonedJobs,
  failJobAttempt,
  releaseJob,
} from './queue.repository.js';

export interface JobRunnerOptions {
  /** job name → handler: every module's handlers (modules.ts); tests pass their own */
  readonly handlers: Readonly<Record<string, AnyJobHandler | undefined>>;
  /** defaults to host:pid:random */
  readonly workerId?: string;
  /** jobs run at once by this process (each slot claims its own job); default 2 */
  readonly concurrency?: number;
  readonly pollMs?: number;
  /** defaults to the configuration's JOB_LEASE_MS */
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  readonly retryBaseMs?: number;
  readonly retryCapMs?: number;
}

const defaults = { concurrency: 2, pollMs: 400, retryBaseMs: 5_000, retryCapMs: 60 * 60_000 };

export interface JobRunner {
  readonly workerId: string;
  stop(): Promise<void>;
  wake(): void;
}

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

/** Runs one due job, if any; true when a job was found (so the caller polls again at once). */
export async function runNextJob(
  ctx: AppContext,
  options: JobRunnerOptions & { workerId: string },
  shutdown?: AbortSignal,
): Promise<boolean> {
  const leaseMs = options.leaseMs ?? ctx.config.jobLeaseMs;
  const now = ctx.clock.now();
  const row = await claimJob(ctx.db, options.workerId, now, now + leaseMs);
  if (!row) return false;
  await runClaimedJob(ctx, row, options, shutdown);
  return true;
}

async function runClaimedJob(
  ctx: AppContext,
  row: JobRow,
  options: JobRunnerOptions & { workerId: string },
  shutdown?: AbortSignal,
): Promise<void> {
  const { workerId } = options;
  const leaseMs = options.leaseMs ?? ctx.config.jobLeaseMs;
  const handler = Object.hasOwn(options.handlers, row.name) ? options.handlers[row.name] : undefined;
  const log = ctx.log.child({ job: row.id, jobName: row.name, attempt: row.attempts });
  // A shutdown that came while the job was being claimed has already fired its event: the job is
  // handed back untried (its handler would never hear of the shutdown, and stop() would wait for
  // the whole job).
  if (shutdown?.aborted) {
    await releaseJob(ctx.db, row.id, workerId, ctx.clock.now());
    log.info('job handed back untried: shutting down');
    return;
  }
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new Error('the worker is shutting down'));
  shutdown?.addEventListener('abort', onShutdown);
  let leaseLost = false;
  const heartbeat = async () => {
    if (!leaseLost) {
      leaseLost = !(await extendJobLease(ctx.db, row.id, workerId, ctx.clock.now() + leaseMs, ctx.clock.now()));
      if (leaseLost) controller.abort(new LeaseLostError(row.id));
    }
    if (leaseLost) throw new LeaseLostError(row.id);
  };
  const timer = setInterval(
    () => {
      heartbeat().catch(() => {});
    },
    options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3)),
  );
  const job: JobRun = { id: row.id, attempt: row.attempts, heartbeat, signal: controller.signal };
  const endRun = jobRunSeconds.startTimer({ name: row.name });
  const ended = (outcome: string) => {
    endRun();
    jobsFinished.inc({ name: row.name, outcome });
  };
  try {
    if (!handler) throw new Error(`no handler is registered for job "${row.name}"`);
    await handler(ctx, JSON.parse(row.payload) as never, job);
    clearInterval(timer);
    const completed = await completeJob(ctx.db, row.id, workerId, ctx.clock.now());
    ended(completed ? 'completed' : 'lease_lost');
    if (!completed) log.warn('job finished after its lease was lost; the new owner decides its outcome');
  } catch (error) {
    clearInterval(timer);
    const now = ctx.clock.now();
    if (leaseLost) {
      ended('lease_lost');
      log.warn('job stopped: its lease was lost to another worker');
    } else if (isDatabaseUnavailable(error)) {
      // The database went away under the job: not the job's fault, so the attempt is handed back
      // and the job resumes where it stopped. While the database is still away the hand-back fails
      // too; the job is then taken over when its lease runs out.
      ended('interrupted');
      const handedBack = await releaseJob(ctx.db, row.id, workerId, now).catch(() => false);
      log.warn({ handedBack }, 'job interrupted: the database is unavailable');
    } else if (shutdown?.aborted && !(error instanceof PermanentJobError)) {
      ended('handed_back');
      await releaseJob(ctx.db, row.id, workerId, now);
      log.info('job handed back for another worker: shutting down');
    } else {
      const lastTry = error instanceof PermanentJobError || row.attempts >= row.max_attempts;
      const retryAt = lastTry
        ? undefined
        : now +
          backoffDelay(
            row.attempts,
            options.retryBaseMs ?? defaults.retryBaseMs,
            options.retryCapMs ?? defaults.retryCapMs,
          );
      ended(lastTry ? 'failed' : 'retry');
      await failJobAttempt(ctx.db, row.id, workerId, errorText(error), now, retryAt);
      if (lastTry) log.error({ err: error }, 'job failed for good');
      else log.warn({ err: error, retryAt }, 'job failed; will retry');
    }
  } finally {
    clearInterval(timer);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}

/** Starts `concurrency` claim loops. stop() stops claiming, signals running handlers, and waits for them. */
export function startJobRunner(ctx: AppContext, options: JobRunnerOptions): JobRunner {
  const workerId = options.workerId ?? newWorkerId();
  const shutdown = new AbortController();
  const opts = { ...options, workerId };
  let lastSweep = 0;
  const loops = Array.from({ length: options.concurrency ?? defaults.concurrency }, (_, slot) =>
    startPollLoop(
      `jobs[${slot}]`,
      async () => {
        if (shutdown.signal.aborted) return false;
        const found = await runNextJob(ctx, opts, shutdown.signal);
        if (!found && slot === 0 && ctx.clock.now() - lastSweep > 5_000) {
          lastSweep = ctx.clock.now();
          const n = await failAbandonedJobs(ctx.db, lastSweep);
          if (n) ctx.log.error({ count: n }, 'jobs failed: their worker stopped during the last attempt');
        }
        return found;
      },
      { intervalMs: options.pollMs ?? defaults.pollMs, log: ctx.log },
    ),
  );
  return {
    workerId,
    wake: () => loops.forEach((l) => l.wake()),
    stop: async () => {
      shutdown.abort();
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
