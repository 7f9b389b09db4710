/** Extending an invitation (site admins and the community's leaders): open ones get longer, expired ones open again. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, communityPersonParams, errorResponses, signedInErrors } from '../../shared/api.js';
import { extendInvitationSchema, extendedInvitationSchema } from '../../shared/invitation-expiry.js';
import { requireCaller } from '../http/caller.js';
import { extendInvitation } from './invitation-expiry.service.js';

export const invitationExpiryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.post(
    '/api/communities/:id/invitations/:personId/extend',
    {
      schema: {
        tags: ['invitations'],
        params: communityPersonParams,
        body: extendInvitationSchema,
        summary: 'Extend an open invitation, or open an expired one again (no email; Resend sends one)',
        response: { 200: extendedInvitationSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 404) },
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
