/** Data Tools API (admins only): upload, map, dry run, start, cancel, undo, job log. See README.md. */
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataJobTypes } from '../../../shared/enums.js';
import { requireAdmin } from '../../http/caller.js';
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { toJob, toJobSummary, toResult } from './data-job.mapper.js';
import {
  cancelDataJob,
  creatorOf,
  getDataJob,
  jobResults,
  listJobs,
  mapDataJob,
  sampleRows,
  startDataJob,
  suggestMapping,
  undoDataJob,
} from './data-job.service.js';
import { mappingInputSchema } from '../engine/mapping.js';
import { resultsCsvStream } from './results-csv.js';
import { sampleFiles } from '../upload/samples.js';
import { type UploadPart, uploadDataJob } from '../upload/upload.service.js';

const tags = ['data-tools'];
/** Result rows per page of the log, at most. */
const resultsPageMax = 500;
const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31),
});

async function* partsOf(request: FastifyRequest): AsyncGenerator<UploadPart> {
  for await (const part of request.parts()) {
    if (part.type === 'file') yield { kind: 'file', name: part.fieldname, fileName: part.filename, stream: part.file };
    else yield { kind: 'field', name: part.fieldname, value: String(part.value ?? '') };
  }
}

/** The job as the API shows it, with its sample rows and suggested mapping. */
export async function jobView(ctx: AppContext, job: DataJobRow) {
  const [sample, suggestion, createdBy] = await Promise.all([
    sampleRows(ctx, job),
    suggestMapping(ctx, job),
    creatorOf(ctx, job),
  ]);
  return toJob(job, {
    sample,
    suggestedMapping: suggestion.mapping,
    mappingRemembered: suggestion.remembered,
    createdBy,
    now: ctx.clock.now(),
  });
}

export const dataJobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  await app.register(multipart, {
    // One byte over the limit lets the CSV reader refuse with its own message.
    limits: { fileSize: ctx.config.uploadMaxBytes + 1, files: 1, fields: 10, fieldSize: 1_000, parts: 12 },
  });

  app.post('/api/admin/data-jobs', { schema: { tags, consumes: ['multipart/form-data'] } }, async (request, reply) => {
    const caller = requireAdmin(request);
    if (!request.isMultipart())
      throw new AppError(
        'unsupported_media_type',
        'Send the file as multipart/form-data with the fields type, hasHeader and file.',
      );
    const id = await uploadDataJob(ctx, caller.person.id, partsOf(request));
    reply.code(201);
    return jobView(ctx, await getDataJob(ctx, id));
  });

  app.get(
    '/api/admin/data-jobs',
    {
      schema: {
        tags,
        querystring: z.object({
          cursor: z.string().max(100).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
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
    { schema: { tags, params: z.object({ file: z.string().max(100) }) } },
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

  app.get('/api/admin/data-jobs/:id', { schema: { tags, params: idParams } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await getDataJob(ctx, request.params.id));
  });

  app.put(
    '/api/admin/data-jobs/:id/mapping',
    { schema: { tags, params: idParams, body: mappingInputSchema } },
    async (request) => {
      requireAdmin(request);
      return jobView(ctx, await mapDataJob(ctx, request.params.id, request.body));
    },
  );

  app.post('/api/admin/data-jobs/:id/start', { schema: { tags, params: idParams } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await startDataJob(ctx, request.params.id));
  });

  app.post('/api/admin/data-jobs/:id/cancel', { schema: { tags, params: idParams } }, async (request) => {
    requireAdmin(request);
    return jobView(ctx, await cancelDataJob(ctx, request.params.id));
  });

  app.post('/api/admin/data-jobs/:id/undo', { schema: { tags, params: idParams } }, async (request) => {
    requireAdmin(request);
    const { job } = await undoDataJob(ctx, request.params.id);
    return jobView(ctx, job);
  });

  app.get(
    '/api/admin/data-jobs/:id/results',
    {
      schema: {
        tags,
        params: idParams,
        querystring: z.object({
          outcome: z.string().max(50).optional(),
          reason: z.string().max(50).optional(),
          cursor: z.string().max(20).optional(),
          limit: z.coerce.number().int().min(1).max(resultsPageMax).default(50),
        }),
      },
    },
    async (request) => {
      requireAdmin(request);
      const page = await jobResults(ctx, request.params.id, request.query);
      return { items: page.items.map(toResult), nextCursor: page.nextCursor };
    },
  );

  app.get('/api/admin/data-jobs/:id/results.csv', { schema: { tags, params: idParams } }, async (request, reply) => {
    requireAdmin(request);
    const job = await getDataJob(ctx, request.params.id);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="data-job-${job.id}-results.csv"`)
      .send(resultsCsvStream(ctx, job));
  });
};
