/**
 * Membership's primary key is (person_id, community_id), with no separate person index.
 * Every community-side read is served by membership_community_state_idx (community_id, state,
 * person_id), so the key's column order is free; person first, the key serves the person-side
 * reads (`person_id = ?`, a handful of rows each), and every membership write — many for a bulk
 * invite — updates one tree fewer (docs/decisions.md).
 *
 * SQLite cannot change a primary key: the table is rebuilt, in one transaction (the migrator runs
 * SQLite migrations outside one). Foreign keys stay on: no table references membership, so the
 * drop deletes nothing elsewhere, and the copied rows are checked against person and community.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

type KeyOrder = 'person_first' | 'community_first';

export async function up(db: AnyDb): Promise<void> {
  if (pgOf(db)) {
    await db.schema.dropIndex('membership_person_state_idx').execute();
    await db.schema.alterTable('membership').dropConstraint('membership_pk').execute();
    await db.schema
      .alterTable('membership')
      .addPrimaryKeyConstraint('membership_pk', ['person_id', 'community_id'])
      .execute();
    return;
  }
  await rebuildInSqlite(db, 'person_first');
}

export async function down(db: AnyDb): Promise<void> {
  if (pgOf(db)) {
    await db.schema.alterTable('membership').dropConstraint('membership_pk').execute();
    await db.schema
      .alterTable('membership')
      .addPrimaryKeyConstraint('membership_pk', ['community_id', 'person_id'])
      .execute();
    await createPersonStateIndex(db);
    return;
  }
  await rebuildInSqlite(db, 'community_first');
}

/** Membership's columns as the initial migration made them; the rebuild copies exactly these. */
const columns = [
  'community_id',
  'person_id',
  'state',
  'role',
  'source',
  'invited_by',
  'invited_at',
  'data_job_id',
  'message',
  'email_status',
  'email_outbox_id',
  'emailed_at',
  'joined_at',
  'created_at',
  'updated_at',
] as const;
type Column = (typeof columns)[number];

async function rebuildInSqlite(db: AnyDb, order: KeyOrder): Promise<void> {
  const work = async (trx: AnyDb) => {
    // The migrator records a SQLite migration after it returns, outside this transaction: a
    // process that stopped in between finds the rebuild done on its next start.
    if ((await keyOrderInSqlite(trx)) === order) return;
    await assertMembershipIsKnown(trx, order);
    const hadStatistics = await hasStatistics(trx);
    await createMembershipTable(
      trx,
      'membership_new',
      order === 'person_first' ? ['person_id', 'community_id'] : ['community_id', 'person_id'],
    );
    // In the new key's order: the key's index is then written in order, not page by page at random.
    const list = sql.join(columns.map((c) => sql.ref(c)));
    const keyOrder = order === 'person_first' ? sql`person_id, community_id` : sql`community_id, person_id`;
    await sql`INSERT INTO membership_new (${list}) SELECT ${list} FROM membership ORDER BY ${keyOrder}`.execute(trx);
    await trx.schema.dropTable('membership').execute();
    await trx.schema.alterTable('membership_new').renameTo('membership').execute();
    await trx.schema
      .createIndex('membership_community_state_idx')
      .on('membership')
      .columns(['community_id', 'state', 'person_id'])
      .execute();
    if (order === 'community_first') await createPersonStateIndex(trx);
    await trx.schema
      .createIndex('membership_data_job_idx')
      .on('membership')
      .columns(['data_job_id', 'state'])
      .execute();
    // As 2026-11-27T0900 left it: only the invitations that queued an email.
    await trx.schema
      .createIndex('membership_email_outbox_idx')
      .on('membership')
      .column('email_outbox_id')
      .where(sql.ref('email_outbox_id'), 'is not', null)
      .execute();
    // Dropping the table dropped its planner statistics: a database that had them gets them back.
    if (hadStatistics) await sql`ANALYZE membership`.execute(trx);
  };
  await (db.isTransaction ? work(db) : db.transaction().execute(work));
}

/** The table as the initial migration defines it, with the primary key in `key`'s order. */
async function createMembershipTable(db: AnyDb, name: string, key: readonly [Column, Column]): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('community_id', 'integer', (c) => c.notNull().references('community.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('invited_at', 'bigint')
    .addColumn('data_job_id', 'integer')
    .addColumn('message', 'text')
    .addColumn('email_status', 'text')
    .addColumn('email_outbox_id', 'integer')
    .addColumn('emailed_at', 'bigint')
    .addColumn('joined_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('membership_pk', [...key])
    .addCheckConstraint(
      'membership_state_check',
      sql`state in ('invited','joined','requested','dismissed','left','removed')`,
    )
    .addCheckConstraint('membership_role_check', sql`role in ('member','leader')`)
    .execute();
}

async function createPersonStateIndex(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('membership_person_state_idx')
    .on('membership')
    .columns(['person_id', 'state', 'invited_at'])
    .execute();
}

/**
 * The rebuild writes only the columns and indexes this file knows. Migrations of parallel branches
 * run in any order, and one that changed membership would lose its change here without a word: a
 * column or an index gone, a trigger dropped with the table, a referencing table's rows deleted
 * with membership's. The rebuild refuses instead, naming what it does not know.
 */
async function assertMembershipIsKnown(db: AnyDb, order: KeyOrder): Promise<void> {
  const found = (
    await sql<{ name: string }>`SELECT name FROM pragma_table_info('membership') ORDER BY cid`.execute(db)
  ).rows.map((r) => r.name);
  if (found.join(',') !== columns.join(',')) {
    throw new Error(
      `membership's columns are not the ones this rebuild copies: found ${found.join(', ')}; expected ${columns.join(', ')}`,
    );
  }
  const indexes = (
    await sql<{ name: string }>`SELECT name FROM pragma_index_list('membership') WHERE origin = 'c'`.execute(db)
  ).rows
    .map((r) => r.name)
    .sort();
  const expected = [
    'membership_community_state_idx',
    'membership_data_job_idx',
    'membership_email_outbox_idx',
    ...(order === 'person_first' ? ['membership_person_state_idx'] : []),
  ].sort();
  if (indexes.join(',') !== expected.join(',')) {
    throw new Error(
      `membership's indexes are not the ones this rebuild recreates: found ${indexes.join(', ')}; expected ${expected.join(', ')}`,
    );
  }
  const triggers = (
    await sql<{
      name: string;
    }>`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'membership'`.execute(db)
  ).rows;
  if (triggers.length)
    throw new Error(`membership has triggers this rebuild would drop: ${triggers.map((r) => r.name).join(', ')}`);
  // With foreign keys on, dropping a referenced table first deletes its rows: a child's ON DELETE would fire.
  const children = (
    await sql<{ name: string }>`SELECT t.name FROM sqlite_master t, pragma_foreign_key_list(t.name) f
    WHERE t.type = 'table' AND f."table" = 'membership'`.execute(db)
  ).rows;
  if (children.length)
    throw new Error(
      `tables reference membership, whose drop would delete their rows: ${children.map((r) => r.name).join(', ')}`,
    );
}

async function keyOrderInSqlite(db: AnyDb): Promise<KeyOrder> {
  const first = await sql<{
    name: string;
  }>`SELECT i.name FROM pragma_index_list('membership') l, pragma_index_info(l.name) i
    WHERE l.origin = 'pk' AND i.seqno = 0`.execute(db);
  return first.rows[0]?.name === 'person_id' ? 'person_first' : 'community_first';
}

async function hasStatistics(db: AnyDb): Promise<boolean> {
  const table = await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`.execute(db);
  if (!table.rows.length) return false;
  return (await sql`SELECT 1 FROM sqlite_stat1 WHERE tbl = 'membership' LIMIT 1`.execute(db)).rows.length > 0;
}
