/** Data Tools: CSV upload, mapping, dry run and the batched job kinds that apply it. */
import type { FeatureModule } from '../module.js';
import { dataJobRoutes } from './api/data-job.routes.js';
import { processDataJobHandler } from './engine/process.js';

export const dataToolsModule: FeatureModule = {
  name: 'data-tools',
  routes: dataJobRoutes,
  jobHandlers: { 'data_jobs.process': processDataJobHandler },
  authzRows: async () => (await import('./api/data-tools.authz.js')).authzRows,
};
