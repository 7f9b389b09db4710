/**
 * Periodic jobs: a feature module names a job with an empty payload and how often it runs; every
 * worker queues it now and at that interval. The job's name is its dedupe key, so one is queued
 * or running at a time across processes, however many workers schedule it.
 */
import type { AppContext } from '../context.js';
import { enqueueJob } from './queue.repository.js';
import type { JobName, JobPayloads } from './registry.js';

/** The jobs whose payload is empty: the only ones a timer can queue. */
export type PeriodicJobName = { [N in JobName]: JobPayloads[N] extends Record<string, never> ? N : never }[JobName];

export interface PeriodicJob {
  readonly name: PeriodicJobName;
  /** a fixed interval, or one read from the configuration */
  readonly everyMs: number | ((config: AppContext['config']) => number);
}

/** Queues each job now and every `everyMs` after; the returned function stops the timers and waits for a queue attempt in flight. */
export function schedulePeriodicJobs(ctx: AppContext, jobs: readonly PeriodicJob[]): () => Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const timers = jobs.map((job) => {
    const queue = () => {
      const attempt = enqueueJob(ctx.db, job.name, {}, ctx.clock.now(), { dedupeKey: job.name, maxAttempts: 3 }).then(
        () => undefined,
        (error: unknown) => ctx.log.warn({ err: error, job: job.name }, 'could not queue a periodic job'),
      );
      inFlight.add(attempt);
      void attempt.finally(() => inFlight.delete(attempt));
    };
    queue();
    const timer = setInterval(queue, typeof job.everyMs === 'function' ? job.everyMs(ctx.config) : job.everyMs);
    timer.unref();
    return timer;
  });
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await Promise.all(inFlight);
  };
}
