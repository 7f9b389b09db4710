/**
 * `funnel_counter`'s primary key becomes (scope_kind, week, step, scope_id, slot), and holds `n`:
 * the admin dashboard ranks a kind's scopes (communities, inviters) by one step's all-time count,
 * which is then one range of the key (kind, week 0, 'invited'), one row per scope and slot,
 * instead of every step of every scope (docs/decisions.md, "The funnel's views read ranges").
 * A scope's own reads keep `funnel_counter_scope_idx` (kind, scope, week, step, n).
 *
 * SQLite: the table is rebuilt `WITHOUT ROWID`, so that the key is the table and a read of it
 * needs no look-up of `n` in a second tree. The funnel triggers on membership write to the table
 * by name; SQLite refuses to rename a table while a trigger names a missing one, so they are
 * dropped and created again from their own text, all in one transaction. PostgreSQL: the key's
 * index is rebuilt in the new order with `n` included, for index-only scans.
 *
 * The triggers' upserts name the conflict target as a set of columns, which the new key still is.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

type KeyOrder = 'step_first' | 'scope_first';

const keyOf: Record<KeyOrder, readonly string[]> = {
  step_first: ['scope_kind', 'week', 'step', 'scope_id', 'slot'],
  scope_first: ['scope_kind', 'week', 'scope_id', 'step', 'slot'],
};

export async function up(db: AnyDb): Promise<void> {
  await rekey(db, 'step_first');
}

export async function down(db: AnyDb): Promise<void> {
  await rekey(db, 'scope_first');
}

async function rekey(db: AnyDb, order: KeyOrder): Promise<void> {
  const key = keyOf[order].join(', ');
  if (pgOf(db)) {
    await sql`ALTER TABLE funnel_counter DROP CONSTRAINT funnel_counter_pk`.execute(db);
    const include = order === 'step_first' ? ' INCLUDE (n)' : '';
    await sql
      .raw(`ALTER TABLE funnel_counter ADD CONSTRAINT funnel_counter_pk PRIMARY KEY (${key})${include}`)
      .execute(db);
    return;
  }
  const work = async (trx: AnyDb) => {
    const triggers = (
      await sql<{ name: string; sql: string }>`SELECT name, sql FROM sqlite_master
        WHERE type = 'trigger' AND sql LIKE '%funnel_counter%' ORDER BY name`.execute(trx)
    ).rows;
    for (const t of triggers) await sql.raw(`DROP TRIGGER ${t.name}`).execute(trx);
    const rowid = order === 'step_first' ? ' WITHOUT ROWID' : '';
    await sql
      .raw(
        `CREATE TABLE funnel_counter_new (scope_kind text NOT NULL, week bigint NOT NULL, scope_id bigint NOT NULL,
          step text NOT NULL, slot integer NOT NULL, n bigint NOT NULL,
          CONSTRAINT funnel_counter_pk PRIMARY KEY (${key}))${rowid}`,
      )
      .execute(trx);
    // In the new key's order, so that its tree is written in order.
    await sql
      .raw(
        `INSERT INTO funnel_counter_new (scope_kind, week, scope_id, step, slot, n)
        SELECT scope_kind, week, scope_id, step, slot, n FROM funnel_counter ORDER BY ${key}`,
      )
      .execute(trx);
    await sql`DROP TABLE funnel_counter`.execute(trx);
    await sql`ALTER TABLE funnel_counter_new RENAME TO funnel_counter`.execute(trx);
    await trx.schema
      .createIndex('funnel_counter_scope_idx')
      .on('funnel_counter')
      .columns(['scope_kind', 'scope_id', 'week', 'step', 'n'])
      .execute();
    for (const t of triggers) await sql.raw(t.sql).execute(trx);
    const stats = await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`.execute(trx);
    if (stats.rows.length) await sql`ANALYZE funnel_counter`.execute(trx);
  };
  await (db.isTransaction ? work(db) : db.transaction().execute(work));
}
