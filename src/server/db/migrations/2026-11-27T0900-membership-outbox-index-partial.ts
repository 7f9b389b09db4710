/**
 * The sender finds an invitation by its outbox row (`email_outbox_id = ?`), which only invitations
 * that queued an email have. Indexing every membership's NULL would make each membership write
 * (a data job writes many and never emails) update one more tree for nothing; the partial index
 * holds only the rows that have an outbox id, and the sender's lookup still uses it
 * (`x = ?` implies `x IS NOT NULL` on both databases).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_email_outbox_idx').ifExists().execute();
  await db.schema
    .createIndex('membership_email_outbox_idx')
    .on('membership')
    .column('email_outbox_id')
    .where(sql.ref('email_outbox_id'), 'is not', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_email_outbox_idx').ifExists().execute();
  await db.schema.createIndex('membership_email_outbox_idx').on('membership').column('email_outbox_id').execute();
}
