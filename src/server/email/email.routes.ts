/**
 * Email routes: the admin Email log (with a test send), and unsubscribe — the web page is
 * GET /unsubscribe/:token (the SPA); mail clients' one-click POST goes to the same URL
 * (RFC 8058), and the page itself posts to /api/unsubscribe/:token.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  emailDetailSchema,
  emailLogPageSchema,
  emailLogQuerySchema,
  testEmailAnswerSchema,
  testEmailRequestSchema,
  unsubscribeStatusSchema,
  unsubscribeTokenParams,
} from '../../shared/email.js';
import { bodyErrors, errorResponses, idParams, signedInErrors } from '../../shared/api.js';
import { requireAdmin } from '../http/caller.js';
import { acceptOneClickForms } from './one-click.js';
import { getEmailLogEntry, listEmailLog, sendTestEmail } from './email-log.service.js';
import { getUnsubscribeStatus, unsubscribe } from './unsubscribe.service.js';

const emailLogRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['email'];
  app.get(
    '/api/admin/emails',
    {
      schema: {
        tags,
        querystring: emailLogQuerySchema,
        response: { 200: emailLogPageSchema, ...errorResponses(...signedInErrors) },
        summary: 'The email log, newest first (admins)',
      },
    },
    async (request) => listEmailLog(ctx, requireAdmin(request), request.query, app.emailTemplates),
  );

  app.get(
    '/api/admin/emails/:id',
    {
      schema: {
        tags,
        params: idParams,
        response: { 200: emailDetailSchema, ...errorResponses(...signedInErrors, 404) },
        summary: 'One email, rendered (admins)',
      },
    },
    async (request) => getEmailLogEntry(ctx, requireAdmin(request), request.params.id, app.emailTemplates),
  );

  app.post(
    '/api/admin/emails/test',
    {
      schema: {
        tags,
        body: testEmailRequestSchema,
        summary: 'Queue a test email to check delivery (admins)',
        response: { 202: testEmailAnswerSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request, reply) => reply.code(202).send(await sendTestEmail(ctx, requireAdmin(request), request.body.to)),
  );
};

const unsubscribeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['email'];
  acceptOneClickForms(app);
  const post = {
    config: { csrf: false },
    schema: {
      tags,
      params: unsubscribeTokenParams,
      body: z.unknown().optional(),
      response: { 200: unsubscribeStatusSchema, ...errorResponses(404, 413, 415) },
    },
  };

  app.get(
    '/api/unsubscribe/:token',
    {
      schema: {
        tags,
        params: unsubscribeTokenParams,
        response: { 200: unsubscribeStatusSchema, ...errorResponses(404) },
        summary: 'Whose link this is, and whether they are unsubscribed',
      },
    },
    async (request) => getUnsubscribeStatus(ctx, request.params.token),
  );

  app.post(
    '/api/unsubscribe/:token',
    { ...post, schema: { ...post.schema, summary: 'Unsubscribe from invitation emails' } },
    async (request) => unsubscribe(ctx, request.params.token, 'page'),
  );

  app.post('/unsubscribe/:token', { ...post, schema: { ...post.schema, hide: true } }, async (request) =>
    unsubscribe(ctx, request.params.token, 'one_click'),
  );
};

export const emailRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(emailLogRoutes);
  await app.register(unsubscribeRoutes);
};
