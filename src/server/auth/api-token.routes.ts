/** Admin API tokens: list, create (the token is in the answer once), revoke. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  apiTokenCreateBody,
  apiTokenCreatedSchema,
  apiTokenListSchema,
  apiTokenSchema,
} from '../../shared/api-tokens.js';
import { bodyErrors, errorResponses, idParams, signedInErrors } from '../../shared/api.js';
import { requireAdmin } from '../http/caller.js';
import { createApiToken, listTokens, revokeToken } from './api-token.service.js';

const tags = ['auth'];

export const apiTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/api/admin/tokens',
    {
      schema: {
        tags,
        summary: 'Every API token of the site, newest first, without secrets (admins)',
        response: { 200: apiTokenListSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { tokens: await listTokens(ctx) };
    },
  );

  app.post(
    '/api/admin/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token with your rights, narrowed to its scopes; the answer shows it once (admins)',
        body: apiTokenCreateBody,
        response: { 201: apiTokenCreatedSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      return reply.code(201).send(await createApiToken(ctx, caller.person.id, request.body));
    },
  );

  app.delete(
    '/api/admin/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API token (admins); it stops working at once',
        params: idParams,
        response: { 200: apiTokenSchema, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => revokeToken(ctx, requireAdmin(request).person.id, request.params.id),
  );
};
