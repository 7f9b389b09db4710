/**
 * Notifications: a person's setting per kind (`notification_setting`; no row means the kind's
 * default), and the daily digests' progress (`notification_digest`: one row per kind and UTC day,
 * with the last recipient done, so a digest stopped half-way resumes where it stopped and a day's
 * digest is sent once).
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('notification_setting')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_setting_pk', ['person_id', 'kind'])
    .addCheckConstraint('notification_setting_mode_check', sql`mode in ('immediate','daily','off')`)
    .execute();
  // The digests and the immediate notice look up who chose a mode for a kind.
  await db.schema
    .createIndex('notification_setting_kind_mode_idx')
    .on('notification_setting')
    .columns(['kind', 'mode', 'person_id'])
    .execute();
  await db.schema
    .createTable('notification_digest')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('after_person_id', 'integer', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_digest_pk', ['kind', 'day'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('notification_digest').execute();
  await db.schema.dropTable('notification_setting').execute();
}
