/** Data Tools API (admins only): upload, map, dry run, start, resume, cancel, undo, job log. See README.md. */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, csvResponse, errorResponses, idParams, signedInErrors } from '../../../shared/api.js';
import {
  dataJobListQuery,
  dataJobPageSchema,
  dataJobResultPageSchema,
  dataJobSchema,
  dataJobNameInput,
  jobInviteeEmailAnswerSchema,
  jobInviteeEmailInput,
  jobInviteeEmailProgressSchema,
  mappingInputSchema,
  resultsQuery,
  sampleFileParams,
} from '../../../shared/data-jobs.js';
import { dataJobTypes } from '../../../shared/enums.js';
import { requireAdmin } from '../../http/caller.js';
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { toJob, toJobSummary, toResult } from './data-job.mapper.js';
import {
  cancelDataJob,
  resumeDataJob,
  creatorOf,
  countExpiredInvitations,
  getDataJob,
  jobResults,
  listJobs,
  mapDataJob,
  nameDataJob,
  sampleRows,
  startDataJob,
  suggestMapping,
  undoDataJob,
  dataJobResumeAt,
} from './data-job.service.js';
import { resultsCsvStream } from './results-csv.js';
import { emailJobInvitees, jobInviteeEmailProgress } from './invitee-email.service.js';
import { sampleFiles } from '../upload/samples.js';
import { multipartParts } from '../upload/multipart-parts.js';
import { uploadDataJob } from '../upload/upload.service.js';

const tags = ['data-tools'];
const readErrors = errorResponses(...signedInErrors, 404);
const actionErrors = errorResponses(...signedInErrors, ...bodyErrors, 404, 409);

/** The job as the API shows it, with its sample rows and suggested mapping. */
export async function jobView(ctx: AppContext, job: DataJobRow) {
  const [sample, suggestion, createdBy, resumeAt, expiredInvitations] = await Promise.all([
    sampleRows(ctx, job),
    suggestMapping(ctx, job),
    creatorOf(ctx, job),
    dataJobResumeAt(ctx, job),
    countExpiredInvitations(ctx, job),
  ]);
  return toJob(job, {
    sample,
    suggestedMapping: suggestion.mapping,
    mappingRemembered: suggestion.remembered,
    createdBy,
    now: ctx.clock.now(),
    waitingToResumeAt: resumeAt,
    expiredInvitations,
  });
}

export const dataJobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // Every Data Tools route is open to API tokens with the data_jobs scope (auth/api-token.policy.ts).
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, tokenScope: 'data_jobs' };
  });
  await app.register(multipart, {
    // One byte over the limit lets the CSV reader refuse with its own message.
    limits: { fileSize: ctx.config.uploadMaxBytes + 1, files: 1, fields: 10, fieldSize: 1_000, parts: 12 },
  });

  app.post(
    '/api/admin/data-jobs',
    {
      schema: {
        tags,
        summary: 'Upload a CSV file: multipart fields type, hasHeader (true|false) and file',
        consumes: ['multipart/form-data'],
        response: { 201: dataJobSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      if (!request.isMultipart())
        throw new AppError(
          'unsupported_media_type',
          'Send the file as multipart/form-data with the fields type, hasHeader and file.',
        );
      const id = await uploadDataJob(ctx, caller.person.id, multipartParts(request));
      return reply.code(201).send(await jobView(ctx, await getDataJob(ctx, id)));
    },
  );

  app.get(
    '/api/admin/data-jobs',
    {
      // polled every second while a job runs: the job keeps its pace for it
      config: { interactive: false },
      schema: {
        tags,
        summary: 'The site’s data jobs, newest first',
        querystring: dataJobListQuery,
        response: { 200: dataJobPageSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const page = await listJobs(ctx, request.query.cursor, request.query.limit);
      const now = ctx.clock.now();
      return { items: page.items.map((j) => toJobSummary(j, now)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/admin/data-jobs/samples/:file',
    {
      schema: {
        tags,
        summary: 'A sample CSV file for a job type (`<type>.csv`)',
        params: sampleFileParams,
        response: { 200: csvResponse('A sample file with its header'), ...readErrors },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const type = dataJobTypes.find((t) => `${t}.csv` === request.params.file);
      if (!type) throw new AppError('not_found', 'No sample file by that name.');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${type}.csv"`)
        .send(sampleFiles[type]);
    },
  );

  app.get(
    '/api/admin/data-jobs/:id',
    {
      // polled every second while a job runs: the job keeps its pace for it
      config: { interactive: false },
      schema: {
        tags,
        summary: 'A job: status, counters, progress, mapping and dry run',
        params: idParams,
        response: { 200: dataJobSchema, ...readErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return jobView(ctx, await getDataJob(ctx, request.params.id));
    },
  );

  app.put(
    '/api/admin/data-jobs/:id/mapping',
    {
      schema: {
        tags,
        summary: 'Map the columns (by header name or 1-based index); the dry run follows',
        params: idParams,
        body: mappingInputSchema,
        response: { 200: dataJobSchema, ...actionErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return jobView(ctx, await mapDataJob(ctx, request.params.id, request.body));
    },
  );

  app.patch(
    '/api/admin/data-jobs/:id',
    {
      schema: {
        tags,
        summary: "Name the job (the review step's job name); null or blank removes it",
        params: idParams,
        body: dataJobNameInput,
        response: { 200: dataJobSchema, ...actionErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return jobView(ctx, await nameDataJob(ctx, request.params.id, request.body.name));
    },
  );

  const actions = {
    start: { summary: 'Start a mapped job', run: startDataJob },
    cancel: { summary: 'Cancel a queued or running job', run: cancelDataJob },
    resume: {
      summary: 'Resume a job a full disk stopped (resumable: true), from its last saved batch',
      run: resumeDataJob,
    },
    undo: {
      summary: 'Undo an invite job: revoke the invitations it made that are still open',
      run: async (c: AppContext, id: number) => (await undoDataJob(c, id)).job,
    },
  } as const;
  for (const [action, { summary, run }] of Object.entries(actions)) {
    app.post(
      `/api/admin/data-jobs/:id/${action}`,
      { schema: { tags, summary, params: idParams, response: { 200: dataJobSchema, ...actionErrors } } },
      async (request) => {
        requireAdmin(request);
        return jobView(ctx, await run(ctx, request.params.id));
      },
    );
  }

  app.post(
    '/api/admin/data-jobs/:id/email-invitees',
    {
      schema: {
        tags,
        summary:
          'Email the people a finished invite job invited (never pre-verified people), throttled: without confirm: true only the count and a preview; with it the emails are queued',
        params: idParams,
        body: jobInviteeEmailInput,
        response: { 200: jobInviteeEmailAnswerSchema, ...actionErrors },
      },
    },
    async (request) => emailJobInvitees(ctx, requireAdmin(request), request.params.id, request.body),
  );

  app.get(
    '/api/admin/data-jobs/:id/email-invitees',
    {
      schema: {
        tags,
        summary: "The job's invitee email runs and where their emails stand",
        params: idParams,
        response: { 200: jobInviteeEmailProgressSchema, ...readErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return jobInviteeEmailProgress(ctx, request.params.id);
    },
  );

  app.get(
    '/api/admin/data-jobs/:id/results',
    {
      schema: {
        tags,
        summary: 'The job log, a page at a time, by row number; filter by outcome or reason',
        params: idParams,
        querystring: resultsQuery,
        response: { 200: dataJobResultPageSchema, ...readErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      const page = await jobResults(ctx, request.params.id, request.query);
      return { items: page.items.map(toResult), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/admin/data-jobs/:id/results.csv',
    {
      schema: {
        tags,
        summary: 'The job log as CSV: the header, then one line per data row',
        params: idParams,
        response: { 200: csvResponse('Row, the file’s columns, Outcome, Reason'), ...readErrors },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const job = await getDataJob(ctx, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="data-job-${job.id}-results.csv"`)
        .send(resultsCsvStream(ctx, job));
    },
  );
};
