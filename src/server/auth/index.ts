/** The auth feature: email sign-in, sessions and API tokens. */
import type { FastifyPluginAsync } from 'fastify';
import type { FeatureModule } from '../module.js';
import { apiTokenRoutes } from './api-token.routes.js';
import { authRoutes } from './auth.routes.js';
import { purgeExpiredSignInData } from './cleanup.js';
import { signInCodeTemplate } from './sign-in.email.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(apiTokenRoutes);
};

export const authModule: FeatureModule = {
  name: 'auth',
  routes,
  emailTemplates: { sign_in_code: signInCodeTemplate },
  cleanup: async (ctx) => ({ ...(await purgeExpiredSignInData(ctx)) }),
  authzRows: async () => (await import('./auth.authz.js')).authzRows,
};
