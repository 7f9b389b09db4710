/**
 * Set-based funnel counting for SQLite's bulk writes (docs/decisions.md, "Bulk writes count the
 * funnel set-based on SQLite"). SQLite's funnel triggers (2026-12-03T1840) are row triggers: a
 * Data Tools batch, its undo and the expiry sweep paid one eight-row upsert per membership.
 *
 * `funnel_bulk` is one row: `counted_by_caller` names the membership operation ('insert',
 * 'update', 'delete') whose funnel steps the statement's caller counts itself, set and cleared
 * within the caller's transaction (memberships/funnel-bulk.repository.ts); NULL otherwise. Each
 * SQLite row trigger gains `WHEN … IS NOT '<its operation>'` (a trigger in the main schema cannot
 * read a TEMP table, hence a table). While inserts are counted by the caller, an update (a
 * re-invitation by the bulk upsert) is still counted by its row trigger, and
 * `funnel_bulk_reinvited` tallies such updates per community, so that the caller knows which of
 * the rows its upsert returned were inserted.
 *
 * PostgreSQL keeps its statement triggers; it gets the tables only so that both schemas agree.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const ops = ['insert', 'update', 'delete'] as const;
const flag = `(SELECT counted_by_caller FROM funnel_bulk WHERE id = 0)`;

async function triggerSql(db: AnyDb, name: string): Promise<string> {
  const r = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ${name}`.execute(
    db,
  );
  const text = r.rows[0]?.sql;
  if (!text) throw new Error(`trigger ${name} is missing`);
  return text;
}

/** The trigger's text with its WHEN clause and'ed with `extra` (or `extra` as its WHEN). */
function withCondition(text: string, extra: string): string {
  const head = /^(CREATE TRIGGER \w+ AFTER (?:INSERT|UPDATE|DELETE) ON membership)\s+(?:WHEN\s+([\s\S]*?)\s+)?BEGIN\b/;
  const m = head.exec(text);
  if (!m) throw new Error('unexpected funnel trigger text');
  const when = m[2] ? `(${extra}) AND (${m[2]})` : extra;
  return `${m[1]} WHEN ${when} BEGIN${text.slice(m[0].length)}`;
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('funnel_bulk')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('counted_by_caller', 'text')
    .execute();
  await db.insertInto('funnel_bulk').values({ id: 0, counted_by_caller: null }).execute();
  await db.schema
    .createTable('funnel_bulk_reinvited')
    .addColumn('community_id', 'bigint', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  if (pgOf(db)) return;
  for (const op of ops) {
    const name = `membership_funnel_${op}`;
    const text = await triggerSql(db, name);
    await sql.raw(`DROP TRIGGER ${name}`).execute(db);
    await sql.raw(withCondition(text, `${flag} IS NOT '${op}'`)).execute(db);
  }
  await sql
    .raw(
      `CREATE TRIGGER membership_funnel_bulk_reinvited AFTER UPDATE ON membership WHEN ${flag} IS 'insert' BEGIN
        INSERT INTO funnel_bulk_reinvited (community_id, n) VALUES (NEW.community_id, 1)
          ON CONFLICT (community_id) DO UPDATE SET n = funnel_bulk_reinvited.n + 1;
      END`,
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (!pgOf(db)) {
    await sql`DROP TRIGGER IF EXISTS membership_funnel_bulk_reinvited`.execute(db);
    for (const op of ops) {
      const name = `membership_funnel_${op}`;
      const text = await triggerSql(db, name);
      const cond = `(${flag} IS NOT '${op}')`;
      // the WHEN this migration added: alone (insert) or and'ed with the original one
      const restored = text.includes(`WHEN ${cond} AND (`)
        ? text.replace(`WHEN ${cond} AND (`, 'WHEN (')
        : text.replace(`WHEN ${flag} IS NOT '${op}' `, '');
      await sql.raw(`DROP TRIGGER ${name}`).execute(db);
      await sql.raw(restored).execute(db);
    }
  }
  await db.schema.dropTable('funnel_bulk_reinvited').execute();
  await db.schema.dropTable('funnel_bulk').execute();
}
