/**
 * The leaders' daily digest reads open join requests by the time they were made (`updated_at`):
 * a partial index over requested memberships keeps that a range read however many memberships
 * there are, and spares every other membership write an index entry.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('membership_requested_idx')
    .on('membership')
    .columns(['updated_at', 'community_id', 'person_id'])
    .where(sql<boolean>`state = 'requested'`)
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('membership_requested_idx').ifExists().execute();
}
