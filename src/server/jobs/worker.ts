/**
 * The worker: the job runner and the email sender, in `convene serve` (unless --no-worker) and
 * alone in `convene worker`. Several workers may run against one PostgreSQL database.
 */
import type { AppContext } from '../context.js';
import { type EmailSenderOptions, startEmailSender } from '../email/sender.js';
import { scheduleCleanup } from './maintenance.js';
import { type JobRunnerOptions, startJobRunner } from './runner.js';

export interface WorkerOptions {
  readonly jobs?: JobRunnerOptions;
  readonly email?: EmailSenderOptions;
}

/** Starts both loops; the returned function stops them and waits for the work in progress. */
export async function startWorker(ctx: AppContext, options: WorkerOptions = {}): Promise<() => Promise<void>> {
  const runner = startJobRunner(ctx, options.jobs);
  const sender = startEmailSender(ctx, options.email);
  const stopCleanup = scheduleCleanup(ctx);
  ctx.log.info({ workerId: runner.workerId }, 'worker started');
  return async () => {
    await Promise.all([stopCleanup(), runner.stop(), sender.stop()]);
  };
}
