/**
 * The retention period (site setting `logRetentionDays`): emails that left the outbox (sent, kept
 * or failed) and audit events older than that are deleted by the hourly `maintenance.cleanup` job.
 * Queued and sending rows stay whatever their age: they are work, not log.
 */
import type { AppContext } from '../context.js';
import { deleteAuditEventsBefore, deleteDeliveredEmailsBefore } from './log-retention.repository.js';
import { getSiteSettings } from './site-settings.service.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LogPurge {
  readonly emails: number;
  readonly auditEvents: number;
}

export async function purgeExpiredLogs(ctx: AppContext): Promise<LogPurge> {
  const { logRetentionDays } = await getSiteSettings(ctx.db);
  const cutoff = ctx.clock.now() - logRetentionDays * DAY_MS;
  return {
    emails: await deleteDeliveredEmailsBefore(ctx.db, cutoff),
    auditEvents: await deleteAuditEventsBefore(ctx.db, cutoff),
  };
}
