/**
 * A feed's runs: the scan looks into every enabled feed's folder, takes each file whose size and
 * time stopped changing (once per name and content, whatever the number of workers), and settles
 * runs whose job finished; `feeds.take` reads a taken file into a Data Tools job through the same
 * upload, mapping and dry run as the wizard, then starts it or holds it for review. Every step's
 * state is a row, so a worker that dies mid-way leaves the job runner's retry to carry on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import type { DataJobCounts, MappingInput } from '../../shared/data-jobs.js';
import type { AppContext } from '../context.js';
import type { DbOrTrx } from '../db/db.js';
import type { FeedFileRow, FeedRow } from '../db/schema.js';
import { getDataJob, mapDataJob, startDataJob } from '../data-tools/api/data-job.service.js';
import { discardUnstartedDataJob, uploadDataJob, type UploadPart } from '../data-tools/upload/upload.service.js';
import { queueEmail } from '../email/outbox.service.js';
import { AppError } from '../errors.js';
import type { JobHandler } from '../jobs/job-handler.js';
import { enqueueJob } from '../jobs/queue.repository.js';
import { queueWebhookEvent } from '../webhooks/webhook-event.repository.js';
import type { FeedRunEmailPayload } from './feed.email.js';
import {
  activeAdminEmails,
  findFeed,
  findFeedFile,
  findFeedFileId,
  forgetObservations,
  insertFeedFileOnce,
  listFeeds,
  listOpenRuns,
  markObservationTaken,
  observe,
  readObservations,
  updateFeedFile,
} from './feed.repository.js';

/** Names an uploader uses while a file is still arriving (and ours), never taken. */
const inProgressName = /^\.|\.(part|partial|filepart|tmp|temp|uploading|crdownload)$/i;

export function feedFolderPath(ctx: AppContext, feed: Pick<FeedRow, 'folder'>): string {
  return path.join(ctx.config.feedsDir, feed.folder);
}

export interface ScanOptions {
  /** take files at first sight, without waiting for them to stop changing (the caller knows they are complete) */
  readonly now?: boolean;
}

/** One look at every enabled feed: takes what is ready, settles finished runs. */
export async function scanFeeds(
  ctx: AppContext,
  options: ScanOptions = {},
): Promise<{ taken: number; waiting: number }> {
  let taken = 0;
  let waiting = 0;
  for (const feed of await listFeeds(ctx.db, true)) {
    const result = await scanFeed(ctx, feed, options);
    taken += result.taken;
    waiting += result.waiting;
  }
  await settleRuns(ctx);
  return { taken, waiting };
}

/** One feed's folder: new or changed files are noted; files unchanged for feedStableMs are taken. */
export async function scanFeed(
  ctx: AppContext,
  feed: FeedRow,
  options: ScanOptions = {},
): Promise<{ taken: number; waiting: number }> {
  const dir = feedFolderPath(ctx, feed);
  await fsp.mkdir(dir, { recursive: true });
  const now = ctx.clock.now();
  const seen = await readObservations(ctx.db, feed.id);
  const present: string[] = [];
  let taken = 0;
  let waiting = 0;
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || inProgressName.test(entry.name)) continue;
    const stat = await fsp.stat(path.join(dir, entry.name)).catch(() => null);
    if (!stat) continue;
    present.push(entry.name);
    const file = { name: entry.name, size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
    const before = seen.get(entry.name);
    if (!before || before.size !== file.size || before.mtime_ms !== file.mtimeMs) {
      await observe(ctx.db, feed.id, file, now);
      if (options.now) {
        if (await takeFile(ctx, feed, file)) taken++;
        continue;
      }
      waiting++;
      continue;
    }
    if (before.taken) continue;
    if (!options.now && now - before.seen_at < ctx.config.feedStableMs) {
      waiting++;
      continue;
    }
    if (await takeFile(ctx, feed, file)) taken++;
  }
  await forgetObservations(ctx.db, feed.id, present);
  return { taken, waiting };
}

/**
 * Takes a file that is complete: hashes it and records it once per name and content, with its
 * `feeds.take` job, in one transaction. Answers the new run's id, or undefined when this name and
 * content were taken before.
 */
export async function takeFile(
  ctx: AppContext,
  feed: FeedRow,
  file: { name: string; size: number },
): Promise<number | undefined> {
  return (await takeFileOnce(ctx, feed, file)).created;
}

/** Takes a file, answering its run whether this call took it (`created`) or an earlier one did (`id`). */
export async function takeFileOnce(
  ctx: AppContext,
  feed: FeedRow,
  file: { name: string; size: number },
): Promise<{ id: number; created: number | undefined }> {
  const contentHash = await hashFile(path.join(feedFolderPath(ctx, feed), file.name));
  const created = await insertRun(ctx, feed, file, contentHash);
  if (created !== undefined) return { id: created, created };
  const id = await findFeedFileId(ctx.db, feed.id, file.name, contentHash);
  if (id === undefined) throw new Error(`feed ${feed.id}: ${file.name} was taken but its run is gone`);
  return { id, created: undefined };
}

async function insertRun(
  ctx: AppContext,
  feed: FeedRow,
  file: { name: string; size: number },
  contentHash: string,
): Promise<number | undefined> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    await markObservationTaken(trx, feed.id, file.name);
    const id = await insertFeedFileOnce(trx, { feedId: feed.id, name: file.name, contentHash, size: file.size, now });
    if (id === undefined) return undefined;
    if (file.size === 0 && feed.skip_empty) {
      await updateFeedFile(trx, id, { status: 'skipped_empty', finished_at: now });
      const run = await findFeedFile(trx, id);
      if (run)
        await runFinishedEvent(ctx, trx, feed, run, {
          status: 'skipped_empty',
          error: null,
          jobId: null,
          jobStatus: null,
          counts: null,
        });
      return id;
    }
    await enqueueJob(trx, 'feeds.take', { feedFileId: id }, now, { dedupeKey: `feeds.take:${id}`, maxAttempts: 5 });
    return id;
  });
}

async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Passes the bytes through and hashes them. */
class Hashing extends Transform {
  readonly hash = crypto.createHash('sha256');
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/** `feeds.take`: file → uploaded job → mapped (dry run) → started, or held for review, or failed. */
export const takeFeedFileJob: JobHandler<'feeds.take'> = async (ctx, { feedFileId }) => {
  const run = await findFeedFile(ctx.db, feedFileId);
  if (!run || run.status !== 'taking') return;
  const feed = await findFeed(ctx.db, run.feed_id);
  if (!feed) return;
  let jobId = run.data_job_id;
  // A job that never finished arriving (the process died while reading) is read again from the start.
  if (jobId !== null && !(await getDataJob(ctx, jobId).catch(() => null))) {
    await discardUnstartedDataJob(ctx, jobId);
    jobId = null;
  }
  if (jobId === null) {
    const read = await readIntoJob(ctx, feed, run);
    if (read.kind !== 'job') return;
    jobId = read.jobId;
  }
  let job = await getDataJob(ctx, jobId);
  if (job.status === 'uploaded') {
    try {
      job = await mapDataJob(ctx, jobId, JSON.parse(feed.mapping) as MappingInput);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'mapping_invalid') throw error;
      await endRun(ctx, feed, run, 'failed', `The feed's mapping does not fit this file: ${error.message}`, jobId);
      return;
    }
  }
  if (job.status === 'mapped') {
    const dryRun = JSON.parse(job.dry_run ?? '{}') as Partial<DataJobCounts>;
    const refused = dryRun.outcomes?.skipped ?? 0;
    if (feed.review_above_percent !== null && refused * 100 > feed.review_above_percent * job.row_count) {
      await ctx.db.transaction().execute(async (trx) => {
        if (await updateFeedFile(trx, run.id, { status: 'waiting_review' }, ['taking']))
          await emailAdmins(ctx, trx, feed, run, {
            status: 'waiting_review',
            jobId,
            jobStatus: job.status,
            counts: dryRun,
            error: null,
          });
      });
      return;
    }
    await startDataJob(ctx, jobId);
  }
  await updateFeedFile(ctx.db, run.id, { status: 'running' }, ['taking']);
};

type ReadResult = { kind: 'job'; jobId: number } | { kind: 'ended' };

/** Reads the file through the Data Tools upload; the job is linked to the run as soon as it exists. */
async function readIntoJob(ctx: AppContext, feed: FeedRow, run: FeedFileRow): Promise<ReadResult> {
  const file = path.join(feedFolderPath(ctx, feed), run.name);
  const hashing = new Hashing();
  let stream: fs.ReadStream;
  try {
    stream = fs.createReadStream(file);
    await new Promise<void>((resolve, reject) => stream.once('open', () => resolve()).once('error', reject));
  } catch {
    await endRun(ctx, feed, run, 'failed', 'The file was removed from the folder before it could be read.', null);
    return { kind: 'ended' };
  }
  stream.once('error', (error) => hashing.destroy(error));
  const body = stream.pipe(hashing);
  async function* parts(): AsyncIterable<UploadPart> {
    yield { kind: 'field', name: 'type', value: feed.type };
    yield { kind: 'field', name: 'hasHeader', value: feed.has_header ? 'true' : 'false' };
    yield { kind: 'file', name: 'file', fileName: run.name, stream: body };
  }
  let jobId: number;
  try {
    jobId = await uploadDataJob(ctx, feed.created_by, parts(), {
      onCreated: (id) => updateFeedFile(ctx.db, run.id, { data_job_id: id }).then(() => undefined),
    });
  } catch (error) {
    stream.destroy();
    if (!(error instanceof AppError)) throw error;
    const empty =
      error.code === 'csv_invalid' && (error.details as { reason?: string } | undefined)?.reason === 'header_only';
    if (empty && feed.skip_empty) await endRun(ctx, feed, run, 'skipped_empty', null, null);
    else await endRun(ctx, feed, run, 'failed', error.message, null);
    return { kind: 'ended' };
  }
  if (hashing.hash.digest('hex') !== run.content_hash) {
    await discardUnstartedDataJob(ctx, jobId);
    await endRun(
      ctx,
      feed,
      run,
      'failed',
      'The file changed while it was read; it is taken again once it stops changing.',
      null,
    );
    return { kind: 'ended' };
  }
  return { kind: 'job', jobId };
}

/** Ends a run that did not become a running job; failures are emailed unless the feed says never. */
async function endRun(
  ctx: AppContext,
  feed: FeedRow,
  run: FeedFileRow,
  status: 'failed' | 'skipped_empty',
  error: string | null,
  jobId: number | null,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const moved = await updateFeedFile(
      trx,
      run.id,
      { status, error, data_job_id: jobId, finished_at: ctx.clock.now() },
      ['taking'],
    );
    if (!moved) return;
    await runFinishedEvent(ctx, trx, feed, run, { status, error, jobId, jobStatus: null, counts: null });
    if (status === 'failed')
      await emailAdmins(ctx, trx, feed, run, { status: 'failed', jobId, jobStatus: null, counts: {}, error });
  });
}

/** Runs whose job has finished become finished (and are emailed as the feed says); reviewed ones that started, running. */
export async function settleRuns(ctx: AppContext): Promise<number> {
  let settled = 0;
  for (const open of await listOpenRuns(ctx.db)) {
    const done = open.job_status === 'completed' || open.job_status === 'failed' || open.job_status === 'canceled';
    if (!done) {
      if (open.status === 'waiting_review' && open.job_status !== 'mapped' && open.job_status !== 'uploaded')
        await updateFeedFile(ctx.db, open.id, { status: 'running' }, ['waiting_review']);
      continue;
    }
    await ctx.db.transaction().execute(async (trx) => {
      const moved = await updateFeedFile(trx, open.id, { status: 'finished', finished_at: ctx.clock.now() }, [
        'waiting_review',
        'running',
      ]);
      if (!moved) return;
      settled++;
      const feed = await findFeed(trx, open.feed_id);
      const run = await findFeedFile(trx, open.id);
      if (!feed || !run) return;
      const counts = JSON.parse(open.counters) as Partial<DataJobCounts>;
      await runFinishedEvent(ctx, trx, feed, run, {
        status: 'finished',
        error: null,
        jobId: open.job_id,
        jobStatus: open.job_status,
        counts,
      });
      const refused = (counts.outcomes?.skipped ?? 0) > 0 || open.job_status !== 'completed';
      if (feed.notify === 'every_run' || (feed.notify === 'refusals' && refused))
        await emailAdmins(ctx, trx, feed, run, {
          status: 'finished',
          jobId: open.job_id,
          jobStatus: open.job_status,
          counts,
          error: null,
        });
    });
  }
  return settled;
}

/** `feed.run_finished` to the webhook endpoints that want it, in the transaction that ends the run. */
async function runFinishedEvent(
  ctx: AppContext,
  trx: DbOrTrx,
  feed: FeedRow,
  run: FeedFileRow,
  end: {
    status: 'finished' | 'failed' | 'skipped_empty';
    error: string | null;
    jobId: number | null;
    jobStatus: string | null;
    counts: Partial<DataJobCounts> | null;
  },
): Promise<void> {
  await queueWebhookEvent(trx, ctx.clock.now(), {
    type: 'feed.run_finished',
    personId: null,
    data: {
      feed: { id: feed.id, name: feed.name, type: feed.type },
      run: { id: run.id, fileName: run.name, size: Number(run.size), status: end.status, error: end.error },
      dataJob: end.jobId === null ? null : { id: end.jobId, status: end.jobStatus },
      outcomes: end.counts?.outcomes ?? {},
      reasons: end.counts?.reasons ?? {},
    },
  });
}

async function emailAdmins(
  ctx: AppContext,
  trx: DbOrTrx,
  feed: FeedRow,
  run: FeedFileRow,
  what: {
    status: FeedRunEmailPayload['status'];
    jobId: number | null;
    jobStatus: string | null;
    counts: Partial<DataJobCounts>;
    error: string | null;
  },
): Promise<void> {
  if (feed.notify === 'never') return;
  const payload: FeedRunEmailPayload = {
    feedId: feed.id,
    feedName: feed.name,
    fileName: run.name,
    status: what.status,
    jobId: what.jobId,
    jobStatus: what.jobStatus,
    outcomes: what.counts.outcomes ?? {},
    reasons: what.counts.reasons ?? {},
    error: what.error,
  };
  for (const admin of await activeAdminEmails(trx))
    await queueEmail(ctx, trx, {
      dedupeKey: `feed_run:${run.id}:${what.status}:${admin.id}`,
      to: admin.email,
      template: 'feed_run',
      payload: { ...payload },
      category: 'transactional',
    });
}

/** `feeds.scan`: the periodic look. */
export const scanFeedsJob: JobHandler<'feeds.scan'> = async (ctx) => {
  await scanFeeds(ctx);
};
