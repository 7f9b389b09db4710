/** data_job, data_job_row and data_job_result: plain queries, database or transaction first. */
import { sql } from 'kysely';
import type { DataJobStatus, DataJobType } from '../../../shared/enums.js';
import { isPostgres, type DbOrTrx } from '../../db/db.js';
import type { DataJobRow } from '../../db/schema.js';
import { invitationOfJobRow } from '../../memberships/index.js';

export interface NewDataJob {
  readonly type: DataJobType;
  readonly fileName: string;
  readonly hasHeader: boolean;
  readonly createdBy: number;
  readonly now: number;
}

/** A job row for an upload that is still arriving (hidden until finishUpload). */
export async function insertUploadingDataJob(db: DbOrTrx, job: NewDataJob): Promise<number> {
  const row = await db
    .insertInto('data_job')
    .values({
      type: job.type,
      status: 'uploaded',
      file_name: job.fileName,
      has_header: job.hasHeader ? 1 : 0,
      columns: '[]',
      row_count: 0,
      byte_count: 0,
      mapping: null,
      dry_run: null,
      counters: '{}',
      processed_rows: 0,
      cancel_requested: 0,
      uploading: 1,
      error: null,
      created_by: job.createdBy,
      created_at: job.now,
      updated_at: job.now,
      started_at: null,
      finished_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findDataJob(db: DbOrTrx, id: number): Promise<DataJobRow | undefined> {
  return db.selectFrom('data_job').selectAll().where('id', '=', id).where('uploading', '=', 0).executeTakeFirst();
}

/** A job's status and whether its file is still arriving, hidden or not. */
export async function findDataJobState(
  db: DbOrTrx,
  id: number,
): Promise<{ status: DataJobRow['status']; uploading: number } | undefined> {
  return db.selectFrom('data_job').select(['status', 'uploading']).where('id', '=', id).executeTakeFirst();
}

/** Reads the job for update: a row lock on PostgreSQL (SQLite has a single writer already). */
export async function lockDataJob(db: DbOrTrx, id: number): Promise<DataJobRow | undefined> {
  const q = db.selectFrom('data_job').selectAll().where('id', '=', id).where('uploading', '=', 0);
  return (isPostgres(db) ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateDataJob(db: DbOrTrx, id: number, set: Partial<Omit<DataJobRow, 'id'>>): Promise<void> {
  await db.updateTable('data_job').set(set).where('id', '=', id).execute();
}

/** Moves a job from one status to another; false when it was no longer in `from`. */
export async function transitionDataJob(
  db: DbOrTrx,
  id: number,
  from: readonly DataJobStatus[],
  set: Partial<Omit<DataJobRow, 'id'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('data_job')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .where('uploading', '=', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Fails a queued or running job with `error` (and `errorCode`, when the cause has one: a
 * `storage_full` job may be resumed); a job in any other status is left alone.
 */
export async function failActiveDataJob(
  db: DbOrTrx,
  id: number,
  error: string,
  now: number,
  errorCode: string | null = null,
): Promise<void> {
  await db
    .updateTable('data_job')
    .set({ status: 'failed', error, error_code: errorCode, finished_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/** The mapping remembered under `key` (JSON), if any. */
export async function findRememberedMapping(db: DbOrTrx, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('site_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Remembers a mapping (JSON) under `key`, replacing what was there. */
export async function rememberMapping(db: DbOrTrx, key: string, value: string, now: number): Promise<void> {
  await db
    .insertInto('site_setting')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export interface DataJobListRow extends DataJobRow {
  readonly creator_first: string | null;
  readonly creator_last: string | null;
}

export async function listDataJobs(
  db: DbOrTrx,
  options: { before?: { at: number; id: number }; limit: number },
): Promise<DataJobListRow[]> {
  let q = db
    .selectFrom('data_job')
    .leftJoin('person', 'person.id', 'data_job.created_by')
    .selectAll('data_job')
    .select(['person.first_name as creator_first', 'person.last_name as creator_last'])
    .where('data_job.uploading', '=', 0);
  const before = options.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('data_job.created_at', '<', before.at),
        eb.and([eb('data_job.created_at', '=', before.at), eb('data_job.id', '<', before.id)]),
      ]),
    );
  return q.orderBy('data_job.created_at', 'desc').orderBy('data_job.id', 'desc').limit(options.limit).execute();
}

export async function creatorName(db: DbOrTrx, personId: number): Promise<string> {
  const p = await db
    .selectFrom('person')
    .select(['first_name', 'last_name', 'email'])
    .where('id', '=', personId)
    .executeTakeFirst();
  if (!p) return '';
  return `${p.first_name} ${p.last_name}`.trim() || (p.email ?? '');
}

/** Deletes a job with its staged rows and results (a refused upload keeps nothing). */
export async function deleteDataJob(db: DbOrTrx, id: number): Promise<void> {
  await db.deleteFrom('data_job_row').where('data_job_id', '=', id).execute();
  await db.deleteFrom('data_job_result').where('data_job_id', '=', id).execute();
  await db.deleteFrom('data_job').where('id', '=', id).execute();
}

/** Uploads that never finished (the process died mid-upload), older than `before`. */
export async function findAbandonedUploads(db: DbOrTrx, before: number): Promise<number[]> {
  const rows = await db
    .selectFrom('data_job')
    .select('id')
    .where('uploading', '=', 1)
    .where('updated_at', '<', before)
    .execute();
  return rows.map((r) => r.id);
}

export interface StagedRow {
  readonly rowNumber: number;
  readonly values: string[];
}

/** Staged rows with row_number in [from, to], in order. */
export async function readStagedRows(db: DbOrTrx, dataJobId: number, from: number, to: number): Promise<StagedRow[]> {
  const rows = await db
    .selectFrom('data_job_row')
    .select(['row_number', 'values'])
    .where('data_job_id', '=', dataJobId)
    .where('row_number', '>=', from)
    .where('row_number', '<=', to)
    .orderBy('row_number')
    .execute();
  return rows.map((r) => ({ rowNumber: r.row_number, values: JSON.parse(r.values) as string[] }));
}

export async function readStagedRowsByNumber(
  db: DbOrTrx,
  dataJobId: number,
  rowNumbers: readonly number[],
): Promise<StagedRow[]> {
  if (!rowNumbers.length) return [];
  const rows = await db
    .selectFrom('data_job_row')
    .select(['row_number', 'values'])
    .where('data_job_id', '=', dataJobId)
    .where('row_number', 'in', rowNumbers)
    .execute();
  return rows.map((r) => ({ rowNumber: r.row_number, values: JSON.parse(r.values) as string[] }));
}

/** The (community, person) pairs and keys already decided by earlier batches: rebuilds the duplicate check on resume. */
export async function readResultKeys(
  db: DbOrTrx,
  dataJobId: number,
  upToRow: number,
): Promise<{ person_id: number | null; community_id: number | null }[]> {
  return db
    .selectFrom('data_job_result')
    .select(['person_id', 'community_id'])
    .where('data_job_id', '=', dataJobId)
    .where('row_number', '<=', upToRow)
    .where('person_id', 'is not', null)
    .execute();
}

export interface ResultRow {
  readonly row_number: number;
  readonly outcome: string;
  readonly reason: string | null;
  readonly person_id: number | null;
  readonly community_id: number | null;
  readonly values: string | null;
}

/** Which rows of a job have an outcome, and what a row without a result row has. */
export interface LogScope {
  readonly dataJobId: number;
  /** the first data row (2 under a header) */
  readonly firstRow: number;
  /** the last processed row (rows after it have no outcome yet) */
  readonly lastRow: number;
  /** the job type's outcome for a processed row without a result row (job-kind.ts), if it has one */
  readonly impliedOutcome: string | null;
}

/**
 * A page of the job's log in row order. Where the job type has an implied outcome (invites), the
 * log's spine is the staged rows up to the last processed one: a row with a result row has that
 * outcome, a row without one has the implied outcome and its person and community are those of
 * the invitation it made (by job and row; none once that invitation is gone, e.g. undone). A
 * filter on another outcome or on a reason reads the result rows alone.
 */
export async function listResults(
  db: DbOrTrx,
  scope: LogScope,
  options: { outcome?: string; reason?: string; afterRow: number; limit: number; invitations?: boolean },
): Promise<ResultRow[]> {
  const implied = scope.impliedOutcome;
  if (implied !== null && !options.reason && (!options.outcome || options.outcome === implied)) {
    // The invitation's person and community by a subquery per row without a result row (both
    // databases probe (job, row) on membership_data_job_idx): as a join, PostgreSQL planned with
    // statistics from before the job, and scanned the job's invitations for every row. The CSV, which shows neither, skips them (invitations: false).
    const invitation = (column: 'person_id' | 'community_id') =>
      options.invitations === false
        ? sql<number | null>`r.${sql.raw(column)}`
        : sql<
            number | null
          >`coalesce(r.${sql.raw(column)}, ${invitationOfJobRow(column, scope.dataJobId, 's.row_number')})`;
    // Read window by window of row numbers, not by a LIMIT over the rest of the job: PostgreSQL,
    // with statistics from before the job, read every row after the cursor and sorted them for
    // each page. Unfiltered, one window is the page.
    const rows: ResultRow[] = [];
    let after = Math.max(options.afterRow, scope.firstRow - 1);
    for (let window = options.limit; rows.length < options.limit && after < scope.lastRow; window *= 2) {
      const until = Math.min(scope.lastRow, after + window);
      let q = db
        .selectFrom('data_job_row as s')
        .leftJoin('data_job_result as r', (j) =>
          j.onRef('r.data_job_id', '=', 's.data_job_id').onRef('r.row_number', '=', 's.row_number'),
        )
        .select([
          's.row_number',
          sql<string>`coalesce(r.outcome, ${implied})`.as('outcome'),
          'r.reason',
          invitation('person_id').as('person_id'),
          invitation('community_id').as('community_id'),
          's.values',
        ])
        .where('s.data_job_id', '=', scope.dataJobId)
        .where('s.row_number', '>', after)
        .where('s.row_number', '<=', until);
      if (options.outcome) q = q.where((eb) => eb.or([eb('r.row_number', 'is', null), eb('r.outcome', '=', implied)]));
      rows.push(
        ...(await q
          .orderBy('s.row_number')
          .limit(options.limit - rows.length)
          .execute()),
      );
      after = until;
    }
    return rows;
  }
  let q = db
    .selectFrom('data_job_result as r')
    .leftJoin('data_job_row as s', (j) =>
      j.onRef('s.data_job_id', '=', 'r.data_job_id').onRef('s.row_number', '=', 'r.row_number'),
    )
    .select(['r.row_number', 'r.outcome', 'r.reason', 'r.person_id', 'r.community_id', 's.values'])
    .where('r.data_job_id', '=', scope.dataJobId)
    .where('r.row_number', '>', options.afterRow);
  if (options.outcome) q = q.where('r.outcome', '=', options.outcome);
  if (options.reason) q = q.where('r.reason', '=', options.reason);
  return q.orderBy('r.row_number').limit(options.limit).execute();
}

/** The log's totals: rows by outcome and reason, as listResults reads them. */
export async function tallyResults(
  db: DbOrTrx,
  scope: LogScope,
): Promise<{ outcome: string; reason: string | null; n: number }[]> {
  const outcome = sql<string>`coalesce(r.outcome, ${sql.lit(scope.impliedOutcome)})`;
  const rows =
    scope.impliedOutcome === null
      ? await db
          .selectFrom('data_job_result as r')
          .select(['r.outcome', 'r.reason', sql<number>`count(*)`.as('n')])
          .where('r.data_job_id', '=', scope.dataJobId)
          .groupBy(['r.outcome', 'r.reason'])
          .execute()
      : await db
          .selectFrom('data_job_row as s')
          .leftJoin('data_job_result as r', (j) =>
            j.onRef('r.data_job_id', '=', 's.data_job_id').onRef('r.row_number', '=', 's.row_number'),
          )
          .select([outcome.as('outcome'), 'r.reason', sql<number>`count(*)`.as('n')])
          .where('s.data_job_id', '=', scope.dataJobId)
          .where('s.row_number', '<=', scope.lastRow)
          .groupBy([outcome, 'r.reason'])
          .execute();
  return rows.map((r) => ({ outcome: r.outcome, reason: r.reason, n: Number(r.n) }));
}

export async function countRows(
  db: DbOrTrx,
  table: 'data_job_row' | 'data_job_result',
  dataJobId: number,
): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .where('data_job_id', '=', dataJobId)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
