/** Insights: the invitation funnel per community, per Data Tools job and for the site (admin dashboard). */
import type { FeatureModule } from '../module.js';
import { insightsRoutes } from './insights.routes.js';

export const insightsModule: FeatureModule = {
  name: 'insights',
  routes: insightsRoutes,
  authzRows: async () => (await import('./insights.authz.js')).authzRows,
};
