/** The site's public face for the web app's header: GET /api/site (no sign-in needed). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../shared/api.js';
import { siteSchema } from '../../shared/site.js';

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.get(
    '/api/site',
    {
      schema: {
        tags: ['site'],
        summary: 'The site’s name (public)',
        response: { 200: siteSchema, ...errorResponses() },
      },
    },
    async () => ({ name: ctx.config.siteName }),
  );
};
