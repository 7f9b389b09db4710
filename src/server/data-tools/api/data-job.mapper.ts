/** Rows → the API's shapes (camelCase). */
import { csvDelimiters, type CsvDelimiter } from '../../../shared/data-jobs.js';
import type { DataJobRow } from '../../db/schema.js';
import { parseCounters, type Counters } from '../engine/counters.js';
import type { DataJobListRow, ResultRow } from '../engine/data-job.repository.js';
import type { Mapping } from '../engine/mapping.js';
import { isResumable, type DryRun } from '../engine/process.js';

export interface Progress {
  done: number;
  total: number;
  ratePerSecond: number | null;
  secondsLeft: number | null;
}

export function progressOf(job: DataJobRow, now: number): Progress {
  const done = job.processed_rows;
  const total = job.row_count;
  if (job.started_at === null || done === 0) return { done, total, ratePerSecond: null, secondsLeft: null };
  const seconds = Math.max(0.001, ((job.finished_at ?? now) - job.started_at) / 1000);
  const rate = done / seconds;
  const running = job.status === 'running' || job.status === 'queued';
  return { done, total, ratePerSecond: Math.round(rate), secondsLeft: running ? Math.ceil((total - done) / rate) : 0 };
}

const waiting = (progress: Progress): Progress => ({ ...progress, ratePerSecond: null, secondsLeft: null });

export function canUndo(job: DataJobRow, counters: Counters): boolean {
  return (
    job.type === 'invite_to_community' &&
    ['completed', 'canceled', 'failed'].includes(job.status) &&
    (counters.outcomes.invited ?? 0) > 0
  );
}

export function toJobSummary(job: DataJobListRow, now: number) {
  const counters = parseCounters(job.counters);
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    name: job.name,
    fileName: job.file_name,
    rowCount: job.row_count,
    counters,
    progress: progressOf(job, now),
    createdBy: { id: job.created_by, name: `${job.creator_first ?? ''} ${job.creator_last ?? ''}`.trim() },
    createdAt: job.created_at,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
  };
}

export interface JobExtras {
  readonly sample: { rowNumber: number; values: string[] }[];
  readonly suggestedMapping: Mapping | null;
  readonly mappingRemembered: boolean;
  readonly createdBy: { id: number; name: string };
  readonly now: number;
  /** from the job queue: when a worker will pick the job up again, if none is running it */
  readonly waitingToResumeAt: number | null;
  /** the job's invitations that have since expired */
  readonly expiredInvitations: number;
}

export function toJob(job: DataJobRow, extras: JobExtras) {
  const counters = parseCounters(job.counters);
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    name: job.name,
    fileName: job.file_name,
    hasHeader: job.has_header === 1,
    delimiter: csvDelimiterOf(job.delimiter),
    rowCount: job.row_count,
    columns: JSON.parse(job.columns) as string[],
    sample: extras.sample,
    suggestedMapping: extras.suggestedMapping,
    mappingRemembered: extras.mappingRemembered,
    mapping: job.mapping ? (JSON.parse(job.mapping) as Mapping) : null,
    dryRun: job.dry_run ? (JSON.parse(job.dry_run) as DryRun) : null,
    counters,
    // No countdown while nothing runs the job: the time left would only be a guess.
    progress: extras.waitingToResumeAt === null ? progressOf(job, extras.now) : waiting(progressOf(job, extras.now)),
    error: job.error,
    errorCode: job.error_code,
    resumable: isResumable(job),
    createdBy: extras.createdBy,
    createdAt: job.created_at,
    startedAt: job.started_at,
    finishedAt: job.finished_at,
    canUndo: canUndo(job, counters),
    waitingToResumeAt: extras.waitingToResumeAt,
    expiredInvitations: extras.expiredInvitations,
  };
}

export function toResult(row: ResultRow) {
  return {
    rowNumber: row.row_number,
    values: row.values ? (JSON.parse(row.values) as string[]) : [],
    outcome: row.outcome,
    reason: row.reason,
    personId: row.person_id,
    communityId: row.community_id,
    duplicateOf: row.duplicate_of,
  };
}

function csvDelimiterOf(value: string): CsvDelimiter {
  return (csvDelimiters as readonly string[]).includes(value) ? (value as CsvDelimiter) : ',';
}
