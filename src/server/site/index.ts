/** The site feature: the site's public name, site settings, and the retention of logs. */
import type { FeatureModule } from '../module.js';
import { purgeExpiredLogs } from './log-retention.js';
import { siteRoutes } from './site.routes.js';

export const siteModule: FeatureModule = {
  name: 'site',
  routes: siteRoutes,
  authzRows: async () => (await import('./site.authz.js')).authzRows,
  cleanup: async (ctx) => ({ ...(await purgeExpiredLogs(ctx)) }),
};
