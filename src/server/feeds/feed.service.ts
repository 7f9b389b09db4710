/**
 * Feeds as site settings (admins only): create, change, delete, a new upload token; the runs of a
 * feed; and the upload a script makes with the feed's token, which lands in the folder like any
 * dropped file (written aside, then renamed into place) and is taken at once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type DataJobCounts, mappingInputSchema } from '../../shared/data-jobs.js';
import type { Feed, FeedInput, FeedPatch, FeedRun } from '../../shared/feeds.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { FeedRow } from '../db/schema.js';
import { hmac, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { feedFolderPath, takeFileOnce } from './feed-run.service.js';
import {
  deleteFeed,
  findFeed,
  findFeedByFolder,
  insertFeed,
  lastRunTimes,
  listFeeds,
  listRuns,
  updateFeed,
} from './feed.repository.js';

const TOKEN_PREFIX = 'cvf_';

function tokenHash(ctx: AppContext, token: string): string {
  return hmac(ctx.config.secret, 'feed_upload_token', token);
}

export function toFeed(row: FeedRow, lastRunAt: number | null): Feed {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    folder: row.folder,
    mapping: mappingInputSchema.parse(JSON.parse(row.mapping)),
    hasHeader: row.has_header === 1,
    skipEmpty: row.skip_empty === 1,
    reviewAbovePercent: row.review_above_percent,
    notify: row.notify,
    enabled: row.enabled === 1,
    uploadPath: `/api/feeds/${row.id}/files/`,
    createdAt: row.created_at,
    lastRunAt,
  };
}

async function getFeed(ctx: AppContext, id: number): Promise<FeedRow> {
  const feed = await findFeed(ctx.db, id);
  if (!feed) throw new AppError('not_found', 'Feed not found.');
  return feed;
}

export async function listAllFeeds(ctx: AppContext): Promise<Feed[]> {
  const last = await lastRunTimes(ctx.db);
  return (await listFeeds(ctx.db)).map((f) => toFeed(f, last.get(f.id) ?? null));
}

export async function showFeed(ctx: AppContext, id: number): Promise<Feed> {
  const last = await lastRunTimes(ctx.db);
  return toFeed(await getFeed(ctx, id), last.get(id) ?? null);
}

export async function createFeed(
  ctx: AppContext,
  actorId: number,
  input: FeedInput,
): Promise<{ feed: Feed; uploadToken: string }> {
  const now = ctx.clock.now();
  const uploadToken = TOKEN_PREFIX + randomToken(24);
  const id = await ctx.db.transaction().execute(async (trx) => {
    if (await findFeedByFolder(trx, input.folder))
      throw new AppError('feed_folder_taken', `Another feed reads the folder "${input.folder}"; choose another.`);
    const feedId = await insertFeed(trx, {
      name: input.name,
      type: input.type,
      folder: input.folder,
      mapping: JSON.stringify(input.mapping),
      has_header: input.hasHeader ? 1 : 0,
      skip_empty: input.skipEmpty ? 1 : 0,
      review_above_percent: input.reviewAbovePercent,
      notify: input.notify,
      enabled: input.enabled ? 1 : 0,
      upload_token_hash: tokenHash(ctx, uploadToken),
      created_by: actorId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(
      trx,
      {
        actorId,
        action: 'feed.created',
        targetType: 'feed',
        targetId: feedId,
        details: { name: input.name, type: input.type, folder: input.folder },
      },
      now,
    );
    return feedId;
  });
  await fsp.mkdir(path.join(ctx.config.feedsDir, input.folder), { recursive: true });
  return { feed: await showFeed(ctx, id), uploadToken };
}

export async function changeFeed(ctx: AppContext, actorId: number, id: number, patch: FeedPatch): Promise<Feed> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const feed = await findFeed(trx, id);
    if (!feed) throw new AppError('not_found', 'Feed not found.');
    if (patch.folder !== undefined && patch.folder !== feed.folder) {
      const other = await findFeedByFolder(trx, patch.folder);
      if (other)
        throw new AppError('feed_folder_taken', `Another feed reads the folder "${patch.folder}"; choose another.`);
    }
    await updateFeed(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.folder !== undefined ? { folder: patch.folder } : {}),
      ...(patch.mapping !== undefined ? { mapping: JSON.stringify(patch.mapping) } : {}),
      ...(patch.hasHeader !== undefined ? { has_header: patch.hasHeader ? 1 : 0 } : {}),
      ...(patch.skipEmpty !== undefined ? { skip_empty: patch.skipEmpty ? 1 : 0 } : {}),
      ...(patch.reviewAbovePercent !== undefined ? { review_above_percent: patch.reviewAbovePercent } : {}),
      ...(patch.notify !== undefined ? { notify: patch.notify } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0 } : {}),
      updated_at: now,
    });
    await recordAudit(trx, { actorId, action: 'feed.changed', targetType: 'feed', targetId: id, details: patch }, now);
  });
  return showFeed(ctx, id);
}

export async function removeFeed(ctx: AppContext, actorId: number, id: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteFeed(trx, id))) throw new AppError('not_found', 'Feed not found.');
    await recordAudit(trx, { actorId, action: 'feed.deleted', targetType: 'feed', targetId: id, details: {} }, now);
  });
}

/** A new upload token; the old one stops working at once. */
export async function renewUploadToken(ctx: AppContext, actorId: number, id: number): Promise<string> {
  const token = TOKEN_PREFIX + randomToken(24);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await updateFeed(trx, id, { upload_token_hash: tokenHash(ctx, token), updated_at: now })))
      throw new AppError('not_found', 'Feed not found.');
    await recordAudit(
      trx,
      { actorId, action: 'feed.token_renewed', targetType: 'feed', targetId: id, details: {} },
      now,
    );
  });
  return token;
}

export async function feedRuns(ctx: AppContext, id: number, limit: number, onlyRun?: number): Promise<FeedRun[]> {
  await getFeed(ctx, id);
  const rows = await listRuns(ctx.db, id, limit, onlyRun);
  return rows.map((r) => ({
    id: r.id,
    fileName: r.name,
    size: Number(r.size),
    contentHash: r.content_hash,
    status: r.status,
    error: r.error,
    dataJobId: r.data_job_id,
    jobStatus: r.job_status ?? null,
    rows: r.row_count ?? null,
    counters: r.counters ? normalCounts(JSON.parse(r.counters) as Partial<DataJobCounts>) : null,
    takenAt: Number(r.taken_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  }));
}

function normalCounts(c: Partial<DataJobCounts>) {
  return { outcomes: c.outcomes ?? {}, reasons: c.reasons ?? {} };
}

/** A safe file name for the folder: no folders, no leading dot, no control characters. */
export function feedFileName(raw: string): string {
  const name = raw.trim();
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 100 || /[/\\\u0000-\u001f\u007f]/.test(name) || name.startsWith('.') || name === '..')
    throw new AppError(
      'feed_file_name_invalid',
      'The file name must be 1–100 characters, with no folders, no control characters and no leading dot.',
    );
  return name;
}

/**
 * A script's upload with the feed's token (`Authorization: Bearer cvf_…`): the body is written
 * aside, renamed into the folder when complete, and taken at once. Answers the run, or the earlier
 * run when this name and content were taken before (a replayed upload changes nothing).
 */
export async function putFeedFile(
  ctx: AppContext,
  id: number,
  token: string | undefined,
  rawName: string,
  body: Readable | undefined,
): Promise<{ run: FeedRun; replayed: boolean }> {
  const feed = await findFeed(ctx.db, id);
  const expected = feed ? Buffer.from(feed.upload_token_hash) : Buffer.alloc(64);
  const given = Buffer.from(token ? tokenHash(ctx, token) : '');
  if (!feed || given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
    throw new AppError('unauthenticated', "The feed's upload token is not valid.");
  if (!feed.enabled) throw new AppError('feed_disabled', 'This feed is switched off; an admin can switch it on.');
  const name = feedFileName(rawName);
  if (!body || typeof body.pipe !== 'function')
    throw new AppError('unsupported_media_type', 'Send the CSV file as the body, with Content-Type: text/csv.');
  const dir = feedFolderPath(ctx, feed);
  await fsp.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.upload-${randomToken(8)}.part`);
  let size = 0;
  try {
    const out = fs.createWriteStream(temp, { flags: 'wx' });
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > ctx.config.uploadMaxBytes)
        body.destroy(
          new AppError(
            'payload_too_large',
            `The file is larger than ${ctx.config.uploadMaxBytes.toLocaleString('en')} bytes, the limit.`,
          ),
        );
    });
    await pipeline(body, out);
    await fsp.rename(temp, path.join(dir, name));
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
  const { id: runId, created } = await takeFileOnce(ctx, feed, { name, size });
  const [run] = await feedRuns(ctx, id, 1, runId);
  if (!run) throw new AppError('internal_error', 'The upload was taken but its run cannot be found.');
  // Taken before (the same name and content): the earlier run.
  return { run, replayed: created === undefined };
}
