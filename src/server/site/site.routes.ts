/** The site's public face for the web app's header: GET /api/site (no sign-in needed). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, errorResponses, signedInErrors } from '../../shared/api.js';
import { siteSchema } from '../../shared/site.js';
import { siteSettingsPatchSchema, siteSettingsSchema } from '../../shared/site-settings.js';
import { requireAdmin } from '../http/caller.js';
import { listPublicProviders } from '../sso/providers.service.js';
import { getSiteSettings, updateSiteSettings } from './site-settings.service.js';

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.get(
    '/api/site',
    {
      schema: {
        tags: ['site'],
        summary: 'The site’s name and its sign-in providers (public)',
        response: { 200: siteSchema, ...errorResponses() },
      },
    },
    async () => ({ name: ctx.config.siteName, identityProviders: await listPublicProviders(ctx.db) }),
  );

  const errors = errorResponses(...signedInErrors);
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
        response: { 200: siteSettingsSchema, ...errors, ...errorResponses(...bodyErrors) },
      },
    },
    async (request) => updateSiteSettings(ctx, requireAdmin(request), request.body),
  );
};
