/** Communities API: browse, a community's page and members, join/leave, requests, leaders; the admin table. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCommunityInput, memberListStates, updateCommunityInput } from '../../shared/communities.js';
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

const id = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const idParams = z.object({ id });
const memberParams = z.object({ id, personId: id });
const listQuery = z.object({
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const tags = ['communities'];

function encodeCursor(name: string, cid: number): string {
  return Buffer.from(JSON.stringify([name, cid])).toString('base64url');
}

function decodeCursor(s: string | undefined): { name: string; id: number } | undefined {
  if (!s) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isSafeInteger(v[1]))
      return { name: v[0], id: v[1] as number };
  } catch {
    /* first page */
  }
  return undefined;
}

function page<T extends { name: string; id: number }>(result: {
  items: T[];
  hasMore: boolean;
}): { items: T[]; nextCursor: string | null } {
  const last = result.items[result.items.length - 1];
  return { items: result.items, nextCursor: result.hasMore && last ? encodeCursor(last.name, last.id) : null };
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

  app.get('/api/communities', { schema: { querystring: listQuery, tags } }, async (request) => {
    const caller = requireCaller(request);
    const { q, cursor, limit } = request.query;
    return page(
      await listCommunitiesForViewer(ctx, caller.person, { q, after: decodeCursor(cursor), limit: limit ?? 50 }),
    );
  });

  app.get('/api/communities/:id', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireCaller(request);
    return getCommunityDetail(ctx, caller.person, request.params.id);
  });

  app.patch(
    '/api/communities/:id',
    { schema: { params: idParams, body: updateCommunityInput, tags } },
    async (request) => {
      const caller = requireCaller(request);
      return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
    },
  );

  app.get(
    '/api/communities/:id/members',
    {
      schema: {
        params: idParams,
        querystring: listQuery.extend({ state: z.enum(memberListStates).default('joined') }),
        tags,
      },
    },
    async (request) => {
      const caller = requireCaller(request);
      if (request.query.state === 'invited') return listInvitedMembers(ctx, caller, request.params.id, request.query);
      return listCommunityMembers(ctx, caller.person, request.params.id, request.query);
    },
  );

  app.post('/api/communities/:id/join', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireCaller(request);
    return joinCommunity(ctx, caller.person, request.params.id);
  });

  app.post('/api/communities/:id/leave', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireCaller(request);
    await leaveCommunity(ctx, caller.person, request.params.id);
    return { state: 'left' };
  });

  app.post(
    '/api/communities/:id/requests/:personId/approve',
    { schema: { params: memberParams, tags } },
    async (request) => {
      const caller = requireCaller(request);
      return { state: await approveJoinRequest(ctx, caller.person, request.params.id, request.params.personId) };
    },
  );

  app.post(
    '/api/communities/:id/requests/:personId/decline',
    { schema: { params: memberParams, tags } },
    async (request) => {
      const caller = requireCaller(request);
      return { state: await declineJoinRequest(ctx, caller.person, request.params.id, request.params.personId) };
    },
  );

  app.post('/api/communities/:id/leaders/:personId', { schema: { params: memberParams, tags } }, async (request) => {
    const caller = requireCaller(request);
    await setLeader(ctx, caller.person, request.params.id, request.params.personId, true);
    return { role: 'leader' };
  });

  app.delete('/api/communities/:id/leaders/:personId', { schema: { params: memberParams, tags } }, async (request) => {
    const caller = requireCaller(request);
    await setLeader(ctx, caller.person, request.params.id, request.params.personId, false);
    return { role: 'member' };
  });

  app.get('/api/admin/communities', { schema: { querystring: listQuery, tags } }, async (request) => {
    requireAdmin(request);
    const { q, cursor, limit } = request.query;
    return page(await listCommunitiesForAdmin(ctx, { q, after: decodeCursor(cursor), limit: limit ?? 50 }));
  });

  app.post('/api/admin/communities', { schema: { body: createCommunityInput, tags } }, async (request, reply) => {
    const caller = requireAdmin(request);
    return reply.code(201).send(adminShape(ctx, await createCommunity(ctx, caller.person, request.body)));
  });

  app.patch(
    '/api/admin/communities/:id',
    { schema: { params: idParams, body: updateCommunityInput, tags } },
    async (request) => {
      const caller = requireAdmin(request);
      return adminShape(ctx, await updateCommunity(ctx, caller.person, request.params.id, request.body));
    },
  );
};
