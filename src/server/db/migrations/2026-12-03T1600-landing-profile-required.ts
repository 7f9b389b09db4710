/**
 * A landing page asks a new person's name and member type; they may skip them unless the page's
 * settings make them required (off by default: on a landing page only the email is verified).
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('community')
    .addColumn('landing_profile_required', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('community').dropColumn('landing_profile_required').execute();
}
