/** The email feature's own part: the admin Email log, the test email and unsubscribe pages. */
import type { FeatureModule } from '../module.js';
import { emailRoutes } from './email.routes.js';
import { testEmail } from './test-email.template.js';

export const emailModule: FeatureModule = {
  name: 'email',
  routes: emailRoutes,
  emailTemplates: { test_email: testEmail },
  authzRows: async () => (await import('./email.authz.js')).authzRows,
};
