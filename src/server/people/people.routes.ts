/** Admin Members API: tabs, search, CSV, a person's page, pre-verify, status actions, member types. */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, csvResponse, errorResponses, idParams, okSchema, signedInErrors } from '../../shared/api.js';
import { limits } from '../../shared/limits.js';
import { auditPageSchema, auditQuerySchema } from '../../shared/audit.js';
import {
  adminInputSchema,
  approveInputSchema,
  bulkApproveAnswerSchema,
  bulkApproveInputSchema,
  inviteTokenParams,
  inviteUrlAnswerSchema,
  inviteWelcomeSchema,
  memberTypeInputSchema,
  memberTypeListSchema,
  memberTypeSchema,
  personAnswerSchema,
  personDetailSchema,
  personListQuery,
  personPageSchema,
  preverifyAnswerSchema,
  preverifyInputSchema,
} from '../../shared/people.js';
import { listAuditEvents } from '../audit/audit.repository.js';
import { requireAdmin } from '../http/caller.js';
import { escapeCsvCell } from '../http/csv.js';
import { createMemberType, listMemberTypes } from './member-type.service.js';
import { toPersonListItem } from './person.mapper.js';
import { getPersonDetail, iteratePeople, listPeoplePage, memberTypeNames } from './people.service.js';
import {
  approvePeople,
  approvePerson,
  deactivatePerson,
  reactivatePerson,
  rejectPerson,
  setPersonAdmin,
} from './person-status.service.js';
import { findInviteWelcome, preverifyPerson, regenerateInviteUrl } from './preverify.service.js';

const tags = ['people'];
const readErrors = errorResponses(...signedInErrors, 404);
const actionErrors = errorResponses(...signedInErrors, ...bodyErrors, 404, 409);

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

  app.get(
    '/api/admin/people',
    {
      schema: {
        tags,
        summary: 'A Members tab, by name, with every tab’s count (admins)',
        querystring: personListQuery,
        response: { 200: personPageSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { status, ...rest } = request.query;
      return listPeoplePage(ctx, { tab: status, ...rest });
    },
  );

  app.get(
    '/api/admin/people.csv',
    {
      schema: {
        tags,
        summary: 'A Members tab as CSV (admins)',
        querystring: personListQuery.pick({ status: true, q: true }),
        response: { 200: csvResponse('The tab’s people, one line each'), ...errorResponses(...signedInErrors) },
      },
    },
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

  app.get(
    '/api/admin/people/:id',
    {
      schema: {
        tags,
        summary: 'A person’s page: profile and memberships (admins)',
        params: idParams,
        response: { 200: personDetailSchema, ...readErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return getPersonDetail(ctx, request.params.id);
    },
  );

  app.post(
    '/api/admin/people',
    {
      schema: {
        tags,
        summary: 'Pre-verify one person; answers their personal invite URL (admins)',
        body: preverifyInputSchema,
        response: { 201: preverifyAnswerSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 409) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      const { person, inviteUrl } = await preverifyPerson(ctx, caller.person, request.body);
      return reply.code(201).send({ person: toPersonListItem(person, await memberTypeNames(ctx.db)), inviteUrl });
    },
  );

  const shaped = async (person: Parameters<typeof toPersonListItem>[0]) => ({
    person: toPersonListItem(person, await memberTypeNames(ctx.db)),
  });

  app.post(
    '/api/admin/people/approve',
    {
      schema: {
        tags,
        summary: `Approve many pending people at once, each with its own result (admins; at most ${limits.bulkApproveMax})`,
        body: bulkApproveInputSchema,
        response: { 200: bulkApproveAnswerSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request) => approvePeople(ctx, requireAdmin(request).person, request.body.ids),
  );

  app.post(
    '/api/admin/people/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a pending person (admins)',
        params: idParams,
        body: approveInputSchema,
        response: { 200: personAnswerSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await approvePerson(ctx, caller.person, request.params.id, { uniqueId: request.body?.uniqueId }));
    },
  );

  app.post(
    '/api/admin/people/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a pending person: their record is removed (admins)',
        params: idParams,
        response: { 200: okSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      await rejectPerson(ctx, caller.person, request.params.id);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/admin/people/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Deactivate a person (admins)',
        params: idParams,
        response: { 200: personAnswerSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await deactivatePerson(ctx, caller.person, request.params.id));
    },
  );

  app.post(
    '/api/admin/people/:id/reactivate',
    {
      schema: {
        tags,
        summary: 'Reactivate a person (admins)',
        params: idParams,
        response: { 200: personAnswerSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await reactivatePerson(ctx, caller.person, request.params.id));
    },
  );

  app.post(
    '/api/admin/people/:id/admin',
    {
      schema: {
        tags,
        summary: 'Make a person a site admin, or not (admins)',
        params: idParams,
        body: adminInputSchema,
        response: { 200: personAnswerSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return shaped(await setPersonAdmin(ctx, caller.person, request.params.id, request.body.isAdmin));
    },
  );

  app.post(
    '/api/admin/people/:id/invite-url',
    {
      schema: {
        tags,
        summary: 'A new personal invite URL for a pre-verified person; the old one stops working (admins)',
        params: idParams,
        response: { 200: inviteUrlAnswerSchema, ...actionErrors },
      },
    },
    async (request) => {
      const caller = requireAdmin(request);
      return { inviteUrl: await regenerateInviteUrl(ctx, caller.person, request.params.id) };
    },
  );

  app.get(
    '/api/invite/:token',
    {
      schema: {
        tags,
        summary: 'The personal welcome page of a pre-verified person (public; grants nothing)',
        params: inviteTokenParams,
        response: { 200: inviteWelcomeSchema, ...errorResponses(404) },
      },
    },
    async (request) => findInviteWelcome(ctx, request.params.token),
  );

  app.get(
    '/api/admin/member-types',
    {
      schema: {
        tags,
        summary: 'The site’s member types (admins)',
        response: { 200: memberTypeListSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { items: (await listMemberTypes(ctx.db)).map((t) => ({ id: t.id, name: t.name })) };
    },
  );

  app.post(
    '/api/admin/member-types',
    {
      schema: {
        tags,
        summary: 'Add a member type (admins)',
        body: memberTypeInputSchema,
        response: { 201: memberTypeSchema, ...errorResponses(...signedInErrors, ...bodyErrors, 409) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      const row = await createMemberType(ctx, caller.person, request.body.name);
      return reply.code(201).send({ id: row.id, name: row.name });
    },
  );

  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, 50 a page (admins)',
        querystring: auditQuerySchema,
        response: { 200: auditPageSchema, ...errorResponses(...signedInErrors) },
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
