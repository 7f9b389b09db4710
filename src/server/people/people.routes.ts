/** Admin Members API: tabs, search, CSV, a person's page, pre-verify, status actions, member types. */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { memberTypeInputSchema, personTabs, preverifyInputSchema } from '../../shared/people.js';
import { listAuditEvents } from '../audit/audit.repository.js';
import { requireAdmin } from '../http/caller.js';
import { escapeCsvCell } from './csv-escape.js';
import { createMemberType, listMemberTypes } from './member-type.service.js';
import { toPersonListItem } from './person.mapper.js';
import { getPersonDetail, iteratePeople, listPeoplePage, memberTypeNames } from './people.service.js';
import {
  approvePerson,
  deactivatePerson,
  reactivatePerson,
  rejectPerson,
  setPersonAdmin,
} from './person-status.service.js';
import { findInviteWelcome, preverifyPerson, regenerateInviteUrl } from './preverify.service.js';

const idParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31),
});
const listQuery = z.object({
  status: z.enum(personTabs).default('active'),
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const tags = ['people'];

const csvHeader = [
  'Profile ID',
  'Unique ID',
  'Pre-verification ID',
  'Email',
  'First Name',
  'Last Name',
  'Member Type',
  'Status',
  'Admin',
  'Created',
];

export const peopleRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get('/api/admin/people', { schema: { querystring: listQuery, tags } }, async (request) => {
    requireAdmin(request);
    const { status, ...rest } = request.query;
    return listPeoplePage(ctx, { tab: status, ...rest });
  });

  app.get(
    '/api/admin/people.csv',
    { schema: { querystring: listQuery.pick({ status: true, q: true }), tags } },
    async (request, reply) => {
      requireAdmin(request);
      const { status, q } = request.query;
      const types = await memberTypeNames(ctx.db);
      async function* lines(): AsyncGenerator<string> {
        yield `\uFEFF${stringify([csvHeader])}`;
        for await (const rows of iteratePeople(ctx, status, q)) {
          yield stringify(
            rows.map((r) => {
              const p = toPersonListItem(r, types);
              return [
                p.id,
                p.uniqueId,
                p.preverificationId,
                p.email,
                p.firstName,
                p.lastName,
                p.memberType,
                p.status,
                p.isAdmin ? 'yes' : 'no',
                new Date(p.createdAt).toISOString(),
              ].map(escapeCsvCell);
            }),
          );
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="members-${status}.csv"`)
        .send(Readable.from(lines()));
    },
  );

  app.get('/api/admin/people/:id', { schema: { params: idParams, tags } }, async (request) => {
    requireAdmin(request);
    return getPersonDetail(ctx, request.params.id);
  });

  app.post('/api/admin/people', { schema: { body: preverifyInputSchema, tags } }, async (request, reply) => {
    const caller = requireAdmin(request);
    const { person, inviteUrl } = await preverifyPerson(ctx, caller.person, request.body);
    return reply.code(201).send({ person: toPersonListItem(person, await memberTypeNames(ctx.db)), inviteUrl });
  });

  const shaped = async (person: Parameters<typeof toPersonListItem>[0]) => ({
    person: toPersonListItem(person, await memberTypeNames(ctx.db)),
  });

  app.post(
    '/api/admin/people/:id/approve',
    {
      schema: {
        params: idParams,
        body: z.object({ uniqueId: z.string().max(100).nullable().optional() }).optional(),
        tags,
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await approvePerson(ctx, caller.person, request.params.id, { uniqueId: request.body?.uniqueId }));
    },
  );

  app.post('/api/admin/people/:id/reject', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireAdmin(request);
    await rejectPerson(ctx, caller.person, request.params.id);
    return { ok: true };
  });

  app.post('/api/admin/people/:id/deactivate', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await deactivatePerson(ctx, caller.person, request.params.id));
  });

  app.post('/api/admin/people/:id/reactivate', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return shaped(await reactivatePerson(ctx, caller.person, request.params.id));
  });

  app.post(
    '/api/admin/people/:id/admin',
    { schema: { params: idParams, body: z.object({ isAdmin: z.boolean() }), tags } },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await setPersonAdmin(ctx, caller.person, request.params.id, request.body.isAdmin));
    },
  );

  app.post('/api/admin/people/:id/invite-url', { schema: { params: idParams, tags } }, async (request) => {
    const caller = requireAdmin(request);
    return { inviteUrl: await regenerateInviteUrl(ctx, caller.person, request.params.id) };
  });

  app.get(
    '/api/invite/:token',
    { schema: { params: z.object({ token: z.string().max(100) }), tags } },
    async (request) => {
      return findInviteWelcome(ctx, request.params.token);
    },
  );

  app.get('/api/admin/member-types', { schema: { tags } }, async (request) => {
    requireAdmin(request);
    return { items: (await listMemberTypes(ctx.db)).map((t) => ({ id: t.id, name: t.name })) };
  });

  app.post('/api/admin/member-types', { schema: { body: memberTypeInputSchema, tags } }, async (request, reply) => {
    const caller = requireAdmin(request);
    const row = await createMemberType(ctx, caller.person, request.body.name);
    return reply.code(201).send({ id: row.id, name: row.name });
  });

  app.get(
    '/api/admin/audit',
    {
      schema: {
        querystring: z.object({
          before: z
            .string()
            .regex(/^\d+:\d+$/)
            .optional(),
          targetType: z.string().max(30).optional(),
          targetId: z.string().max(30).optional(),
        }),
        tags: ['audit'],
      },
    },
    async (request) => {
      requireAdmin(request);
      const [at, id] = request.query.before?.split(':').map(Number) ?? [];
      const items = await listAuditEvents(ctx.db, {
        limit: 50,
        before: at !== undefined && id !== undefined ? { at, id } : undefined,
        targetType: request.query.targetType,
        targetId: request.query.targetId,
      });
      const last = items[items.length - 1];
      return { items, nextCursor: items.length === 50 && last ? `${last.createdAt}:${last.id}` : null };
    },
  );
};
