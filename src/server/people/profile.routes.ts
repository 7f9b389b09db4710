/** The signed-in person's own profile: PATCH /api/me (their name). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { meSchema } from '../../shared/auth.js';
import { bodyErrors, errorResponses, signedInErrors } from '../../shared/api.js';
import { profilePatchSchema } from '../../shared/profile.js';
import { requireCaller } from '../http/caller.js';
import { updateOwnProfile } from './profile.service.js';

export const profileRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.patch(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set my own first and last name (up to 50 characters each)',
        body: profilePatchSchema,
        response: { 200: meSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request) => updateOwnProfile(ctx, requireCaller(request), request.body),
  );
};
