/** Landing page numbers: one counter per community, day and metric (visits, codes sent, …). */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('landing_stat')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('community.id').onDelete('cascade'))
    // UTC day as YYYY-MM-DD: readable in both dialects and sorts as text
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('landing_stat_pk', ['community_id', 'day', 'metric'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('landing_stat').ifExists().execute();
}
