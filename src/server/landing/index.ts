/** Community landing pages: settings, QR codes, the public page and its sign-in → join flow. */
import type { FeatureModule } from '../module.js';
import { landingRoutes } from './landing.routes.js';

export const landingModule: FeatureModule = {
  name: 'landing',
  routes: landingRoutes,
  authzRows: async () => (await import('./landing.authz.js')).authzRows,
};
