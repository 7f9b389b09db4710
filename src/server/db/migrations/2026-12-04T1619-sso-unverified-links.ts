/**
 * Single sign-on: a link made when a provider created a person under an address nobody had
 * proved (a provider not trusted for email, or an address the provider did not mark verified).
 * The first email code or link for that address removes such links (see docs/security.md), and
 * the person's profile reads the removals back from the audit log by target: an index for that
 * (the admin audit log's filter by target uses it too).
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('sso_link')
    .addColumn('email_unverified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('audit_event_target_idx')
    .on('audit_event')
    .columns(['target_type', 'target_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('audit_event_target_idx').execute();
  await db.schema.alterTable('sso_link').dropColumn('email_unverified').execute();
}
