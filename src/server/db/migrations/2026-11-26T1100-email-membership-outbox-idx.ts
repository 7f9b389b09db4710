/** The sender updates an invitation's email status by its outbox row: index that lookup. */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('membership_email_outbox_idx').on('membership').column('email_outbox_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_email_outbox_idx').ifExists().execute();
}
