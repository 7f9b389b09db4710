/** The site feature: the site's public name and the admin's site settings. */
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../module.js';
import { siteSettingsRoutes } from './site-settings.routes.js';
import { siteRoutes } from './site.routes.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(siteRoutes);
  await app.register(siteSettingsRoutes);
};

export const siteModule: FeatureModule = {
  name: 'site',
  routes,
  authzRows: async () => [
    ...(await import('./site.authz.js')).authzRows,
    ...(await import('./site-settings.authz.js')).authzRows,
  ],
};
