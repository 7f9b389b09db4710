/** The single sign-on feature: identity providers, OpenID Connect and SAML 2.0 sign-in, links. */
import type { FeatureModule } from '../module.js';
import { deleteSsoLoginsBefore } from './sso.repository.js';
import { purgeExpiredSamlAssertions } from './saml/index.js';
import { samlRoutes } from './saml.routes.js';
import { ssoRoutes } from './sso.routes.js';

export const ssoModule: FeatureModule = {
  name: 'sso',
  routes: async (app, options) => {
    await app.register(ssoRoutes, options);
    await app.register(samlRoutes, options);
  },
  authzRows: async () => [
    ...(await import('./sso.authz.js')).authzRows,
    ...(await import('./saml.authz.js')).samlAuthzRows,
  ],
  cleanup: async (ctx) => ({
    ssoLogins: await deleteSsoLoginsBefore(ctx.db, ctx.clock.now()),
    ...(await purgeExpiredSamlAssertions(ctx)),
  }),
};
