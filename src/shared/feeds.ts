/** Feeds: a folder the institution's systems drop CSV files into, each file run as a Data Tools job. */
import { z } from 'zod';
import { mappingInputSchema } from './data-jobs.js';
import { dataJobStatuses, dataJobTypes } from './enums.js';

export const feedNotifyChoices = ['every_run', 'refusals', 'never'] as const;
export type FeedNotify = (typeof feedNotifyChoices)[number];

export const feedRunStatuses = [
  /** taken: the file is being read into a job */
  'taking',
  /** an empty file, skipped as the feed asks */
  'skipped_empty',
  /** the dry run refused more rows than the feed allows: an admin reviews the job in Data Tools */
  'waiting_review',
  'running',
  /** the job ran (completed, failed or canceled: see the job) */
  'finished',
  /** the file could not be read or mapped: `error` says why */
  'failed',
] as const;
export type FeedRunStatus = (typeof feedRunStatuses)[number];

/** A folder name under the site's feeds directory: letters, digits, `-`, `_` and `.`, no `..`. */
export const feedFolderSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: 'use letters, digits, "-", "_" and "." only (a folder inside the site\'s feeds directory)',
  })
  .refine((v) => !v.includes('..'), { error: 'must not contain ".."' });

export const feedInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  type: z.enum(dataJobTypes),
  folder: feedFolderSchema,
  /** columns by header name (or 1-based index), as PUT /api/admin/data-jobs/:id/mapping takes them */
  mapping: mappingInputSchema,
  hasHeader: z.boolean().default(true),
  /** an empty file (no data rows) is skipped instead of failing */
  skipEmpty: z.boolean().default(true),
  /** a dry run refusing more than this share of rows (percent) waits for an admin; null: always run */
  reviewAbovePercent: z.number().int().min(0).max(100).nullable().default(10),
  notify: z.enum(feedNotifyChoices).default('every_run'),
  enabled: z.boolean().default(true),
});
export type FeedInput = z.output<typeof feedInputSchema>;

export const feedPatchSchema = feedInputSchema.partial().omit({ type: true });
export type FeedPatch = z.output<typeof feedPatchSchema>;

export const feedSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(dataJobTypes),
  folder: z.string(),
  mapping: mappingInputSchema,
  hasHeader: z.boolean(),
  skipEmpty: z.boolean(),
  reviewAbovePercent: z.number().int().nullable(),
  notify: z.enum(feedNotifyChoices),
  enabled: z.boolean(),
  /** the path of the PUT upload for scripts */
  uploadPath: z.string(),
  createdAt: z.number(),
  lastRunAt: z.number().nullable(),
});
export type Feed = z.output<typeof feedSchema>;

/** Answered once, on create and on a new upload token. */
export const feedCreatedSchema = z.object({ feed: feedSchema, uploadToken: z.string() });

export const feedRunSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  size: z.number(),
  contentHash: z.string(),
  status: z.enum(feedRunStatuses),
  error: z.string().nullable(),
  dataJobId: z.number().int().nullable(),
  jobStatus: z.enum(dataJobStatuses).nullable(),
  rows: z.number().int().nullable(),
  counters: z
    .object({ outcomes: z.record(z.string(), z.number()), reasons: z.record(z.string(), z.number()) })
    .nullable(),
  takenAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type FeedRun = z.output<typeof feedRunSchema>;

export const feedListSchema = z.object({ items: z.array(feedSchema) });
export const feedRunListSchema = z.object({ items: z.array(feedRunSchema) });
export const feedScanAnswerSchema = z.object({ taken: z.number().int(), waiting: z.number().int() });
