/**
 * Typed job names and payloads. A feature adds its job here (name → payload type) and lists its
 * handler in its module's `jobHandlers` (src/server/module.ts).
 */
export interface JobPayloads {
  'data_jobs.process': { dataJobId: number };
  'maintenance.cleanup': Record<string, never>;
  /** the invitation lifecycle's sweep: expires the open invitations whose time has come */
  'invitations.expire': Record<string, never>;
  /** the leaders' daily digest of join requests (queued hourly; sends once a day) */
  'notifications.join_request_digest': Record<string, never>;
  /** the admins' daily digest of people waiting for approval (queued hourly; sends once a day) */
  'notifications.approval_digest': Record<string, never>;
  /** the invitation reminders' sweep: queues the reminder emails that are due */
  'invitations.remind': Record<string, never>;
  /** looks into every feed's folder: takes the files that stopped changing, settles finished runs */
  'feeds.scan': Record<string, never>;
  /** reads a taken feed file into a Data Tools job, maps it, and starts it (or holds it for review) */
  'feeds.take': { feedFileId: number };
}

export type JobName = keyof JobPayloads;
