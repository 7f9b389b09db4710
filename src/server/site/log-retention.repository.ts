/** Deletes log rows older than a cutoff: delivered outbox rows and audit events. */
import type { DbOrTrx } from '../db/db.js';

/** Outbox rows that left the queue (sent, kept or failed) last changed before `cutoff`. */
export async function deleteDeliveredEmailsBefore(db: DbOrTrx, cutoff: number): Promise<number> {
  const r = await db
    .deleteFrom('email_outbox')
    .where('state', 'in', ['sent', 'kept', 'failed'])
    .where('updated_at', '<', cutoff)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteAuditEventsBefore(db: DbOrTrx, cutoff: number): Promise<number> {
  const r = await db.deleteFrom('audit_event').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(r.numDeletedRows);
}
