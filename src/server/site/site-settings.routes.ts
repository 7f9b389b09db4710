/** The admin's site settings: GET and PATCH /api/admin/settings (site admins). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, errorResponses, signedInErrors } from '../../shared/api.js';
import { siteSettingsPatchSchema, siteSettingsSchema } from '../../shared/site-settings.js';
import { requireAdmin } from '../http/caller.js';
import { readSiteSettings, updateSiteSettings } from './site-settings.service.js';

const tags = ['site'];

export const siteSettingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.get(
    '/api/admin/settings',
    {
      schema: {
        tags,
        summary: 'The site settings: invitation expiry and the reminder schedule (admins)',
        response: { 200: siteSettingsSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return readSiteSettings(ctx.db);
    },
  );

  app.patch(
    '/api/admin/settings',
    {
      schema: {
        tags,
        summary: 'Change some site settings (admins); answers them all',
        body: siteSettingsPatchSchema,
        response: { 200: siteSettingsSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request) => updateSiteSettings(ctx, requireAdmin(request), request.body),
  );
};
