/**
 * API tokens get scopes (`read`, `data_jobs`, `full`, comma-separated), an optional expiry and the
 * admin who created them (null: the command line). Tokens made before keep the full rights they
 * were made with, so existing scripts go on working until an admin revokes them.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('api_token')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('full'))
    .execute();
  await db.schema.alterTable('api_token').addColumn('expires_at', 'bigint').execute();
  await db.schema
    .alterTable('api_token')
    .addColumn('created_by', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('api_token').dropColumn('created_by').execute();
  await db.schema.alterTable('api_token').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_token').dropColumn('scopes').execute();
}
