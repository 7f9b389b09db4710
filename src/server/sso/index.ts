/** The single sign-on feature: identity providers, OpenID Connect and SAML 2.0 sign-in, links. */
import type { FeatureModule } from '../module.js';
import { deleteSsoLoginsBefore } from './sso.repository.js';
import { ssoRoutes } from './sso.routes.js';

export const ssoModule: FeatureModule = {
  name: 'sso',
  routes: ssoRoutes,
  authzRows: async () => (await import('./sso.authz.js')).authzRows,
  cleanup: async (ctx) => ({ ssoLogins: await deleteSsoLoginsBefore(ctx.db, ctx.clock.now()) }),
};
