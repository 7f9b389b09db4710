/** The people feature: people and their statuses, pre-verification, member types, the admin Members tabs. */
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../module.js';
import { peopleRoutes } from './people.routes.js';
import { profileRoutes } from './profile.routes.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(peopleRoutes);
  await app.register(profileRoutes);
};

export const peopleModule: FeatureModule = {
  name: 'people',
  routes,
  authzRows: async () => [
    ...(await import('./people.authz.js')).authzRows,
    ...(await import('./profile.authz.js')).authzRows,
  ],
};
