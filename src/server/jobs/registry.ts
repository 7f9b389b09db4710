/**
 * Typed job names and payloads. A feature adds its job here (name → payload type) and registers
 * its handler in jobs/handlers.ts.
 */
export interface JobPayloads {
  'data_jobs.process': { dataJobId: number };
  'maintenance.cleanup': Record<string, never>;
  /** the invitation lifecycle's sweep: expires the open invitations whose time has come */
  'invitations.expire': Record<string, never>;
}

export type JobName = keyof JobPayloads;
