/**
 * Whether a job is waiting for a worker rather than being worked on, and when a worker will take
 * it: what a screen shows instead of a countdown when the process running a job died.
 */
import type { JobRow } from '../db/schema.js';

/**
 * When the job will be picked up again, or null while a worker holds it (or it never ran).
 * A live worker renews its lease every third of it; two missed renewals mean its process is gone
 * (or stalled past saving), and another worker claims the job when the lease runs out — at once
 * if it already has. A job handed back after a failed attempt waits for its retry time.
 */
export function waitingToResumeAt(job: JobRow, now: number, leaseMs: number): number | null {
  if (job.state === 'running' && job.locked_until !== null) {
    const silentFor = now - (job.locked_until - leaseMs);
    return silentFor > (2 * leaseMs) / 3 ? Math.max(job.locked_until, now) : null;
  }
  if (job.state === 'queued' && job.attempts > 0) return Math.max(job.run_at, now);
  return null;
}
