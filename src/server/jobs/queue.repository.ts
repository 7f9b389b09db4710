/** The generic job queue: enqueue in the caller's transaction; the runner claims and runs. */
import { sql } from 'kysely';
import { type DbOrTrx, isPostgres } from '../db/db.js';
import type { JobRow } from '../db/schema.js';
import type { JobName, JobPayloads } from './registry.js';

export interface EnqueueOptions {
  /** at most one queued or running job with this key */
  readonly dedupeKey?: string;
  readonly runAt?: number;
  readonly maxAttempts?: number;
}

export async function enqueueJob<N extends JobName>(
  db: DbOrTrx,
  name: N,
  payload: JobPayloads[N],
  now: number,
  options: EnqueueOptions = {},
): Promise<number | undefined> {
  const row = await db
    .insertInto('job')
    .values({
      name,
      payload: JSON.stringify(payload),
      state: 'queued',
      attempts: 0,
      max_attempts: options.maxAttempts ?? 5,
      run_at: options.runAt ?? now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      dedupe_key: options.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
      // The conflict target repeats the partial index's predicate as literal SQL: SQLite matches
      // the index only when the text is the same (bound parameters would not match).
    })
    .onConflict((oc) =>
      oc
        .column('dedupe_key')
        .where(sql.ref('state'), 'in', sql`('queued','running')`)
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Claims the next due job for `workerId` under a lease, or returns undefined. Due: queued with
 * run_at ≤ now, or running whose lease expired (its worker crashed) with attempts left.
 * PostgreSQL: the candidate row is locked with FOR UPDATE SKIP LOCKED, so concurrent workers
 * each get a different job without waiting. SQLite: one statement is atomic under the database
 * write lock, which is all the exclusion a single writer needs (SQLite has no FOR UPDATE).
 */
export async function claimJob(
  db: DbOrTrx,
  workerId: string,
  now: number,
  leaseUntil: number,
): Promise<JobRow | undefined> {
  const pg = isPostgres(db);
  return db
    .updateTable('job')
    .set((eb) => ({
      state: 'running',
      attempts: eb('attempts', '+', 1),
      locked_by: workerId,
      locked_until: leaseUntil,
      updated_at: now,
    }))
    .where('id', '=', (eb) =>
      eb
        .selectFrom('job')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('state', '=', 'queued'), w('run_at', '<=', now)]),
            w.and([w('state', '=', 'running'), w('locked_until', '<', now), w('attempts', '<', w.ref('max_attempts'))]),
          ]),
        )
        .orderBy('run_at')
        .orderBy('id')
        .limit(1)
        .$if(pg, (qb) => qb.forUpdate().skipLocked()),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Extends the lease; false when this worker no longer holds the job. */
export async function extendJobLease(
  db: DbOrTrx,
  id: number,
  workerId: string,
  leaseUntil: number,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set({ locked_until: leaseUntil, updated_at: now })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function completeJob(db: DbOrTrx, id: number, workerId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set({ state: 'completed', locked_by: null, locked_until: null, updated_at: now })
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records a failed attempt: back to queued at `retryAt`, or — when `retryAt` is undefined — state
 * 'failed' for good. last_error is kept either way so that the failure stays visible.
 */
export async function failJobAttempt(
  db: DbOrTrx,
  id: number,
  workerId: string,
  error: string,
  now: number,
  retryAt: number | undefined,
): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set(
      retryAt === undefined
        ? { state: 'failed', last_error: error, locked_by: null, locked_until: null, updated_at: now }
        : { state: 'queued', last_error: error, run_at: retryAt, locked_by: null, locked_until: null, updated_at: now },
    )
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives a job back untried (the worker is shutting down): due at once, the attempt not counted. */
export async function releaseJob(db: DbOrTrx, id: number, workerId: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('job')
    .set((eb) => ({
      state: 'queued',
      attempts: eb('attempts', '-', 1),
      run_at: now,
      locked_by: null,
      locked_until: null,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('locked_by', '=', workerId)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Jobs whose worker died during their last allowed attempt: failed, visibly. Returns how many. */
export async function failAbandonedJobs(db: DbOrTrx, now: number): Promise<number> {
  const r = await db
    .updateTable('job')
    .set({
      state: 'failed',
      last_error: 'the worker stopped during the last attempt (lease expired)',
      locked_by: null,
      locked_until: null,
      updated_at: now,
    })
    .where('state', '=', 'running')
    .where('locked_until', '<', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The queued or running job with this dedupe key (at most one), or undefined. */
export async function findActiveJobByDedupeKey(db: DbOrTrx, dedupeKey: string): Promise<JobRow | undefined> {
  return db
    .selectFrom('job')
    .selectAll()
    .where('dedupe_key', '=', dedupeKey)
    .where('state', 'in', ['queued', 'running'])
    .executeTakeFirst();
}

export async function findJob(db: DbOrTrx, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Deletes jobs that completed before `before`; returns how many. */
export async function deleteCompletedJobs(db: DbOrTrx, before: number): Promise<number> {
  const r = await db
    .deleteFrom('job')
    .where('state', '=', 'completed')
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
