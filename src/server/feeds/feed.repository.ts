/** The feeds' tables: feeds, what their folders held when last looked at, and the files taken. */
import type { DbOrTrx } from '../db/db.js';
import type { FeedFileRow, FeedRow } from '../db/schema.js';
import type { FeedRunStatus } from '../../shared/feeds.js';
import type { Insertable, Updateable } from 'kysely';
import type { FeedFileTable, FeedTable } from '../db/schema.js';

export async function insertFeed(db: DbOrTrx, row: Insertable<FeedTable>): Promise<number> {
  const { id } = await db.insertInto('feed').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function updateFeed(db: DbOrTrx, id: number, set: Updateable<FeedTable>): Promise<boolean> {
  const r = await db.updateTable('feed').set(set).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteFeed(db: DbOrTrx, id: number): Promise<boolean> {
  await db.deleteFrom('feed_file').where('feed_id', '=', id).execute();
  await db.deleteFrom('feed_observation').where('feed_id', '=', id).execute();
  const r = await db.deleteFrom('feed').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export function findFeed(db: DbOrTrx, id: number): Promise<FeedRow | undefined> {
  return db.selectFrom('feed').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findFeedByFolder(db: DbOrTrx, folder: string): Promise<FeedRow | undefined> {
  return db.selectFrom('feed').selectAll().where('folder', '=', folder).executeTakeFirst();
}

export function listFeeds(db: DbOrTrx, onlyEnabled = false): Promise<FeedRow[]> {
  let q = db.selectFrom('feed').selectAll().orderBy('id');
  if (onlyEnabled) q = q.where('enabled', '=', 1);
  return q.execute();
}

/** Each feed's last taken file's time. */
export async function lastRunTimes(db: DbOrTrx): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('feed_file')
    .select(['feed_id', (eb) => eb.fn.max('taken_at').as('last')])
    .groupBy('feed_id')
    .execute();
  return new Map(rows.map((r) => [r.feed_id, Number(r.last)]));
}

export interface Observation {
  readonly name: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly seen_at: number;
  readonly taken: number;
}

export async function readObservations(db: DbOrTrx, feedId: number): Promise<Map<string, Observation>> {
  const rows = await db
    .selectFrom('feed_observation')
    .select(['name', 'size', 'mtime_ms', 'seen_at', 'taken'])
    .where('feed_id', '=', feedId)
    .execute();
  return new Map(rows.map((r) => [r.name, { ...r, size: Number(r.size), mtime_ms: Number(r.mtime_ms) }]));
}

/** Records a file's size and time as first seen now (a new file, or one that changed). */
export async function observe(
  db: DbOrTrx,
  feedId: number,
  file: { name: string; size: number; mtimeMs: number },
  now: number,
): Promise<void> {
  await db
    .insertInto('feed_observation')
    .values({ feed_id: feedId, name: file.name, size: file.size, mtime_ms: file.mtimeMs, seen_at: now, taken: 0 })
    .onConflict((oc) =>
      oc.columns(['feed_id', 'name']).doUpdateSet({ size: file.size, mtime_ms: file.mtimeMs, seen_at: now, taken: 0 }),
    )
    .execute();
}

export async function markObservationTaken(db: DbOrTrx, feedId: number, name: string): Promise<void> {
  await db
    .updateTable('feed_observation')
    .set({ taken: 1 })
    .where('feed_id', '=', feedId)
    .where('name', '=', name)
    .execute();
}

/** Forgets files no longer in the folder. */
export async function forgetObservations(db: DbOrTrx, feedId: number, present: readonly string[]): Promise<void> {
  const q = db.deleteFrom('feed_observation').where('feed_id', '=', feedId);
  await (present.length ? q.where('name', 'not in', present) : q).execute();
}

/**
 * Takes a file: one row per feed, name and content. Answers the new row's id, or undefined when
 * this name and content were taken before (by this process or another).
 */
export async function insertFeedFileOnce(
  db: DbOrTrx,
  row: { feedId: number; name: string; contentHash: string; size: number; now: number },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('feed_file')
    .values({
      feed_id: row.feedId,
      name: row.name,
      content_hash: row.contentHash,
      size: row.size,
      status: 'taking',
      error: null,
      data_job_id: null,
      taken_at: row.now,
      finished_at: null,
    })
    .onConflict((oc) => oc.columns(['feed_id', 'name', 'content_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** The run that took this name and content, if any. */
export async function findFeedFileId(
  db: DbOrTrx,
  feedId: number,
  name: string,
  contentHash: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('feed_file')
    .select('id')
    .where('feed_id', '=', feedId)
    .where('name', '=', name)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
  return row?.id;
}

export function findFeedFile(db: DbOrTrx, id: number): Promise<FeedFileRow | undefined> {
  return db.selectFrom('feed_file').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateFeedFile(
  db: DbOrTrx,
  id: number,
  set: Updateable<FeedFileTable>,
  fromStatuses?: readonly FeedRunStatus[],
): Promise<boolean> {
  let q = db.updateTable('feed_file').set(set).where('id', '=', id);
  if (fromStatuses) q = q.where('status', 'in', fromStatuses);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Runs whose job may have finished since the last look: waiting for review or running. */
export function listOpenRuns(db: DbOrTrx) {
  return db
    .selectFrom('feed_file as f')
    .innerJoin('data_job as j', 'j.id', 'f.data_job_id')
    .select(['f.id', 'f.feed_id', 'f.name', 'f.status', 'j.id as job_id', 'j.status as job_status', 'j.counters'])
    .where('f.status', 'in', ['waiting_review', 'running'])
    .execute();
}

/** A feed's runs, newest first, with their jobs (or the one run `onlyId`). */
export function listRuns(db: DbOrTrx, feedId: number, limit: number, onlyId?: number) {
  let q = db
    .selectFrom('feed_file as f')
    .leftJoin('data_job as j', 'j.id', 'f.data_job_id')
    .select([
      'f.id',
      'f.name',
      'f.size',
      'f.content_hash',
      'f.status',
      'f.error',
      'f.data_job_id',
      'f.taken_at',
      'f.finished_at',
      'j.status as job_status',
      'j.row_count',
      'j.counters',
    ])
    .where('f.feed_id', '=', feedId)
    .orderBy('f.id', 'desc')
    .limit(limit);
  if (onlyId !== undefined) q = q.where('f.id', '=', onlyId);
  return q.execute();
}

/** Active site admins' addresses, for the run emails. */
export async function activeAdminEmails(db: DbOrTrx): Promise<{ id: number; email: string }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'email'])
    .where('is_admin', '=', 1)
    .where('status', '=', 'active')
    .where('email', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.flatMap((r) => (r.email ? [{ id: r.id, email: r.email }] : []));
}
