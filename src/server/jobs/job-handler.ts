/** The shape of a job handler. Each feature lists its handlers in its module's `jobHandlers`. */
import type { AppContext } from '../context.js';
import type { JobName, JobPayloads } from './registry.js';

/** What a running handler knows about its job. */
export interface JobRun {
  readonly id: number;
  /** 1 on the first try, 2 on the first retry, … */
  readonly attempt: number;
  /**
   * Extends the lease now. The runner also heartbeats on a timer, but a handler doing long
   * synchronous work (better-sqlite3 blocks the event loop) calls this between batches.
   * Throws when the lease was lost (another worker took the job over): stop at once.
   */
  heartbeat(): Promise<void>;
  /** Aborted when the lease is lost or the worker is shutting down: stop, and throw. */
  readonly signal: AbortSignal;
}

export type JobHandler<N extends JobName> = (ctx: AppContext, payload: JobPayloads[N], job: JobRun) => Promise<void>;

/** A handler of any job, as the runner sees it (payload parsed from JSON, not checked). */
export type AnyJobHandler = (ctx: AppContext, payload: never, job: JobRun) => Promise<void>;

export type JobHandlerMap = { readonly [N in JobName]?: JobHandler<N> };

/** Throw this from a handler to fail the job at once, without retries (e.g. its target is gone). */
export class PermanentJobError extends Error {}

/** Thrown by heartbeat() when another worker has taken the job over. */
export class LeaseLostError extends Error {
  constructor(jobId: number) {
    super(`job ${jobId}: the lease was lost to another worker`);
  }
}
