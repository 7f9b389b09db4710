/** The generic job queue: enqueue in the caller's transaction; the runner claims and runs. */
import type { DbOrTrx } from '../db/db.js';
import type { JobName, JobPayloads } from './registry.js';

export interface EnqueueOptions {
  /** at most one queued or running job with this key */
  readonly dedupeKey?: string;
  readonly runAt?: number;
  readonly maxAttempts?: number;
}

export async function enqueueJob<N extends JobName>(db: DbOrTrx, name: N, payload: JobPayloads[N], now: number, options: EnqueueOptions = {}): Promise<number | undefined> {
  const row = await db.insertInto('job').values({
    name, payload: JSON.stringify(payload), state: 'queued', attempts: 0, max_attempts: options.maxAttempts ?? 5,
    run_at: options.runAt ?? now, locked_by: null, locked_until: null, last_error: null,
    dedupe_key: options.dedupeKey ?? null, created_at: now, updated_at: now,
  }).onConflict((oc) => oc.column('dedupe_key').where('state', 'in', ['queued', 'running']).doNothing())
    .returning('id').executeTakeFirst();
  return row?.id;
}
