/**
 * The worker: the job runner and the email sender, in `convene serve` (unless --no-worker) and
 * alone in `convene worker`. Several workers may run against one PostgreSQL database.
 */
import type { AppContext } from '../context.js';
import type { DeliveryHook } from '../email/delivery-hooks.js';
import { type EmailSenderOptions, startEmailSender } from '../email/sender.js';
import type { EmailTemplateMap } from '../email/templates.js';
import type { JobHandlerMap } from './job-handler.js';
import { scheduleCleanup } from './maintenance.js';
import { type PeriodicJob, schedulePeriodicJobs } from './periodic.js';
import { type JobRunnerOptions, startJobRunner } from './runner.js';

/** A loop a feature runs in every worker (the webhook sender); stop() waits for its work in flight. */
export interface BackgroundLoop {
  readonly name: string;
  start(ctx: AppContext): { stop(): Promise<void> };
}

/** What the feature modules register for the worker (gathered in modules.ts). */
export interface WorkerRegistries {
  readonly jobHandlers: JobHandlerMap;
  readonly emailTemplates: EmailTemplateMap;
  readonly deliveryHooks: readonly DeliveryHook[];
  readonly periodicJobs?: readonly PeriodicJob[];
  readonly backgroundLoops?: readonly BackgroundLoop[];
}

export interface WorkerOptions {
  readonly jobs?: Partial<JobRunnerOptions>;
  readonly email?: Partial<EmailSenderOptions>;
}

/** Starts both loops; the returned function stops them and waits for the work in progress. */
export async function startWorker(
  ctx: AppContext,
  registries: WorkerRegistries,
  options: WorkerOptions = {},
): Promise<() => Promise<void>> {
  const runner = startJobRunner(ctx, { handlers: registries.jobHandlers, ...options.jobs });
  const sender = startEmailSender(ctx, {
    templates: registries.emailTemplates,
    hooks: registries.deliveryHooks,
    ...options.email,
  });
  const stopCleanup = scheduleCleanup(ctx);
  const stopPeriodic = schedulePeriodicJobs(ctx, registries.periodicJobs ?? []);
  const loops = (registries.backgroundLoops ?? []).map((loop) => loop.start(ctx));
  ctx.log.info({ workerId: runner.workerId }, 'worker started');
  return async () => {
    await Promise.all([stopCleanup(), stopPeriodic(), runner.stop(), sender.stop(), ...loops.map((l) => l.stop())]);
  };
}
