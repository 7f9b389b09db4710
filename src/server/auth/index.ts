/** The auth feature: email sign-in, sessions and API tokens. */
import type { FeatureModule } from '../module.js';
import { authRoutes } from './auth.routes.js';
import { purgeExpiredSignInData } from './cleanup.js';
import { signInCodeTemplate } from './sign-in.email.js';

export const authModule: FeatureModule = {
  name: 'auth',
  routes: authRoutes,
  emailTemplates: { sign_in_code: signInCodeTemplate },
  cleanup: async (ctx) => ({ ...(await purgeExpiredSignInData(ctx)) }),
  authzRows: async () => (await import('./auth.authz.js')).authzRows,
};
