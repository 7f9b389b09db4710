/**
 * What the email senders last learned about the SMTP server: one row, written when a sender finds
 * it unreachable and cleared when it answers again, so that the Email log (served by any process)
 * can say since when mail is waiting and why.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('email_transport_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('unreachable_since', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'bigint')
    .addColumn('next_probe_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('email_transport_state').ifExists().execute();
}
