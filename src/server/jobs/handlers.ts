/**
 * Job name → handler. A feature adds its job name and payload type in jobs/registry.ts and one
 * line here, e.g. `'data_jobs.process': processDataJobHandler,`. A queued job whose name has no
 * handler in this process fails its attempts with a visible error.
 */
import { processDataJobHandler } from '../data-tools/index.js';
import type { JobHandlerMap } from './job-handler.js';
import { cleanupHandler } from './maintenance.js';

export const jobHandlers: JobHandlerMap = {
  'data_jobs.process': processDataJobHandler,
  'maintenance.cleanup': cleanupHandler,
};
