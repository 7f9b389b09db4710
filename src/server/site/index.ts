/** The site feature: the site's public name. */
import type { FeatureModule } from '../module.js';
import { siteRoutes } from './site.routes.js';

export const siteModule: FeatureModule = {
  name: 'site',
  routes: siteRoutes,
  authzRows: async () => (await import('./site.authz.js')).authzRows,
};
