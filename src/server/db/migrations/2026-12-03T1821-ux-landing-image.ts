/**
 * A landing page's logo or cover image: the bytes live in the database beside the community, so
 * every process of a PostgreSQL deployment serves the same image and a backup of the database
 * holds it (SQLite: inside DATA_DIR's database file). One image per community.
 */
import { type AnyDb, pgOf } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('landing_image')
    .addColumn('community_id', 'integer', (c) => c.primaryKey().references('community.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', pgOf(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('alt', 'text')
    .addColumn('uploaded_by', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('landing_image').ifExists().execute();
}
