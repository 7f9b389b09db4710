/**
 * The Data Tools API's shapes (`/api/admin/data-jobs…`), shared by the server (validation,
 * answers) and the web app's wizard and job pages.
 */
import { z } from 'zod';
import { dataJobStatuses, dataJobTypes, keyTypes } from './enums.js';
import { maxSettingDays } from './site-settings.js';

/** An invite job's option: how many days its invitations stay open (null: never; absent: the site's setting). */
const expiresInDaysSchema = z.number().int().min(1).max(maxSettingDays).nullable().optional();

/** The column separators Data Tools reads (and detects): comma, semicolon, tab. */
export const csvDelimiters = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof csvDelimiters)[number];

/** Rows per page of the job log, at most. */
export const resultsPageMax = 500;

/** PATCH /api/admin/data-jobs/:id: the job's name; blank or null removes it. */
export const dataJobNameInput = z.object({
  name: z.string().trim().max(100, { error: 'A job name may be at most 100 characters.' }).nullable(),
});

/** A column: header name, or 1-based index (the server answers with indexes). */
export const columnRefSchema = z.union([z.number().int().min(1), z.string().trim().min(1).max(200)]);
export type ColumnRef = z.input<typeof columnRefSchema>;

/** What each column holds, as the wizard sends it (PUT …/mapping). */
export const mappingInputSchema = z.object({
  keyColumn: columnRefSchema.nullish(),
  keyType: z.enum(keyTypes).default('unique_id'),
  communityColumn: columnRefSchema.nullish(),
  firstNameColumn: columnRefSchema.nullish(),
  lastNameColumn: columnRefSchema.nullish(),
  emailColumn: columnRefSchema.nullish(),
  memberTypeColumn: columnRefSchema.nullish(),
  /** invite jobs only: how many days the job's invitations stay open (null: never; absent: the site's setting) */
  expiresInDays: expiresInDaysSchema,
});
export type MappingInput = z.infer<typeof mappingInputSchema>;

/** A job's mapping as stored and answered: 1-based column indexes. */
export const mappingSchema = z.object({
  /** null only for preverify files keyed by email alone */
  keyColumn: z.number().int().nullable(),
  keyType: z.enum(keyTypes),
  communityColumn: z.number().int().optional(),
  firstNameColumn: z.number().int().optional(),
  lastNameColumn: z.number().int().optional(),
  emailColumn: z.number().int().optional(),
  memberTypeColumn: z.number().int().optional(),
  expiresInDays: expiresInDaysSchema,
});
export type DataJobMapping = z.output<typeof mappingSchema>;

/** Counts by outcome, and skipped rows by reason. */
export const countersSchema = z.object({
  outcomes: z.record(z.string(), z.number()),
  reasons: z.record(z.string(), z.number()),
  /** invitations revoked by Undo */
  revoked: z.number().optional(),
});
export type DataJobCounts = z.output<typeof countersSchema>;

/** One row of the file: its line number and its cells. */
export const fileRowSchema = z.object({ rowNumber: z.number().int(), values: z.array(z.string()) });
export type FileRow = z.output<typeof fileRowSchema>;

export const dryRunSchema = countersSchema.extend({
  total: z.number().int(),
  /** up to 5 rows per outcome or reason code; a duplicate_row sample names the earlier row */
  samples: z.record(z.string(), z.array(fileRowSchema.extend({ duplicateOf: z.number().int().optional() }))),
  computedAt: z.number(),
});
export type DataJobDryRun = z.output<typeof dryRunSchema>;

export const progressSchema = z.object({
  done: z.number().int(),
  total: z.number().int(),
  ratePerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
});
export type DataJobProgress = z.output<typeof progressSchema>;

const creatorSchema = z.object({ id: z.number().int(), name: z.string() });

/** A job as the list shows it. */
export const dataJobSummarySchema = z.object({
  id: z.number().int(),
  type: z.enum(dataJobTypes),
  status: z.enum(dataJobStatuses),
  /** the admin's name for the job (the review step), null when none was given */
  name: z.string().nullable(),
  fileName: z.string(),
  rowCount: z.number().int(),
  counters: countersSchema,
  progress: progressSchema,
  createdBy: creatorSchema,
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type DataJobSummary = z.output<typeof dataJobSummarySchema>;

/** A job with its file's columns, sample rows, mapping, dry run and progress. */
export const dataJobSchema = dataJobSummarySchema.extend({
  hasHeader: z.boolean(),
  /** the column separator the file was read with: detected, or chosen when uploading */
  delimiter: z.enum(csvDelimiters),
  /** header names, or "Column 1", "Column 2"… */
  columns: z.array(z.string()),
  /** the first data rows */
  sample: z.array(fileRowSchema),
  suggestedMapping: mappingSchema.nullable(),
  /** the suggestion is the mapping of an earlier job whose file had the same headers */
  mappingRemembered: z.boolean(),
  mapping: mappingSchema.nullable(),
  dryRun: dryRunSchema.nullable(),
  error: z.string().nullable(),
  /** why a failed job stopped, when the cause has a code: storage_full (the server's disk was full) */
  errorCode: z.string().nullable(),
  /** a failed job that may be resumed (POST …/resume) from its last saved batch: a full disk stopped it */
  resumable: z.boolean(),
  /** an invite job with invitations still open that Undo would revoke */
  canUndo: z.boolean(),
  /**
   * set while the job waits for a worker instead of running (the process running it stopped, or
   * an attempt failed and is retried): when a worker will pick it up again
   */
  waitingToResumeAt: z.number().nullable(),
  /** an invite job's invitations that have since expired (0 for other jobs) */
  expiredInvitations: z.number().int(),
});
export type DataJob = z.output<typeof dataJobSchema>;

export const dataJobListQuery = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const dataJobPageSchema = z.object({
  items: z.array(dataJobSummarySchema),
  nextCursor: z.string().nullable(),
});
export type DataJobPage = z.output<typeof dataJobPageSchema>;

/** `<type>.csv` */
export const sampleFileParams = z.object({ file: z.string().max(100) });

export const resultsQuery = z.object({
  outcome: z.string().max(50).optional(),
  reason: z.string().max(50).optional(),
  /** the row number to continue after (the previous page's nextCursor) */
  cursor: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(resultsPageMax).default(50),
});

/** One row of the job log. */
export const dataJobResultSchema = fileRowSchema.extend({
  outcome: z.string(),
  reason: z.string().nullable(),
  personId: z.number().int().nullable(),
  communityId: z.number().int().nullable(),
  /** duplicate_row: the earlier row of the file with the same key (null otherwise, or when not known) */
  duplicateOf: z.number().int().nullable(),
});
export type DataJobResult = z.output<typeof dataJobResultSchema>;

export const dataJobResultPageSchema = z.object({
  items: z.array(dataJobResultSchema),
  nextCursor: z.string().nullable(),
});
export type DataJobResultPage = z.output<typeof dataJobResultPageSchema>;
