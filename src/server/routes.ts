/** Every feature's routes, registered by build(). One line per feature. */
import type { FastifyPluginAsync } from 'fastify';
import { emailRoutes } from './email/email.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { peopleRoutes } from './people/people.routes.js';
import { communitiesRoutes } from './communities/communities.routes.js';
import { siteRoutes } from './site/site.routes.js';
import { siteSettingsRoutes } from './site/site-settings.routes.js';
import { profileRoutes } from './people/profile.routes.js';
import { invitationAnswerRoutes } from './invitations/invitation-answer.routes.js';
import { landingRoutes } from './landing/landing.routes.js';
import { invitationRoutes } from './invitations/invitation.routes.js';
import { dataJobRoutes } from './data-tools/index.js';

export const featureRoutes: FastifyPluginAsync[] = [
  emailRoutes,
  authRoutes,
  peopleRoutes,
  communitiesRoutes,
  siteRoutes,
  landingRoutes,
  invitationRoutes,
  dataJobRoutes,
  siteSettingsRoutes,
  profileRoutes,
  invitationAnswerRoutes,
];
