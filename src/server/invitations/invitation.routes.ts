/**
 * Invitations API: the direct invite, the Invited directory (revoke, resend), the typeahead, and
 * the invitee's Recommended Communities and "Not now". Join is the communities feature's
 * POST /api/communities/:id/join (an open invitation joins at once, exactly once).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  bodyErrors,
  communityPersonParams,
  csvResponse,
  errorResponses,
  idParams,
  okSchema,
  signedInErrors,
} from '../../shared/api.js';
import {
  invitedFilterQuery,
  invitedMembersPageSchema,
  invitedQuery,
  inviteQuotaSchema,
  inviteRequestSchema,
  inviteResponseSchema,
  peopleSearchQuery,
  personSuggestionsSchema,
  recommendedCommunitiesSchema,
  recommendedQuery,
  resendAnswerSchema,
} from '../../shared/invitations.js';
import { requireCaller } from '../http/caller.js';
import { AppError } from '../errors.js';
import {
  invitedCsvStream,
  listInvitedMembers,
  resendInvitation,
  revokeInvitation,
  undoRevokeInvitation,
} from './invitation-lifecycle.service.js';
import { getInviteQuota } from './invitation-quota.service.js';
import { inviteToCommunity } from './invitation.service.js';
import { searchPeople } from './people-search.js';
import { dismissInvitation, getRecommendedCommunities } from './recommended.service.js';

const tags = ['invitations'];
const changeErrors = errorResponses(...signedInErrors, ...bodyErrors, 404, 409, 429);

/** Printable ASCII, as the header is used in the wild (a UUID, usually). */
function idempotencyKeyOf(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value[0] : value;
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw new AppError('bad_request', 'The Idempotency-Key header must be 1 to 200 printable ASCII characters.');
  return key;
}

export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // Per caller, so that one leader typing fast does not slow another; only the typeahead is limited.
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => (request.caller ? `person:${request.caller.person.id}` : `ip:${request.ip}`),
  });

  app.post(
    '/api/communities/:id/invitations',
    {
      schema: {
        tags,
        params: idParams,
        body: inviteRequestSchema,
        response: { 200: inviteResponseSchema, ...changeErrors },
        summary:
          'Invite up to 250 people (person IDs and/or pasted emails); one outcome per recipient. Honours Idempotency-Key.',
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      return inviteToCommunity(
        ctx,
        caller,
        request.params.id,
        request.body,
        idempotencyKeyOf(request.headers['idempotency-key']),
      );
    },
  );

  app.get(
    '/api/communities/:id/invite-quota',
    {
      schema: {
        tags,
        params: idParams,
        response: { 200: inviteQuotaSchema, ...errorResponses(...signedInErrors, 404) },
        summary: "The caller's invitation emails: daily limit, used in the last 24 hours, remaining",
      },
    },
    async (request) => getInviteQuota(ctx, requireCaller(request), request.params.id),
  );

  app.get(
    '/api/communities/:id/invitations',
    {
      schema: {
        tags,
        params: idParams,
        querystring: invitedQuery,
        response: { 200: invitedMembersPageSchema, ...errorResponses(...signedInErrors, 404) },
        summary:
          'The Invited directory: keyset pages, search, filters by standing (state), email state and source, counts per filter (also served, unfiltered, as members?state=invited)',
      },
    },
    async (request) => listInvitedMembers(ctx, requireCaller(request), request.params.id, request.query),
  );

  app.get(
    '/api/communities/:id/invitations.csv',
    {
      schema: {
        tags,
        params: idParams,
        querystring: invitedFilterQuery,
        response: {
          200: csvResponse('First name, Last name, Email, (Site status, admins only), Invitation, Invited by, …'),
          ...errorResponses(...signedInErrors, 404),
        },
        summary: 'The Invited directory as CSV, with the same search and filters',
      },
    },
    async (request, reply) => {
      const stream = await invitedCsvStream(ctx, requireCaller(request), request.params.id, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="community-${request.params.id}-invited.csv"`)
        .send(stream);
    },
  );

  app.post(
    '/api/communities/:id/invitations/:personId/undo-revoke',
    {
      schema: {
        tags,
        params: communityPersonParams,
        summary: 'Undo a revoke the caller made in the last minute: the invitation is open again',
        response: { 200: okSchema, ...changeErrors },
      },
    },
    async (request) => {
      await undoRevokeInvitation(ctx, requireCaller(request), request.params.id, request.params.personId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/communities/:id/invitations/:personId/revoke',
    {
      schema: {
        tags,
        params: communityPersonParams,
        summary: 'Revoke an open invitation',
        response: { 200: okSchema, ...changeErrors },
      },
    },
    async (request) => {
      await revokeInvitation(ctx, requireCaller(request), request.params.id, request.params.personId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/communities/:id/invitations/:personId/resend',
    {
      schema: {
        tags,
        params: communityPersonParams,
        summary: 'Email an open invitation again (at most once an hour)',
        response: { 200: resendAnswerSchema, ...changeErrors },
      },
    },
    async (request) => resendInvitation(ctx, requireCaller(request), request.params.id, request.params.personId),
  );

  app.get(
    '/api/people/search',
    {
      config: { rateLimit: { max: 30, timeWindow: 5000 } },
      schema: {
        tags,
        querystring: peopleSearchQuery,
        response: { 200: personSuggestionsSchema, ...errorResponses(...signedInErrors, 429) },
        summary: 'Typeahead over site people (admins; leaders with communityId)',
      },
    },
    async (request) => ({ items: await searchPeople(ctx, requireCaller(request), request.query) }),
  );

  app.get(
    '/api/me/recommended-communities',
    {
      schema: {
        tags,
        querystring: recommendedQuery,
        summary:
          'Open invitations (newest first), my communities, and public suggestions; ?hidden=true: hidden invitations',
        response: { 200: recommendedCommunitiesSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) =>
      getRecommendedCommunities(ctx, requireCaller(request), { hidden: request.query.hidden === 'true' }),
  );

  app.post(
    '/api/communities/:id/dismiss',
    {
      schema: {
        tags,
        params: idParams,
        summary: '"Not now": hide an open invitation from home (it stays open; restore brings it back)',
        response: { 200: okSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 404) },
      },
    },
    async (request) => {
      await dismissInvitation(ctx, requireCaller(request), request.params.id);
      return { ok: true as const };
    },
  );
};
