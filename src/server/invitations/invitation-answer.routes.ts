/** The invitee's answers besides Join and "Not now": decline, and restore a hidden invitation. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParams, okSchema, signedInErrors } from '../../shared/api.js';
import { requireCaller } from '../http/caller.js';
import { declineInvitation, restoreInvitation } from './recommended.service.js';

const tags = ['invitations'];
const answerErrors = errorResponses(...signedInErrors, 404);

export const invitationAnswerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.post(
    '/api/communities/:id/decline',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Decline an open invitation (shown or hidden): it ends; a later invite is allowed',
        response: { 200: okSchema, ...answerErrors },
      },
    },
    async (request) => {
      await declineInvitation(ctx, requireCaller(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/communities/:id/restore',
    {
      schema: {
        tags,
        params: idParams,
        summary: 'Bring an invitation hidden by "Not now" back to home',
        response: { 200: okSchema, ...answerErrors },
      },
    },
    async (request) => {
      await restoreInvitation(ctx, requireCaller(request), request.params.id);
      return { ok: true as const };
    },
  );
};
