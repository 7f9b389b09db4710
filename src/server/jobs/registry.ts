/**
 * Typed job names and payloads. The queue's own job is declared here; a feature declares its jobs
 * next to its module by declaration merging (see data-tools/index.ts) and registers their
 * handlers in the module's `jobHandlers`.
 */
export interface JobPayloads {
  'maintenance.cleanup': Record<string, never>;
}

export type JobName = keyof JobPayloads;
