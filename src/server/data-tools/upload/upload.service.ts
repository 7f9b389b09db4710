/**
 * Upload: the multipart parts as they arrive → a staged job. Rows are staged in batches as the
 * file is parsed (one JSON-carried insert per batch, each its own short transaction so that a
 * slow upload never holds SQLite's single writer); the job stays hidden (uploading = 1) until
 * the file is complete, and a refused file is deleted with everything staged for it.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { CsvDelimiter } from '../../../shared/data-jobs.js';
import { dataJobTypes } from '../../../shared/enums.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/db.js';
import { isStorageFull, noteStorageFull } from '../../db/storage-full.js';
import { AppError } from '../../errors.js';
import { stageRows } from '../engine/bulk.repository.js';
import { csvInvalid, readCsv, type CsvReadResult } from './csv-reader.js';
import {
  deleteDataJob,
  findAbandonedUploads,
  findDataJobState,
  insertUploadingDataJob,
  updateDataJob,
} from '../engine/data-job.repository.js';
import { uploadLimits } from './limits.js';
import { type Checkpointer, openCheckpointer } from '../lookup/start-lookup-thread.js';

export type UploadPart =
  | { readonly kind: 'field'; readonly name: string; readonly value: string }
  | { readonly kind: 'file'; readonly name: string; readonly fileName: string; readonly stream: Readable };

const fieldsSchema = z.object({
  type: z.enum(dataJobTypes, {
    error: 'choose the job type: invite_to_community, preverify, update_people, deactivate or reactivate',
  }),
  hasHeader: z.enum(['true', 'false', '1', '0', 'on', 'yes', 'no'], { error: 'must be true or false' }).default('true'),
  delimiter: z
    .enum(['auto', 'comma', 'semicolon', 'tab', ',', ';', '\t'], {
      error: 'must be auto, comma, semicolon or tab',
    })
    .default('auto'),
});

const delimiterOfField: Record<string, CsvDelimiter | null> = {
  auto: null,
  comma: ',',
  semicolon: ';',
  tab: '\t',
  ',': ',',
  ';': ';',
  '\t': '\t',
};

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

/** The name as shown: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop()?.replace(CONTROL_CHARS, '').trim() ?? '';
  return (base || 'upload.csv').slice(0, uploadLimits.fileNameChars);
}

function readFields(fields: Record<string, string>): { type: (typeof dataJobTypes)[number]; hasHeader: boolean } {
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    throw new AppError(
      'validation_failed',
      `${path}: ${issue.message}`,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return { type: parsed.data.type, hasHeader: ['true', '1', 'on', 'yes'].includes(parsed.data.hasHeader) };
}

const abandonedAfterMs = 60 * 60 * 1000;

/** Reads the parts, stages the file, and returns the new job's id. Nothing stays when it throws. */
export async function uploadDataJob(
  ctx: AppContext,
  actorId: number,
  parts: AsyncIterable<UploadPart>,
  options: {
    /** called once the (still hidden) job row exists, so a caller that may crash can find it again */
    readonly onCreated?: (jobId: number) => Promise<void>;
  } = {},
): Promise<number> {
  for (const id of leftBehind.get(ctx.db) ?? []) await removeRefusedUpload(ctx, id);
  for (const id of await findAbandonedUploads(ctx.db, ctx.clock.now() - abandonedAfterMs))
    await deleteDataJob(ctx.db, id);
  const fields: Record<string, string> = {};
  let jobId: number | undefined;
  let read: CsvReadResult | undefined;
  let checkpointer = null as Checkpointer | null;
  try {
    for await (const part of parts) {
      if (part.kind === 'field') {
        fields[part.name] = part.value;
        continue;
      }
      if (part.name !== 'file' || jobId !== undefined) {
        part.stream.resume();
        continue;
      }
      const known = fieldsSchema.partial().safeParse(fields);
      const now = ctx.clock.now();
      const id = await insertUploadingDataJob(ctx.db, {
        type: known.success && known.data.type ? known.data.type : 'invite_to_community',
        fileName: cleanFileName(part.fileName),
        hasHeader: true,
        createdBy: actorId,
        now,
      });
      jobId = id;
      await options.onCreated?.(id);
      const hasHeaderHint = () => !['false', '0', 'no'].includes(fields.hasHeader ?? 'true');
      // The form sends its fields before the file: a bad delimiter is refused before any reading.
      const delimiterField = fieldsSchema.shape.delimiter.safeParse(fields.delimiter);
      if (!delimiterField.success) readFields(fields);
      const delimiter = delimiterField.success ? delimiterOfField[delimiterField.data] : null;
      let staged = 0;
      read = await readCsv(
        part.stream,
        { maxBytes: ctx.config.uploadMaxBytes, maxRows: ctx.config.uploadMaxRows },
        hasHeaderHint,
        async (firstRow, records) => {
          await ctx.db.transaction().execute(async (trx) => {
            await stageRows(trx, id, firstRow, records);
            await updateDataJob(trx, id, { updated_at: ctx.clock.now() });
          });
          // A large file's WAL checkpoints move to a thread (SQLite), off this request's commits.
          if (++staged === checkpointerAfterBatches) checkpointer = await openCheckpointer(ctx);
          checkpointer?.committed();
        },
        { delimiter },
      );
    }
    if (jobId === undefined || !read)
      throw new AppError('validation_failed', 'file: attach a CSV file.', [{ path: 'file', message: 'is required' }]);
    const { type, hasHeader } = readFields(fields);
    const first = read.first ?? [];
    if (hasHeader && read.records === 0)
      throw csvInvalid(
        'header_only',
        2,
        'The file has a header row but no data rows. If its first row is data, upload it again with "The first row is data" ticked.',
      );
    if (!hasHeader) {
      if (read.records + 1 > ctx.config.uploadMaxRows) {
        throw new AppError(
          'csv_too_many_rows',
          `The file has more than ${ctx.config.uploadMaxRows.toLocaleString('en')} rows, the limit.`,
          { limit: ctx.config.uploadMaxRows, line: 0 },
        );
      }
      await stageRows(ctx.db, jobId, 1, { json: JSON.stringify([first]), count: 1 });
    }
    const columns = Array.from(
      { length: read.maxColumns },
      (_, i) => (hasHeader ? first[i]?.trim() : '') || `Column ${i + 1}`,
    );
    await updateDataJob(ctx.db, jobId, {
      uploading: 0,
      type,
      has_header: hasHeader ? 1 : 0,
      delimiter: read.delimiter,
      columns: JSON.stringify(columns),
      row_count: read.records + (hasHeader ? 0 : 1),
      byte_count: read.bytes,
      updated_at: ctx.clock.now(),
    });
    return jobId;
  } catch (error) {
    if (jobId !== undefined) await removeRefusedUpload(ctx, jobId);
    if (isStorageFull(error)) {
      noteStorageFull(ctx.db, ctx.clock.now());
      ctx.log.error({ dataJobId: jobId, code: 'storage_full' }, 'upload refused: the database disk is full');
      throw new AppError('storage_full', fullDiskUploadMessage);
    }
    throw error;
  } finally {
    await checkpointer?.close();
  }
}

export const fullDiskUploadMessage =
  "The server's disk is full, so the file was not saved and none of it was kept. Ask the site's operator " +
  'to free disk space, then upload the file again.';

/**
 * Deletes a job that was never started, with its staged rows: a feed's upload that is still
 * arriving (its process died) or whose file changed while it was read. Answers whether it did.
 */
export async function discardUnstartedDataJob(ctx: AppContext, jobId: number): Promise<boolean> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findDataJobState(trx, jobId);
    if (!row || (row.uploading === 0 && row.status !== 'uploaded' && row.status !== 'mapped')) return false;
    await deleteDataJob(trx, jobId);
    return true;
  });
}

/**
 * Deletes a refused upload's job and staged rows at once, in one transaction. Deleting frees
 * pages and so works on a full database file; if it is refused anyway (a full file system with no
 * room for the journal either), the job stays hidden (uploading = 1), and the next upload tries
 * again before anything else (or, after a restart, the sweep of abandoned uploads removes it).
 */
async function removeRefusedUpload(ctx: AppContext, jobId: number): Promise<void> {
  const pending = leftBehind.get(ctx.db) ?? new Set<number>();
  leftBehind.set(ctx.db, pending);
  try {
    await ctx.db.transaction().execute((trx) => deleteDataJob(trx, jobId));
    pending.delete(jobId);
  } catch (error) {
    pending.add(jobId);
    ctx.log.warn({ err: error, dataJobId: jobId }, 'a refused upload could not be removed yet; the next upload will');
  }
}

/** Refused uploads whose removal was refused too, by database: removed at the next upload. */
const leftBehind = new WeakMap<Db, Set<number>>();

/**
 * From this many staged batches (100,000 rows) an upload checkpoints on a thread: SQLite copies
 * the WAL back inside the commit that crosses 1,000 pages, on the request's thread, and a large
 * upload's commits then wait for it; small files never start a thread.
 */
const checkpointerAfterBatches = 10;
