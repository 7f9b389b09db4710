/** The people feature: people and their statuses, pre-verification, member types, the admin Members tabs. */
import type { FeatureModule } from '../module.js';
import { peopleRoutes } from './people.routes.js';

export const peopleModule: FeatureModule = {
  name: 'people',
  routes: peopleRoutes,
  authzRows: async () => (await import('./people.authz.js')).authzRows,
};
