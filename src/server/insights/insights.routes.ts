/** The invitation funnel's routes: a community's Insights, a job's funnel, the admin dashboard (JSON and CSV), the join link's "opened". */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bodyErrors, csvResponse, errorResponses, idParams, signedInErrors } from '../../shared/api.js';
import {
  dataJobFunnelAnswerSchema,
  funnelDashboardAnswerSchema,
  insightsAnswerSchema,
  invitationOpenedBodySchema,
} from '../../shared/insights.js';
import { requireAdmin, requireCaller } from '../http/caller.js';
import { funnelCsv } from './insights-csv.js';
import { communityInsights, dataJobFunnel, funnelDashboard, openInvitationLink } from './insights.service.js';

const tags = ['insights'];
const readErrors = errorResponses(...signedInErrors, 404);
const csvHeaders = (name: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${name}.csv"`,
  'cache-control': 'private, no-store',
});

export const insightsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/api/communities/:id/insights',
    {
      schema: {
        tags,
        summary: 'The community’s invitation funnel: counts of invitations that reached each step, and per week',
        params: idParams,
        response: { 200: insightsAnswerSchema, ...readErrors },
      },
    },
    async (request) => communityInsights(ctx, requireCaller(request), request.params.id),
  );

  app.get(
    '/api/communities/:id/insights.csv',
    {
      schema: {
        tags,
        summary: 'The community’s invitation funnel as CSV: the totals, then one line per week',
        params: idParams,
        response: { 200: csvResponse('Section, Name, Week, one column per step'), ...readErrors },
      },
    },
    async (request, reply) => {
      const a = await communityInsights(ctx, requireCaller(request), request.params.id);
      return reply.headers(csvHeaders(`community-${a.community.id}-insights`)).send(funnelCsv(a.funnel, a.weeks));
    },
  );

  app.get(
    '/api/admin/data-jobs/:id/funnel',
    {
      schema: {
        tags,
        summary: 'A Data Tools job’s invitation funnel: counts of its invitations that reached each step, and per week',
        params: idParams,
        response: { 200: dataJobFunnelAnswerSchema, ...readErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return dataJobFunnel(ctx, request.params.id);
    },
  );

  app.get(
    '/api/admin/data-jobs/:id/funnel.csv',
    {
      schema: {
        tags,
        summary: 'A Data Tools job’s invitation funnel as CSV',
        params: idParams,
        response: { 200: csvResponse('Section, Name, Week, one column per step'), ...readErrors },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const a = await dataJobFunnel(ctx, request.params.id);
      return reply.headers(csvHeaders(`data-job-${a.jobId}-funnel`)).send(funnelCsv(a.funnel, a.weeks));
    },
  );

  app.get(
    '/api/admin/insights',
    {
      schema: {
        tags,
        summary:
          'The site’s invitation funnel: totals, per week, and the communities and inviters with the most invitations',
        response: { 200: funnelDashboardAnswerSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return funnelDashboard(ctx);
    },
  );

  app.get(
    '/api/admin/insights.csv',
    {
      schema: {
        tags,
        summary: 'The site’s invitation funnel as CSV: totals, weeks, communities, inviters',
        response: {
          200: csvResponse('Section, Name, Week, one column per step'),
          ...errorResponses(...signedInErrors),
        },
      },
    },
    async (request, reply) => {
      requireAdmin(request);
      const a = await funnelDashboard(ctx);
      const rows = [
        ...a.communities.map((c) => ({ section: 'Community', name: c.name, funnel: c })),
        ...a.inviters.map((p) => ({ section: 'Inviter', name: p.name, funnel: p })),
      ];
      return reply.headers(csvHeaders('site-insights')).send(funnelCsv(a.funnel, a.weeks, rows));
    },
  );

  app.post(
    '/api/invitation-links/opened',
    {
      schema: {
        tags,
        summary: 'The join link of an invitation email was opened (its first opening is the funnel’s "opened")',
        body: invitationOpenedBodySchema,
        response: { 200: z.object({ recorded: z.boolean() }), ...errorResponses(...bodyErrors) },
      },
    },
    async (request) => openInvitationLink(ctx, request.body.token),
  );
};
