/** The site's public face for the web app's header: GET /api/site (no sign-in needed). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

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
};
