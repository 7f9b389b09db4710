/**
 * Who caused an email to be sent (`sender_id`, a person), for per-person email quotas: the
 * invite counts the inviter's invitation emails of the last 24 hours with one indexed count.
 * Partial: sign-in and other system emails have no sender and need no index entry.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('email_outbox').addColumn('sender_id', 'integer').execute();
  await db.schema
    .createIndex('email_outbox_sender_idx')
    .on('email_outbox')
    .columns(['sender_id', 'created_at'])
    .where(sql.ref('sender_id'), 'is not', null)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('email_outbox_sender_idx').ifExists().execute();
  await db.schema.alterTable('email_outbox').dropColumn('sender_id').execute();
}
