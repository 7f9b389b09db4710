/** The invitee's answers besides Join and "Not now": decline, and restore a hidden invitation. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorAnswers, okAnswerSchema } from '../../shared/error-answers.js';
import { requireCaller } from '../http/caller.js';
import { MAX_ROW_ID } from '../db/row-id.js';
import { declineInvitation, restoreInvitation } from './recommended.service.js';

const params = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });
const tags = ['invitations'];
const answerErrors = errorAnswers(401, 403, 404);

export const invitationAnswerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.post(
    '/api/communities/:id/decline',
    {
      schema: {
        tags,
        params,
        summary: 'Decline an open invitation (shown or hidden): it ends; a later invite is allowed',
        response: { 200: okAnswerSchema, ...answerErrors },
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
        params,
        summary: 'Bring an invitation hidden by "Not now" back to home',
        response: { 200: okAnswerSchema, ...answerErrors },
      },
    },
    async (request) => {
      await restoreInvitation(ctx, requireCaller(request), request.params.id);
      return { ok: true as const };
    },
  );
};
