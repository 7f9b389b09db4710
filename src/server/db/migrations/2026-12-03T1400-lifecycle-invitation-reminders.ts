/**
 * Invitation reminders: when an invitation's next reminder is due (`next_reminder_at`; null when
 * it gets none: it was not emailed, its batch turned reminders off, or its schedule is done), how
 * many reminders it has had and when the last one was queued (`reminded_at`, which also keeps a
 * person to one reminder email a day). The reminder sweep reads the due ones by time: a partial
 * index over the open invitations that still have a reminder keeps it a range read however many
 * invitations there are.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('membership').addColumn('next_reminder_at', 'bigint').execute();
  await db.schema
    .alterTable('membership')
    .addColumn('reminders_sent', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('membership').addColumn('reminded_at', 'bigint').execute();
  await db.schema
    .createIndex('membership_reminder_due_idx')
    .on('membership')
    .columns(['next_reminder_at', 'person_id', 'community_id'])
    .where(sql<boolean>`state = 'invited' and next_reminder_at is not null`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_reminder_due_idx').execute();
  await db.schema.alterTable('membership').dropColumn('reminded_at').execute();
  await db.schema.alterTable('membership').dropColumn('reminders_sent').execute();
  await db.schema.alterTable('membership').dropColumn('next_reminder_at').execute();
}
