/** Communities API: browse, a community's page and members, join/leave, requests, leaders; the admin table. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, communityPersonParams, errorResponses, idParams, signedInErrors } from '../../shared/api.js';
import {
  adminCommunityPageSchema,
  communityDetailSchema,
  communityListQuery,
  communityPageSchema,
  communitySettingsSchema,
  createCommunityInput,
  joinAnswerSchema,
  leaderAnswerSchema,
  leaveAnswerSchema,
  memberListAnswerSchema,
  memberListQuery,
  requestAnswerSchema,
  updateCommunityInput,
} from '../../shared/communities.js';
import { requireAdmin, requireCaller } from '../http/caller.js';
import {
  approveJoinRequest,
  declineJoinRequest,
  joinCommunity,
  leaveCommunity,
  listCommunityMembers,
  setLeader,
} from './membership.service.js';
import {
  createCommunity,
  getCommunityDetail,
  landingUrlOf,
  listCommunitiesForAdmin,
  listCommunitiesForViewer,
  updateCommunity,
} from './community.service.js';
import type { CommunityRow } from '../db/schema.js';
import { listInvitedMembers } from '../invitations/invitation-lifecycle.service.js';
import type { AppContext } from '../context.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';

const tags = ['communities'];
const readErrors = errorResponses(...signedInErrors, 404);
const changeErrors = errorResponses(...signedInErrors, ...bodyErrors, 404, 409);

/** The list's cursor; one that is not ours serves the first page. */
function decodeListCursor(s: string | undefined): { name: string; id: number } | undefined {
  const v = decodeCursor(s, ['text', 'rowId']);
  return v && { name: v[0], id: v[1] };
}

function page<T extends { name: string; id: number }>(result: {
  items: T[];
  hasMore: boolean;
}): { items: T[]; nextCursor: string | null } {
  const last = result.items[result.items.length - 1];
  return { items: result.items, nextCursor: result.hasMore && last ? encodeCursor([last.name, last.id]) : null };
}

function adminShape(ctx: AppContext, c: CommunityRow) {
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    headline: c.headline,
    description: c.description,
    privacy: c.privacy,
    landingEnabled: c.landing_enabled === 1,
    landingPolicy: c.landing_policy,
    landingUrl: landingUrlOf(ctx, c.slug),
    createdAt: c.created_at,
  };
}

export const communitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/api/communities',
    {
      schema: {
        tags,
        summary: 'Communities the caller can see, by name',
        querystring: communityListQuery,
        response: { 200: communityPageSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      const { q, cursor, limit } = request.query;
      return page(
        await listCommunitiesForViewer(ctx, caller.person, { q, after: decodeListCursor(cursor), limit: limit ?? 50 }),
      );
    },
  );

  app.get(
    '/api/communities/:id',
    {
      schema: {
        tags,
        summary: "A community's page, with what the caller may do there",
        params: idParams,
        response: { 200: communityDetailSchema, ...readErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      return getCommunityDetail(ctx, caller.person, request.params.id);
    },
  );

  app.patch(
    '/api/communities/:id',
    {
      schema: {
        tags,
        summary: 'Edit a community (its leaders and admins)',
        params: idParams,
        body: updateCommunityInput,
        response: { 200: communitySettingsSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
    },
  );

  app.get(
    '/api/communities/:id/members',
    {
      schema: {
        tags,
        summary: 'Members, leaders, join requests or (state=invited) the Invited directory, by name',
        params: idParams,
        querystring: memberListQuery,
        response: { 200: memberListAnswerSchema, ...readErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      if (request.query.state === 'invited') {
        const { q, cursor, limit } = request.query;
        return listInvitedMembers(ctx, caller, request.params.id, { q, cursor, limit });
      }
      return listCommunityMembers(ctx, caller.person, request.params.id, request.query);
    },
  );

  app.post(
    '/api/communities/:id/join',
    {
      schema: {
        tags,
        summary: 'Join (public, or with an open invitation) or ask to join (private)',
        params: idParams,
        response: { 200: joinAnswerSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      return joinCommunity(ctx, caller.person, request.params.id);
    },
  );

  app.post(
    '/api/communities/:id/leave',
    {
      schema: {
        tags,
        summary: 'Leave a community (or withdraw a request to join)',
        params: idParams,
        response: { 200: leaveAnswerSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      await leaveCommunity(ctx, caller.person, request.params.id);
      return { state: 'left' as const };
    },
  );

  for (const decision of ['approve', 'decline'] as const) {
    app.post(
      `/api/communities/:id/requests/:personId/${decision}`,
      {
        schema: {
          tags,
          summary: `${decision === 'approve' ? 'Approve' : 'Decline'} a request to join (leaders and admins)`,
          params: communityPersonParams,
          response: { 200: requestAnswerSchema, ...changeErrors },
        },
      },
      async (request) => {
        const caller = requireCaller(request);
        const decide = decision === 'approve' ? approveJoinRequest : declineJoinRequest;
        return { state: await decide(ctx, caller.person, request.params.id, request.params.personId) };
      },
    );
  }

  app.post(
    '/api/communities/:id/leaders/:personId',
    {
      schema: {
        tags,
        summary: 'Make a member a leader (leaders and admins)',
        params: communityPersonParams,
        response: { 200: leaderAnswerSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      await setLeader(ctx, caller.person, request.params.id, request.params.personId, true);
      return { role: 'leader' as const };
    },
  );

  app.delete(
    '/api/communities/:id/leaders/:personId',
    {
      schema: {
        tags,
        summary: 'Make a leader a plain member again (leaders and admins)',
        params: communityPersonParams,
        response: { 200: leaderAnswerSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      await setLeader(ctx, caller.person, request.params.id, request.params.personId, false);
      return { role: 'member' as const };
    },
  );

  app.get(
    '/api/admin/communities',
    {
      schema: {
        tags,
        summary: 'The admin Communities table (a number as q finds that Community ID)',
        querystring: communityListQuery,
        response: { 200: adminCommunityPageSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { q, cursor, limit } = request.query;
      return page(await listCommunitiesForAdmin(ctx, { q, after: decodeListCursor(cursor), limit: limit ?? 50 }));
    },
  );

  app.post(
    '/api/admin/communities',
    {
      schema: {
        tags,
        summary: 'Create a community (admins)',
        body: createCommunityInput,
        response: { 201: communitySettingsSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 409) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      return reply.code(201).send(adminShape(ctx, await createCommunity(ctx, caller.person, request.body)));
    },
  );

  app.patch(
    '/api/admin/communities/:id',
    {
      schema: {
        tags,
        summary: 'Edit a community (admins)',
        params: idParams,
        body: updateCommunityInput,
        response: { 200: communitySettingsSchema, ...changeErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
    },
  );
};
