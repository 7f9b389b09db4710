/**
 * What a feature adds to the app, the worker and the email sender. Each feature exports one
 * module from its index.ts; modules.ts lists them, and the app, the worker and the sender take
 * their registries from that list. Infrastructure (jobs/, email/, http/, db/) knows only these
 * types, never a feature.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DeliveryHook } from './email/delivery-hooks.js';
import type { AnyEmailTemplate, EmailTemplateMap } from './email/templates.js';
import type { JobHandlerMap } from './jobs/job-handler.js';
import { type CleanupTask, cleanupHandler } from './jobs/maintenance.js';
import type { PeriodicJob } from './jobs/periodic.js';
import type { BackgroundLoop } from './jobs/worker.js';
import type { AuthzRow } from './testing/authz.js';

export interface FeatureModule {
  /** the feature's folder name */
  readonly name: string;
  /** its HTTP routes, registered by build() */
  readonly routes?: FastifyPluginAsync;
  /** job name → handler, for the job names the feature declares in jobs/registry.ts */
  readonly jobHandlers?: JobHandlerMap;
  /** template name (as stored in the outbox row) → template */
  readonly emailTemplates?: EmailTemplateMap;
  /** what happens to the feature's rows when one of its emails is sent, bounces or fails */
  readonly deliveryHooks?: readonly DeliveryHook[];
  /** jobs every worker queues at an interval (their handlers are in jobHandlers) */
  readonly periodicJobs?: readonly PeriodicJob[];
  /** rows the hourly `maintenance.cleanup` job deletes; returns counts by kind */
  readonly cleanup?: CleanupTask;
  /** loops every worker runs beside the job runner and the email sender (the webhook sender) */
  readonly backgroundLoops?: readonly BackgroundLoop[];
  /**
   * The feature's rows of the authorization matrix. Loaded on demand by the matrix test only, so
   * that test factories stay out of the running app.
   */
  readonly authzRows?: () => Promise<readonly AuthzRow[]>;
}

/** Everything the modules register, gathered once. */
export interface Registries {
  readonly routes: readonly FastifyPluginAsync[];
  readonly jobHandlers: JobHandlerMap;
  readonly emailTemplates: EmailTemplateMap;
  readonly deliveryHooks: readonly DeliveryHook[];
  readonly cleanupTasks: readonly CleanupTask[];
  readonly periodicJobs: readonly PeriodicJob[];
  readonly backgroundLoops: readonly BackgroundLoop[];
}

/** Gathers the modules' registrations; a job or template name registered twice is a mistake and throws. */
export function collectRegistries(modules: readonly FeatureModule[]): Registries {
  const cleanupTasks = modules.flatMap((m) => (m.cleanup ? [m.cleanup] : []));
  const jobHandlers: Record<string, unknown> = { 'maintenance.cleanup': cleanupHandler(cleanupTasks) };
  const emailTemplates: Record<string, AnyEmailTemplate | undefined> = {};
  for (const m of modules) {
    for (const [name, handler] of Object.entries(m.jobHandlers ?? {})) {
      if (Object.hasOwn(jobHandlers, name)) throw new Error(`job "${name}" is registered twice (${m.name})`);
      jobHandlers[name] = handler;
    }
    for (const [name, template] of Object.entries(m.emailTemplates ?? {})) {
      if (Object.hasOwn(emailTemplates, name))
        throw new Error(`email template "${name}" is registered twice (${m.name})`);
      emailTemplates[name] = template;
    }
  }
  return Object.freeze({
    routes: modules.flatMap((m) => (m.routes ? [m.routes] : [])),
    jobHandlers: Object.freeze(jobHandlers) as JobHandlerMap,
    emailTemplates: Object.freeze(emailTemplates),
    deliveryHooks: modules.flatMap((m) => m.deliveryHooks ?? []),
    cleanupTasks,
    periodicJobs: modules.flatMap((m) => m.periodicJobs ?? []),
    backgroundLoops: modules.flatMap((m) => m.backgroundLoops ?? []),
  });
}

/** The authorization-matrix rows of every module. */
export async function loadAuthzRows(modules: readonly FeatureModule[]): Promise<AuthzRow[]> {
  const rows = await Promise.all(modules.map((m) => (m.authzRows ? m.authzRows() : [])));
  return rows.flat();
}
