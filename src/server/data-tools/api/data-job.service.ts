/** The Data Tools use cases after the upload: map, dry run, start, resume, cancel, undo, read. */
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { enqueueJob, findActiveJobByDedupeKey } from '../../jobs/queue.repository.js';
import { waitingToResumeAt } from '../../jobs/resume.js';
import { parseCounters } from '../engine/counters.js';
import {
  creatorName,
  findDataJob,
  findRememberedMapping,
  listDataJobs,
  listResults,
  lockDataJob,
  readStagedRows,
  rememberMapping,
  type DataJobListRow,
  type ResultRow,
  transitionDataJob,
  updateDataJob,
} from '../engine/data-job.repository.js';
import { countExpiredInvitationsOfJob, deleteOpenInvitationsOfJob } from '../../memberships/index.js';
import { uploadLimits } from '../upload/limits.js';
import {
  guessMapping,
  type Mapping,
  type MappingInput,
  columnsOfMapping,
  mappingFits,
  mappingMemoryKey,
  resolveMapping,
} from '../engine/mapping.js';
import { computeDryRun, dataJobMaxAttempts, firstDataRow, isResumable, logScope } from '../engine/process.js';

export async function getDataJob(ctx: AppContext, id: number): Promise<DataJobRow> {
  const job = await findDataJob(ctx.db, id);
  if (!job) throw new AppError('not_found', 'Data job not found.');
  return job;
}

export function jobColumns(job: DataJobRow): string[] {
  return JSON.parse(job.columns) as string[];
}

/** The mapping offered for a job: the one remembered for these headers, else a guess. */
export async function suggestMapping(
  ctx: AppContext,
  job: DataJobRow,
): Promise<{ mapping: Mapping | null; remembered: boolean }> {
  const columns = jobColumns(job);
  if (job.has_header) {
    const saved = await findRememberedMapping(ctx.db, mappingMemoryKey(job.type, columns));
    if (saved) {
      const mapping = JSON.parse(saved) as Mapping;
      if (mappingFits(mapping, columns)) return { mapping, remembered: true };
    }
  }
  return { mapping: guessMapping(job.type, columns, job.has_header === 1), remembered: false };
}

export async function sampleRows(ctx: AppContext, job: DataJobRow): Promise<{ rowNumber: number; values: string[] }[]> {
  const first = firstDataRow(job);
  return readStagedRows(ctx.db, job.id, first, first + uploadLimits.sampleRows - 1);
}

/** An invite job's invitations that have since expired (the job page shows them beside its counts). */
export async function countExpiredInvitations(ctx: AppContext, job: DataJobRow): Promise<number> {
  return job.type === 'invite_to_community' && job.started_at !== null
    ? countExpiredInvitationsOfJob(ctx.db, job.id)
    : 0;
}

/** Sets the mapping, computes the dry run over every row (writing nothing), and remembers the mapping. */
export async function mapDataJob(ctx: AppContext, id: number, input: MappingInput): Promise<DataJobRow> {
  const job = await getDataJob(ctx, id);
  if (job.status !== 'uploaded' && job.status !== 'mapped')
    throw new AppError('job_state', `The job is ${job.status}; its mapping can no longer change.`);
  const mapping = resolveMapping(job.type, jobColumns(job), input);
  const dryRun = await computeDryRun(ctx, job, mapping);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await transitionDataJob(trx, id, ['uploaded', 'mapped'], {
      status: 'mapped',
      mapping: JSON.stringify(mapping),
      dry_run: JSON.stringify(dryRun),
      updated_at: now,
    });
    if (!moved) throw new AppError('job_state', 'The job was started or canceled meanwhile.');
    if (job.has_header) {
      const key = mappingMemoryKey(job.type, jobColumns(job));
      await rememberMapping(trx, key, JSON.stringify(columnsOfMapping(mapping)), now);
    }
  });
  return getDataJob(ctx, id);
}

export async function startDataJob(ctx: AppContext, id: number): Promise<DataJobRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id);
    if (!job) throw new AppError('not_found', 'Data job not found.');
    if (job.status !== 'mapped')
      throw new AppError(
        'job_state',
        job.status === 'uploaded' ? 'Map the fields before starting the job.' : `The job is already ${job.status}.`,
      );
    const now = ctx.clock.now();
    await updateDataJob(trx, id, { status: 'queued', updated_at: now });
    await enqueueJob(trx, 'data_jobs.process', { dataJobId: id }, now, {
      dedupeKey: dataJobDedupeKey(id),
      maxAttempts: dataJobMaxAttempts,
    });
  });
  return getDataJob(ctx, id);
}

/**
 * Resumes a job a full disk stopped (error_code storage_full): queued again where its last
 * committed batch left it, with the same counters. Any other failed job stays failed.
 */
export async function resumeDataJob(ctx: AppContext, id: number): Promise<DataJobRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id);
    if (!job) throw new AppError('not_found', 'Data job not found.');
    if (!isResumable(job))
      throw new AppError(
        'job_state',
        job.status === 'failed'
          ? 'Only a job stopped by a full disk can be resumed.'
          : `The job is ${job.status}; only a stopped job can be resumed.`,
      );
    const now = ctx.clock.now();
    await updateDataJob(trx, id, {
      status: 'queued',
      error: null,
      error_code: null,
      finished_at: null,
      updated_at: now,
    });
    await enqueueJob(trx, 'data_jobs.process', { dataJobId: id }, now, {
      dedupeKey: dataJobDedupeKey(id),
      maxAttempts: dataJobMaxAttempts,
    });
  });
  return getDataJob(ctx, id);
}

/** Names the job (any status); a blank name removes it. */
export async function nameDataJob(ctx: AppContext, id: number, name: string | null): Promise<DataJobRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id);
    if (!job) throw new AppError('not_found', 'Data job not found.');
    await updateDataJob(trx, id, { name: name?.trim() || null, updated_at: ctx.clock.now() });
  });
  return getDataJob(ctx, id);
}

const dataJobDedupeKey = (id: number) => `data_job:${id}`;

/** When a worker will pick this started job up again, or null while one runs it (or it is not started). */
export async function dataJobResumeAt(ctx: AppContext, job: DataJobRow): Promise<number | null> {
  if (job.status !== 'queued' && job.status !== 'running') return null;
  const queued = await findActiveJobByDedupeKey(ctx.db, dataJobDedupeKey(job.id));
  return queued ? waitingToResumeAt(queued, ctx.clock.now(), ctx.config.jobLeaseMs) : null;
}

/** Before the run: canceled at once. Running: stops at the next batch, keeping what is done. */
export async function cancelDataJob(ctx: AppContext, id: number): Promise<DataJobRow> {
  await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id);
    if (!job) throw new AppError('not_found', 'Data job not found.');
    const now = ctx.clock.now();
    if (job.status === 'uploaded' || job.status === 'mapped' || job.status === 'queued') {
      await updateDataJob(trx, id, { status: 'canceled', cancel_requested: 1, finished_at: now, updated_at: now });
    } else if (job.status === 'running') {
      await updateDataJob(trx, id, { cancel_requested: 1, updated_at: now });
    } else {
      throw new AppError('job_state', `The job is already ${job.status}.`);
    }
  });
  return getDataJob(ctx, id);
}

/** Revokes the still-open invitations an invite job created; joined people stay. */
export async function undoDataJob(ctx: AppContext, id: number): Promise<{ job: DataJobRow; revoked: number }> {
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const job = await lockDataJob(trx, id);
    if (!job) throw new AppError('not_found', 'Data job not found.');
    if (job.type !== 'invite_to_community') throw new AppError('job_state', 'Only invite jobs can be undone.');
    if (!['completed', 'canceled', 'failed'].includes(job.status))
      throw new AppError('job_state', `The job is ${job.status}; undo once it has stopped.`);
    const n = await deleteOpenInvitationsOfJob(trx, id);
    const counters = parseCounters(job.counters);
    counters.revoked = (counters.revoked ?? 0) + n;
    await updateDataJob(trx, id, { counters: JSON.stringify(counters), updated_at: ctx.clock.now() });
    return n;
  });
  return { job: await getDataJob(ctx, id), revoked };
}

export async function listJobs(
  ctx: AppContext,
  cursor: string | undefined,
  limit: number,
): Promise<{ items: DataJobListRow[]; nextCursor: string | null }> {
  const before = decodeCursor(cursor, ['integer', 'rowId']);
  const rows = await listDataJobs(ctx.db, {
    before: before && { at: before[0], id: before[1] },
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

export async function jobResults(
  ctx: AppContext,
  id: number,
  options: { outcome?: string; reason?: string; cursor?: string; limit: number },
): Promise<{ items: ResultRow[]; nextCursor: string | null }> {
  const job = await getDataJob(ctx, id);
  const afterRow = options.cursor && /^\d+$/.test(options.cursor) ? Number(options.cursor) : 0;
  const rows = await listResults(ctx.db, logScope(job), {
    outcome: options.outcome,
    reason: options.reason,
    afterRow,
    limit: options.limit + 1,
  });
  const items = rows.slice(0, options.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > options.limit && last ? String(last.row_number) : null };
}

export async function creatorOf(ctx: AppContext, job: DataJobRow): Promise<{ id: number; name: string }> {
  return { id: job.created_by, name: await creatorName(ctx.db, job.created_by) };
}
