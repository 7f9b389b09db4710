/** Extending an invitation (site admins and the community's leaders): open ones get longer, expired ones open again. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorAnswers } from '../../shared/error-answers.js';
import { extendInvitationSchema, extendedInvitationSchema } from '../../shared/invitation-expiry.js';
import { MAX_ROW_ID } from '../db/row-id.js';
import { requireCaller } from '../http/caller.js';
import { extendInvitation } from './invitation-expiry.service.js';

const id = z.coerce.number().int().positive().max(MAX_ROW_ID);

export const invitationExpiryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.post(
    '/api/communities/:id/invitations/:personId/extend',
    {
      schema: {
        tags: ['invitations'],
        params: z.object({ id, personId: id }),
        body: extendInvitationSchema,
        summary: 'Extend an open invitation, or open an expired one again (no email; Resend sends one)',
        response: { 200: extendedInvitationSchema, ...errorAnswers(401, 403, 404, 413, 415) },
      },
    },
    async (request) =>
      extendInvitation(
        ctx,
        requireCaller(request),
        request.params.id,
        request.params.personId,
        request.body.expiresInDays,
      ),
  );
};
