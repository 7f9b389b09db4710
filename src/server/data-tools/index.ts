/** Data Tools: CSV upload, mapping, dry run and the batched job kinds that apply it. */
import type { FeatureModule } from '../module.js';
import { dataJobRoutes } from './api/data-job.routes.js';
import { processDataJobHandler } from './engine/process.js';

declare module '../jobs/registry.js' {
  interface JobPayloads {
    /** runs a started data job to its end (resumable: progress lives in rows) */
    'data_jobs.process': { dataJobId: number };
  }
}

export const dataToolsModule: FeatureModule = {
  name: 'data-tools',
  routes: dataJobRoutes,
  jobHandlers: { 'data_jobs.process': processDataJobHandler },
  authzRows: async () => (await import('./api/data-tools.authz.js')).authzRows,
};
