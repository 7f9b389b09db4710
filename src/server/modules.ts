/**
 * The feature modules, in the order their routes are registered. The app (routes), the worker
 * (job handlers) and the email sender (templates, delivery hooks) take their registries from here.
 */
import { authModule } from './auth/index.js';
import { communitiesModule } from './communities/index.js';
import { dataToolsModule } from './data-tools/index.js';
import { emailModule } from './email/index.js';
import { feedsModule } from './feeds/index.js';
import { insightsModule } from './insights/index.js';
import { invitationsModule } from './invitations/index.js';
import { landingModule } from './landing/index.js';
import { notificationsModule } from './notifications/index.js';
import { collectRegistries, type FeatureModule } from './module.js';
import { peopleModule } from './people/index.js';
import { siteModule } from './site/index.js';
import { ssoModule } from './sso/index.js';
import { webhooksModule } from './webhooks/index.js';

export const featureModules: readonly FeatureModule[] = [
  emailModule,
  authModule,
  peopleModule,
  communitiesModule,
  siteModule,
  landingModule,
  invitationsModule,
  dataToolsModule,
  notificationsModule,
  ssoModule,
  feedsModule,
  insightsModule,
  webhooksModule,
];

export const registries = collectRegistries(featureModules);
