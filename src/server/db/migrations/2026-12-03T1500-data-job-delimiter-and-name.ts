/**
 * A data job keeps the delimiter its file was read with (detected among `,` `;` and tab, or
 * chosen by the admin) and an optional name the admin gives it in the review step.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('data_job')
    .addColumn('delimiter', 'text', (c) => c.notNull().defaultTo(','))
    .execute();
  await db.schema.alterTable('data_job').addColumn('name', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('data_job').dropColumn('name').execute();
  await db.schema.alterTable('data_job').dropColumn('delimiter').execute();
}
