/**
 * Feeds: a folder per feed that the institution's systems drop CSV files into; every file seen
 * (name, size, modification time: to know when it stopped growing) and every file taken, once
 * per name and content, with the Data Tools job it became.
 */
import { sql } from 'kysely';
import { type AnyDb, withId } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('feed'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('folder', 'text', (c) => c.notNull().unique())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('has_header', 'integer', (c) => c.notNull())
    .addColumn('skip_empty', 'integer', (c) => c.notNull())
    .addColumn('review_above_percent', 'integer')
    .addColumn('notify', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('upload_token_hash', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('feed_observation')
    .addColumn('feed_id', 'integer', (c) => c.notNull().references('feed.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mtime_ms', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addColumn('taken', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('feed_observation_pk', ['feed_id', 'name'])
    .execute();
  await withId(db, db.schema.createTable('feed_file'))
    .addColumn('feed_id', 'integer', (c) => c.notNull().references('feed.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('data_job_id', 'integer')
    .addColumn('taken_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addUniqueConstraint('feed_file_once', ['feed_id', 'name', 'content_hash'])
    .execute();
  await db.schema.createIndex('feed_file_feed_idx').on('feed_file').columns(['feed_id', 'id']).execute();
  await sql`CREATE INDEX feed_file_open_idx ON feed_file (status) WHERE status IN ('taking', 'waiting_review', 'running')`.execute(
    db,
  );
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('feed_file').ifExists().execute();
  await db.schema.dropTable('feed_observation').ifExists().execute();
  await db.schema.dropTable('feed').ifExists().execute();
}
