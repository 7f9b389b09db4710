/** The communities feature: communities, join/request/leave, leaders, the member directory. */
import type { FeatureModule } from '../module.js';
import { communitiesRoutes } from './communities.routes.js';

export const communitiesModule: FeatureModule = {
  name: 'communities',
  routes: communitiesRoutes,
  authzRows: async () => (await import('./communities.authz.js')).authzRows,
};
