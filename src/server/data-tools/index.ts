/** What other folders use of Data Tools: its routes and its job handler. */
export { dataJobRoutes } from './api/data-job.routes.js';
export { processDataJobHandler } from './engine/process.js';
