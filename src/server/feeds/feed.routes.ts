/**
 * Feeds (admins): define a feed, list its runs, look into the folders now; and the upload a
 * script makes with the feed's own token (`PUT /api/feeds/:id/files/:name`, raw CSV body).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, errorResponses, idParam, idParams, okSchema, signedInErrors } from '../../shared/api.js';
import {
  feedCreatedSchema,
  feedInputSchema,
  feedListSchema,
  feedPatchSchema,
  feedRunListSchema,
  feedRunSchema,
  feedScanAnswerSchema,
  feedSchema,
} from '../../shared/feeds.js';
import { requireAdmin } from '../http/caller.js';
import { scanFeeds } from './feed-run.service.js';
import {
  changeFeed,
  createFeed,
  feedRuns,
  listAllFeeds,
  putFeedFile,
  removeFeed,
  renewUploadToken,
  showFeed,
} from './feed.service.js';

const tags = ['feeds'];

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // The upload's body is the file itself, read as a stream.
  app.addContentTypeParser(['text/csv', 'text/plain', 'application/octet-stream'], (_request, payload, done) =>
    done(null, payload),
  );

  app.get(
    '/api/admin/feeds',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: 'Every feed (admins)',
        response: { 200: feedListSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { items: await listAllFeeds(ctx) };
    },
  );

  app.post(
    '/api/admin/feeds',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: "Define a feed; the answer shows the feed's upload token once (admins)",
        body: feedInputSchema,
        response: { 201: feedCreatedSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 409) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      return reply.code(201).send(await createFeed(ctx, caller.person.id, request.body));
    },
  );

  app.get(
    '/api/admin/feeds/:id',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: 'One feed (admins)',
        params: idParams,
        response: { 200: feedSchema, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return showFeed(ctx, request.params.id);
    },
  );

  app.patch(
    '/api/admin/feeds/:id',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: 'Change a feed (admins)',
        params: idParams,
        body: feedPatchSchema,
        response: { 200: feedSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 404, 409) },
      },
    },
    async (request) => changeFeed(ctx, requireAdmin(request).person.id, request.params.id, request.body),
  );

  app.delete(
    '/api/admin/feeds/:id',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: "Delete a feed and its runs' records (their Data Tools jobs stay) (admins)",
        params: idParams,
        response: { 200: okSchema, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => {
      await removeFeed(ctx, requireAdmin(request).person.id, request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/admin/feeds/:id/token',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: 'A new upload token for the feed, shown once; the old one stops working (admins)',
        params: idParams,
        response: { 200: z.object({ uploadToken: z.string() }), ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => ({
      uploadToken: await renewUploadToken(ctx, requireAdmin(request).person.id, request.params.id),
    }),
  );

  app.get(
    '/api/admin/feeds/:id/runs',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: "A feed's runs, newest first: each file taken and the job it became (admins)",
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
        response: { 200: feedRunListSchema, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { items: await feedRuns(ctx, request.params.id, request.query.limit) };
    },
  );

  app.post(
    '/api/admin/feeds/scan',
    {
      config: { tokenScope: 'data_jobs' },
      schema: {
        tags,
        summary: 'Look into every feed folder now instead of at the next scan (admins)',
        response: { 200: feedScanAnswerSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return scanFeeds(ctx);
    },
  );

  app.put(
    '/api/feeds/:id/files/:name',
    {
      config: { ownAuthorization: true },
      bodyLimit: ctx.config.uploadMaxBytes,
      schema: {
        tags,
        summary:
          "Upload a file to a feed with the feed's token (Authorization: Bearer cvf_…); the body is the CSV file. Taken at once; the same name and content again answers the earlier run",
        params: z.object({ id: idParam, name: z.string().min(1).max(100) }),
        response: {
          201: z.object({ run: feedRunSchema, replayed: z.boolean() }),
          200: z.object({ run: feedRunSchema, replayed: z.boolean() }),
          ...errorResponses(401, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const auth = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      const body = request.body as Readable | undefined;
      const answer = await putFeedFile(ctx, request.params.id, auth?.[1], request.params.name, body);
      return answer.replayed ? reply.code(200).send(answer) : reply.code(201).send(answer);
    },
  );
};
