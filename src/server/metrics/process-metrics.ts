/**
 * What this process measures as it works, for /metrics: HTTP latency by route, email outcomes by
 * class, and Node's own figures (event loop lag, memory, CPU). One registry per process: the
 * numbers describe the process, however many apps a test builds in it.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry, prefix: 'convene_', eventLoopMonitoringPrecision: 20 });

export const httpRequestSeconds = new Histogram({
  name: 'convene_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern (not the URL: no ids, no personal data)',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

/** sent, kept, bounced, deferred (4xx), unreachable (the server), expired, suppressed, failed */
export const emailOutcomes = new Counter({
  name: 'convene_email_outcomes_total',
  help: 'Email delivery outcomes of this process, by class (rate(): the send rate)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

/** completed, retry (failed, tried again later), failed (for good), interrupted (database away), handed_back, lease_lost */
export const jobsFinished = new Counter({
  name: 'convene_jobs_finished_total',
  help: 'Job runs that ended in this process, by job name and how they ended',
  labelNames: ['name', 'outcome'] as const,
  registers: [processRegistry],
});

export const jobRunSeconds = new Histogram({
  name: 'convene_job_run_seconds',
  help: 'Time a job run took in this process, by job name (a resumed data job counts each run)',
  labelNames: ['name'] as const,
  buckets: [0.01, 0.05, 0.25, 1, 5, 15, 60, 300, 1800],
  registers: [processRegistry],
});
