/** The site's public face for the web app's header: GET /api/site (no sign-in needed). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../shared/error-body.js';
import { siteSettingsPatchSchema, siteSettingsSchema } from '../../shared/site-settings.js';
import { requireAdmin } from '../auth/caller.js';
import { getSiteSettings, updateSiteSettings } from './site-settings.service.js';

const siteAnswer = z.object({ name: z.string() });

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.get(
    '/api/site',
    {
      schema: { tags: ['site'], summary: 'The site’s name (public)', response: { 200: siteAnswer } },
    },
    async () => ({ name: ctx.config.siteName }),
  );

  const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
  app.get(
    '/api/admin/settings',
    {
      schema: {
        tags: ['site'],
        summary: 'Site settings (admins)',
        response: { 200: siteSettingsSchema, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return getSiteSettings(ctx.db);
    },
  );
  app.patch(
    '/api/admin/settings',
    {
      schema: {
        tags: ['site'],
        summary: 'Change site settings (admins); answers them all',
        body: siteSettingsPatchSchema,
        response: { 200: siteSettingsSchema, ...errors },
      },
    },
    async (request) => updateSiteSettings(ctx, requireAdmin(request), request.body),
  );
};
