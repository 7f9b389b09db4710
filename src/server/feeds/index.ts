/**
 * Feeds: drop folders whose CSV files become Data Tools jobs (the same upload, mapping, dry run,
 * run, log and undo), taken once per name and content; a script's upload with a feed's token;
 * the admins' email per run.
 */
import type { FeatureModule } from '../module.js';
import { feedRunEmail } from './feed.email.js';
import { scanFeedsJob, takeFeedFileJob } from './feed-run.service.js';
import { feedRoutes } from './feed.routes.js';

export const feedsModule: FeatureModule = {
  name: 'feeds',
  routes: feedRoutes,
  emailTemplates: { feed_run: feedRunEmail },
  jobHandlers: { 'feeds.scan': scanFeedsJob, 'feeds.take': takeFeedFileJob },
  periodicJobs: [{ name: 'feeds.scan', everyMs: (config) => config.feedScanIntervalMs }],
  authzRows: async () => (await import('./feeds.authz.js')).authzRows,
};
