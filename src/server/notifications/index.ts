/**
 * Notifications: join requests to leaders (at once or a daily digest), a request or an account
 * approved, the admins' daily digest of people waiting for approval; a person's setting per kind
 * and one-click unsubscribe per kind. Other features call notify.service.ts in their transactions.
 */
import type { FeatureModule } from '../module.js';
import { approvalQueueDigestJob, DAY_MS, joinRequestDigestJob } from './digest.service.js';
import { deleteDigestsBefore } from './digest.repository.js';
import { notificationTemplates } from './notification.email.js';
import { notificationRoutes } from './notification.routes.js';

const HOUR_MS = 60 * 60 * 1000;

export const notificationsModule: FeatureModule = {
  name: 'notifications',
  routes: notificationRoutes,
  emailTemplates: notificationTemplates,
  jobHandlers: {
    'notifications.join_request_digest': joinRequestDigestJob,
    'notifications.approval_digest': approvalQueueDigestJob,
  },
  periodicJobs: [
    { name: 'notifications.join_request_digest', everyMs: HOUR_MS },
    { name: 'notifications.approval_digest', everyMs: HOUR_MS },
  ],
  cleanup: async (ctx) => ({
    notificationDigests: await deleteDigestsBefore(ctx.db, Math.floor(ctx.clock.now() / DAY_MS) - 30),
  }),
  authzRows: async () => (await import('./notifications.authz.js')).authzRows,
};
