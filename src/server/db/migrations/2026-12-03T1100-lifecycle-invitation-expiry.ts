/**
 * The invitation lifecycle: an invitation's expiry time (`expires_at`, null for never) and the
 * event that ended a membership's last invitation (`ended_by`: decline, expire, revoke, close),
 * so that the Invited directory shows "declined" and "expired" and an expired invitation can be
 * extended. The expiry sweep reads open invitations by expiry time: a partial index over the
 * open ones with an expiry keeps it a range read however many invitations there are, and spares
 * every other membership write an index entry.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('membership').addColumn('expires_at', 'bigint').execute();
  await db.schema.alterTable('membership').addColumn('ended_by', 'text').execute();
  await db.schema
    .createIndex('membership_open_expiry_idx')
    .on('membership')
    .columns(['expires_at', 'person_id', 'community_id'])
    .where(sql<boolean>`state in ('invited', 'dismissed') and expires_at is not null`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_open_expiry_idx').execute();
  await db.schema.alterTable('membership').dropColumn('ended_by').execute();
  await db.schema.alterTable('membership').dropColumn('expires_at').execute();
}
