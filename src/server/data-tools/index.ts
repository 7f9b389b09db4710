/** Data Tools: CSV upload, mapping, dry run and the batched job kinds that apply it. */
import type { FeatureModule } from '../module.js';
import { dataJobRoutes } from './data-job.routes.js';
import { processDataJobHandler } from './process.js';

export const dataToolsModule: FeatureModule = {
  name: 'data-tools',
  routes: dataJobRoutes,
  jobHandlers: { 'data_jobs.process': processDataJobHandler },
  authzRows: async () => (await import('./data-tools.authz.js')).authzRows,
};
