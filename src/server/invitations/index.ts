/** The invitations feature: direct invites, the invitation email and its delivery, Recommended Communities. */
import type { FeatureModule } from '../module.js';
import { deleteIdempotencyKeysBefore } from './idempotency.repository.js';
import { updateInvitationEmailStatus } from './invitation-email-status.js';
import { communityInvitationTemplate } from './invitation-email.js';
import type { FastifyPluginAsync } from 'fastify';
import { invitationAnswerRoutes } from './invitation-answer.routes.js';
import { invitationExpiryRoutes } from './invitation-expiry.routes.js';
import { expireInvitationsJob } from './invitation-expiry.service.js';
import { invitationReminderTemplate } from './invitation-reminder-email.js';
import { remindInvitationsJob } from './invitation-reminder.service.js';
import { invitationRoutes } from './invitation.routes.js';

const routes: FastifyPluginAsync = async (app) => {
  await app.register(invitationRoutes);
  await app.register(invitationAnswerRoutes);
  await app.register(invitationExpiryRoutes);
};

const DAY_MS = 24 * 60 * 60 * 1000;

export const invitationsModule: FeatureModule = {
  name: 'invitations',
  routes,
  jobHandlers: { 'invitations.expire': expireInvitationsJob, 'invitations.remind': remindInvitationsJob },
  // An invitation whose time has come stays open until the next sweep, at most five minutes later;
  // a reminder waits as long at most.
  periodicJobs: [
    { name: 'invitations.expire', everyMs: 5 * 60 * 1000 },
    { name: 'invitations.remind', everyMs: 5 * 60 * 1000 },
  ],
  emailTemplates: {
    community_invitation: communityInvitationTemplate,
    invitation_reminder: invitationReminderTemplate,
  },
  deliveryHooks: [updateInvitationEmailStatus],
  // A retried invite request finds its first answer for a day.
  cleanup: async (ctx) => ({ idempotencyKeys: await deleteIdempotencyKeysBefore(ctx.db, ctx.clock.now() - DAY_MS) }),
  authzRows: async () => (await import('./invitations.authz.js')).authzRows,
};
