/**
 * Running a data job: batch after batch, each ONE transaction that locks the job row, reads the
 * next staged rows from processed_rows, writes their outcomes and side effects, and moves the
 * counters and processed_rows on. A killed process therefore resumes exactly where the last
 * commit left it; two workers never run one batch twice (the row lock, and the runner's lease).
 */
import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import { isPostgres, setSqliteForeignKeys } from '../../db/db.js';
import { isStorageFull, noteStorageFull } from '../../db/storage-full.js';
import type { Database, DataJobRow } from '../../db/schema.js';
import type { JobHandler } from '../../jobs/job-handler.js';
import { insertRows } from './bulk.repository.js';
import { addOutcomes, emptyCounters, parseCounters, type Counters } from './counters.js';
import {
  failActiveDataJob,
  findDataJob,
  type LogScope,
  lockDataJob,
  readStagedRows,
  readStagedRowsByNumber,
  updateDataJob,
} from './data-job.repository.js';
import { BatchSizer, bulkBatchTiming, sqliteInteractiveBatchTiming, sqliteInteractiveWindowMs } from './batch-sizer.js';
import type { LookAheadSession, OutcomeCorrection, RowOutcome } from './job-kind.js';
import { jobKinds } from '../kinds/job-kinds.js';
import { dryRunLimits } from './limits.js';
import type { Mapping } from './mapping.js';
import { KeySet } from './key-set.js';
import { servedWithin, whenNoRequests } from '../../interactive.js';

/** On SQLite, a job waits for requests in flight up to this many times its last batch's time (so it keeps at least half). */
const sqliteGiveWayFactor = 1;
import { queueWebhookEvent, type WebhookEventInput } from '../../webhooks/webhook-event.repository.js';

/** Row number of the first data row: the header, when there is one, is row 1. */
export function firstDataRow(job: Pick<DataJobRow, 'has_header'>): number {
  return job.has_header ? 2 : 1;
}

/** The rows of the job's log so far (data-job.repository.ts, listResults). */
export function logScope(job: Pick<DataJobRow, 'id' | 'type' | 'has_header' | 'processed_rows'>): LogScope {
  return {
    dataJobId: job.id,
    firstRow: firstDataRow(job),
    lastRow: firstDataRow(job) + job.processed_rows - 1,
    impliedOutcome: jobKinds[job.type].impliedOutcome ?? null,
  };
}

export interface ProcessOptions {
  readonly signal?: AbortSignal;
  /** called between batches (the job runner's lease) */
  readonly heartbeat?: () => Promise<void>;
  /** rows per batch instead of sizing batches by time (batch-sizer.ts) up to the job type's own (tests) */
  readonly batchSize?: number;
}

export type ProcessResult = 'completed' | 'canceled' | 'failed' | 'not_started' | 'gone';

const resultColumns = [
  { name: 'row_number', type: 'int' },
  { name: 'outcome', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'person_id', type: 'int' },
  { name: 'community_id', type: 'int' },
  { name: 'duplicate_of', type: 'int' },
] as const;

/** Processes the job to its end (or to a cancel); safe to call again after a crash. */
export async function processDataJob(
  ctx: AppContext,
  dataJobId: number,
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  const type = (await findDataJob(ctx.db, dataJobId))?.type;
  const inBatchTransaction =
    type && jobKinds[type].writesOnlyCheckedReferences ? withoutSqliteForeignKeyProbes : inTransaction;
  let seen = new KeySet();
  let seenAt = -1;
  let committedAt: number;
  // Opened with the first batch that has a next one; closed however the processing ends.
  let ahead: LookAheadSession | null | undefined;
  // Made with the first batch, which knows the job's kind.
  let sizer: BatchSizer | undefined;
  const bulkTiming = bulkBatchTiming(ctx.config.dataJobBatchMs);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      committedAt = -1;
      const started = performance.now();
      let batchRows = 0;
      const step = await runOneBatch((rows) => (batchRows = rows)).catch(async (error: unknown) => {
        if (isStorageFull(error)) return stopForFullDisk(ctx, dataJobId, error);
        if (!(error instanceof MissingRowsError)) throw error;
        const now = ctx.clock.now();
        await updateDataJob(ctx.db, dataJobId, {
          status: 'failed',
          error: error.message,
          finished_at: now,
          updated_at: now,
        });
        return 'failed' as const;
      });
      // The duplicate check's memory is trusted only up to what was committed.
      seenAt = committedAt;
      if (committedAt >= 0) ahead?.afterCommit?.();
      const batchMs = performance.now() - started;
      sizer?.record(batchRows, batchMs);
      if (step !== 'continue') return step;
      await options.heartbeat?.();
      await yieldToEventLoop();
      // SQLite's batches hold this process's event loop: pages answered by the same process go
      // first (interactive.ts), and the job still gets at least half of the time under load. A
      // request on a new connection (a health check's) is accepted in one turn of the event loop
      // and read in the next: a second turn lets it be counted before the next batch starts.
      if (ctx.dialect === 'sqlite') {
        await yieldToEventLoop();
        await whenNoRequests(batchMs * sqliteGiveWayFactor);
      }
    }
  } finally {
    await ahead?.close();
  }

  async function runOneBatch(sized: (rows: number) => void): Promise<ProcessResult | 'continue'> {
    return inBatchTransaction(ctx.db, async (trx): Promise<ProcessResult | 'continue'> => {
      const job = await lockDataJob(trx, dataJobId);
      if (!job) return 'gone';
      if (job.status === 'completed' || job.status === 'canceled' || job.status === 'failed') return job.status;
      if (job.status !== 'queued' && job.status !== 'running') return 'not_started';
      const now = ctx.clock.now();
      if (job.cancel_requested) {
        await updateDataJob(trx, job.id, {
          status: 'canceled',
          finished_at: now,
          updated_at: now,
          started_at: job.started_at ?? now,
        });
        return 'canceled';
      }
      const remaining = job.row_count - job.processed_rows;
      const fail = async (error: string) => {
        await updateDataJob(trx, job.id, { status: 'failed', error, finished_at: now, updated_at: now });
        await queueWebhookEvent(trx, now, dataJobFinishedEvent(job, 'failed', parseCounters(job.counters)));
        return 'failed' as const;
      };
      if (!job.mapping) return fail('The job has no field mapping.');
      if (remaining <= 0) {
        await updateDataJob(trx, job.id, {
          status: 'completed',
          finished_at: now,
          updated_at: now,
          started_at: job.started_at ?? now,
        });
        await queueWebhookEvent(trx, now, dataJobFinishedEvent(job, 'completed', parseCounters(job.counters)));
        return 'completed';
      }
      const kind = jobKinds[job.type];
      const mapping = JSON.parse(job.mapping) as Mapping;
      const from = firstDataRow(job) + job.processed_rows;
      const postgres = isPostgres(trx);
      const maxRows = postgres ? kind.batchSize : (kind.sqliteBatchSize ?? kind.batchSize);
      // SQLite: short batches while this process answers requests, long ones otherwise.
      const timing = !postgres && servedWithin(sqliteInteractiveWindowMs) ? sqliteInteractiveBatchTiming : bulkTiming;
      sizer ??= new BatchSizer(maxRows, timing);
      sizer.use(timing);
      const batchSize = options.batchSize ?? sizer.rows;
      const size = Math.min(batchSize, remaining);
      sized(size);
      const to = from + size - 1;
      const next = remaining > size ? { from: to + 1, to: to + Math.min(batchSize, remaining - size) } : null;
      if (next && ahead === undefined) ahead = (await kind.openLookAhead?.(ctx, trx, job, mapping)) ?? null;
      if (seenAt !== job.processed_rows) seen = await kind.rebuildSeen(trx, job.id, from - 1, job.row_count);
      seenAt = -1;
      const counters = parseCounters(job.counters);
      let settled = 0;
      const writeResults = (outcomes: readonly RowOutcome[]) =>
        insertRows(trx, 'data_job_result', resultColumns, outcomes, {
          toRow: (o) => [o.rowNumber, o.outcome, o.reason, o.personId, o.communityId, o.duplicateOf ?? null],
          constants: [{ name: 'data_job_id', type: 'int', value: job.id }],
        });
      // A row settled with the kind's implied outcome is counted, and has no result row.
      const implied = kind.impliedOutcome;
      const noImplied = () => new Error(`A ${job.type} job has no implied outcome.`);
      const settle = async (outcomes: RowOutcome[], uncounted = 0) => {
        settled += outcomes.length + uncounted;
        addOutcomes(counters, outcomes);
        if (uncounted) {
          if (implied === undefined) throw noImplied();
          counters.outcomes[implied] = (counters.outcomes[implied] ?? 0) + uncounted;
        }
        await writeResults(implied === undefined ? outcomes : outcomes.filter((o) => o.outcome !== implied));
      };
      // Rows settled with the implied outcome (no result row) get their result row and move the counters.
      const amend = async (corrections: readonly OutcomeCorrection[]) => {
        if (!corrections.length) return;
        if (implied === undefined) throw noImplied();
        await writeResults(
          corrections.map((c) => ({
            rowNumber: c.rowNumber,
            outcome: c.to,
            reason: null,
            personId: c.personId,
            communityId: c.communityId,
          })),
        );
        for (const c of corrections) counters.outcomes[c.to] = (counters.outcomes[c.to] ?? 0) + 1;
        counters.outcomes[implied] = (counters.outcomes[implied] ?? 0) - corrections.length;
        if (!counters.outcomes[implied]) delete counters.outcomes[implied];
      };
      await settle(
        await kind.runBatch(trx, {
          ctx,
          job,
          mapping,
          from,
          to,
          loadRows: () => readStagedRows(trx, job.id, from, to),
          seen,
          apply: true,
          now,
          settle,
          amend,
          ahead,
          next,
        }),
      );
      // Rolls the batch back: a row without its staged values must not be skipped silently.
      if (settled !== size) throw new MissingRowsError(from, to);
      const processed = job.processed_rows + size;
      const finished = processed >= job.row_count;
      await updateDataJob(trx, job.id, {
        status: finished ? 'completed' : 'running',
        processed_rows: processed,
        counters: JSON.stringify(counters),
        started_at: job.started_at ?? now,
        finished_at: finished ? now : null,
        updated_at: now,
      });
      if (finished) await queueWebhookEvent(trx, now, dataJobFinishedEvent(job, 'completed', counters));
      committedAt = processed;
      return finished ? 'completed' : 'continue';
    });
  }
}

type BatchWork<T> = (trx: Transaction<Database>) => Promise<T>;

function inTransaction<T>(db: Kysely<Database>, work: BatchWork<T>): Promise<T> {
  return db.transaction().execute(work);
}

/**
 * SQLite probes the parent row of every foreign key of every inserted row: for a batch of random
 * people that is one random read of the person table per row (a large share of a large invite
 * job's time). A kind whose rows point only at people and communities the batch itself
 * read, inside the same write transaction, may skip those probes: SQLite has one writer, and a
 * transaction whose snapshot went stale cannot commit (SQLITE_BUSY_SNAPSHOT), so nothing the
 * batch read can vanish before it commits. The switch is per connection and can only change
 * outside a transaction; it is restored before the connection serves anything else.
 * PostgreSQL keeps its checks (another writer may delete a person concurrently there).
 */
async function withoutSqliteForeignKeyProbes<T>(db: Kysely<Database>, work: BatchWork<T>): Promise<T> {
  if (isPostgres(db)) return inTransaction(db, work);
  return db.connection().execute(async (conn) => {
    await setSqliteForeignKeys(conn, false);
    try {
      return await conn.transaction().execute(work);
    } finally {
      await setSqliteForeignKeys(conn, true);
    }
  });
}

/**
 * better-sqlite3 answers synchronously, so a loop of awaited queries never lets the event loop
 * serve anything else: between batches the process must yield, or an in-process worker would
 * keep every HTTP request (the progress polls too) waiting until the whole job is done.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What a job stopped by a full disk says on its page and in the API (`error`, with `errorCode` storage_full). */
export const fullDiskJobMessage =
  "Stopped: the server's disk is full, so this batch was not saved. The rows done so far are kept; " +
  'free disk space, then resume the job to carry on where it stopped.';

/** A failed job that stopped for a cause that passes (a full disk), so an admin may resume it. */
export function isResumable(job: Pick<DataJobRow, 'status' | 'error_code'>): boolean {
  return job.status === 'failed' && job.error_code === 'storage_full';
}

/**
 * The database refused the batch for lack of space: its transaction rolled back whole (counters
 * and processed_rows still match what was committed), so the job is marked failed with the cause
 * and can be resumed (resumeDataJob) once there is space. Marking it is a small in-place update
 * that usually still fits; when even that is refused, the error goes to the job runner, which
 * retries the job later, and processing resumes from the last committed batch then.
 */
async function stopForFullDisk(ctx: AppContext, dataJobId: number, error: unknown): Promise<'failed'> {
  const now = ctx.clock.now();
  noteStorageFull(ctx.db, now);
  try {
    await failActiveDataJob(ctx.db, dataJobId, fullDiskJobMessage, now, 'storage_full');
  } catch (markError) {
    if (isStorageFull(markError)) throw error;
    throw markError;
  }
  ctx.log.error({ dataJobId, code: 'storage_full' }, 'data job stopped: the database disk is full');
  return 'failed';
}

class MissingRowsError extends Error {
  constructor(from: number, to: number) {
    super(`Staged rows ${from}–${to} are missing.`);
  }
}

/** Attempts the job runner gives a data job (each resumes where the last stopped). */
export const dataJobMaxAttempts = 20;

/** The job runner's handler for 'data_jobs.process'. After the last attempt the data job shows as failed. */
export const processDataJobHandler: JobHandler<'data_jobs.process'> = async (ctx, payload, run) => {
  try {
    await processDataJob(ctx, payload.dataJobId, { signal: run.signal, heartbeat: () => run.heartbeat() });
  } catch (error) {
    if (run.attempt >= dataJobMaxAttempts && !run.signal.aborted) {
      const now = ctx.clock.now();
      await failActiveDataJob(
        ctx.db,
        payload.dataJobId,
        'Processing failed repeatedly; the rows done so far are kept.',
        now,
      );
    }
    throw error;
  }
};

export interface DryRunSample {
  readonly rowNumber: number;
  values: string[];
  /** duplicate_row: the earlier row of the file with the same key */
  readonly duplicateOf?: number;
}

export interface DryRun extends Counters {
  readonly total: number;
  /** up to 5 rows per outcome and per skip reason */
  readonly samples: Record<string, DryRunSample[]>;
  readonly computedAt: number;
}

/** Decides every row against the site as it is now, writing nothing. */
export async function computeDryRun(ctx: AppContext, job: DataJobRow, mapping: Mapping): Promise<DryRun> {
  const kind = jobKinds[job.type];
  const seen = new KeySet(job.row_count);
  const counters = emptyCounters();
  const samples: Record<string, DryRunSample[]> = {};
  const first = firstDataRow(job);
  const end = first + job.row_count;
  const now = ctx.clock.now();
  const sampleRows: { key: string; rowNumber: number }[] = [];
  const take = (outcomes: readonly RowOutcome[]) => {
    addOutcomes(counters, outcomes);
    for (const o of outcomes) {
      const key = o.reason ?? o.outcome;
      const list = (samples[key] ??= []);
      if (list.length < dryRunLimits.samples) {
        list.push({ rowNumber: o.rowNumber, values: [], ...(o.duplicateOf ? { duplicateOf: o.duplicateOf } : {}) });
        sampleRows.push({ key, rowNumber: o.rowNumber });
      }
    }
  };
  // A large job is looked up in two halves at once, each on a look-up thread of its own where the
  // kind has one (SQLite: both cores look up, and this thread only decides); elsewhere, or if a
  // thread cannot answer, this thread looks its half up itself.
  const middle = job.row_count >= dryRunLimits.threadRows ? first + Math.floor(job.row_count / 2) : end;
  const ranges: [number, number][] =
    middle < end
      ? [
          [first, middle],
          [middle, end],
        ]
      : [[first, end]];
  const halves = ranges.map(([a, b]) => ({
    a,
    b,
    ahead: middle < end ? kind.lookAhead?.(ctx, job, mapping, a, b - 1) : undefined,
  }));
  for (const h of halves) h.ahead?.catch(() => {});
  // Smaller batches than the run's: the dry run commits nothing, and small batches keep memory low
  // (and, on SQLite, let the event loop in between). PostgreSQL answers asynchronously and looks
  // an invite batch up two slices at a time, so its batches are larger.
  const batchSize = Math.min(kind.batchSize, dryRunLimits.batch * (isPostgres(ctx.db) ? 4 : 1));
  const decideHere = async (start: number, stop: number) => {
    for (let from = start; from < stop; from += batchSize) {
      const to = Math.min(stop, from + batchSize) - 1;
      take(
        await kind.runBatch(ctx.db, {
          ctx,
          job,
          mapping,
          from,
          to,
          loadRows: () => readStagedRows(ctx.db, job.id, from, to),
          seen,
          apply: false,
          now,
        }),
      );
      await yieldToEventLoop();
    }
  };
  for (const { a, b, ahead } of halves) {
    // A thread is an optimisation: if it cannot answer, this thread looks its rows up itself.
    const decideAhead = await ahead?.catch((error: unknown) => {
      ctx.log.warn(
        { err: error, dataJobId: job.id },
        'dry run: the look-up thread failed; looking up in the main thread',
      );
      return null;
    });
    if (decideAhead) decideAhead(seen, take);
    else await decideHere(a, b);
  }
  const values = new Map(
    (
      await readStagedRowsByNumber(
        ctx.db,
        job.id,
        sampleRows.map((s) => s.rowNumber),
      )
    ).map((r) => [r.rowNumber, r.values]),
  );
  for (const list of Object.values(samples)) for (const s of list) s.values = values.get(s.rowNumber) ?? [];
  return { total: job.row_count, ...counters, samples, computedAt: now };
}

/** The `data_job.finished` webhook event: the job, how it ended, and its totals. */
function dataJobFinishedEvent(
  job: Pick<DataJobRow, 'id' | 'type' | 'name' | 'row_count'>,
  status: 'completed' | 'failed',
  counters: Counters,
): WebhookEventInput {
  return {
    type: 'data_job.finished',
    personId: null,
    data: { dataJobId: job.id, type: job.type, name: job.name, status, rows: job.row_count, totals: counters },
  };
}
