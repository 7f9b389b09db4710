/**
 * Migration 2026-11-27T0920 (membership's primary key person first): on SQLite a rebuild of the
 * table, which must keep every column, constraint, foreign key, index and row; on PostgreSQL a
 * swap of the key. Both directions, both databases. The migrations after it that change membership
 * are rolled back first: this one runs on the table as it was then.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, isPostgres } from './db.js';
import { up as initial } from './migrations/2026-11-26T0001-initial.js';
import { up as outboxIndex } from './migrations/2026-11-26T1100-email-membership-outbox-idx.js';
import { up as outboxIndexPartial } from './migrations/2026-11-27T0900-membership-outbox-index-partial.js';
import { down, up } from './migrations/2026-11-27T0920-membership-pk-person-first.js';
import { down as dropDataJobRow, up as addDataJobRow } from './migrations/2026-11-28T0900-membership-data-job-row.js';
import { down as dropExpiry, up as addExpiry } from './migrations/2026-12-03T1100-lifecycle-invitation-expiry.js';
import {
  down as dropReminders,
  up as addReminders,
} from './migrations/2026-12-03T1400-lifecycle-invitation-reminders.js';
import {
  down as dropRequestedIndex,
  up as addRequestedIndex,
} from './migrations/2026-12-03T1401-notifications-requested-index.js';
import { down as dropFunnel, up as addFunnel } from './migrations/2026-12-03T1840-funnel-funnel-counters.js';
import {
  down as dropFunnelBulk,
  up as addFunnelBulk,
} from './migrations/2026-12-03T1855-funnel-bulk-set-based-counting.js';
import {
  down as dropRevokeUndo,
  up as addRevokeUndo,
} from './migrations/2026-12-03T1850-invited-email-runs-and-revoke-undo.js';
import {
  down as dropCounterRanges,
  up as addCounterRanges,
} from './migrations/2026-12-04T1609-insights-funnel-counter-ranges.js';
import type { AnyDb } from './migration-helpers.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { createTestRuntime, describeEachDb, type TestRuntime } from '../testing/test-db.js';

/** membership's definition as the database holds it: table, constraints and indexes, as text. */
async function definitionOf(db: Db): Promise<{ table: string[]; indexes: string[] }> {
  if (isPostgres(db)) {
    const columns = await sql<{
      d: string;
    }>`SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS d
      FROM information_schema.columns WHERE table_name = 'membership' ORDER BY ordinal_position`.execute(db);
    const constraints = await sql<{
      d: string;
    }>`SELECT conname || ' ' || pg_get_constraintdef(oid) AS d FROM pg_constraint
      WHERE conrelid = 'membership'::regclass ORDER BY conname`.execute(db);
    const indexes = await sql<{
      d: string;
    }>`SELECT indexdef AS d FROM pg_indexes WHERE tablename = 'membership' ORDER BY indexname`.execute(db);
    return { table: [...columns.rows, ...constraints.rows].map((r) => r.d), indexes: indexes.rows.map((r) => r.d) };
  }
  const table = await sql<{
    sql: string;
  }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'membership'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`SELECT coalesce(sql, name) AS sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'membership' ORDER BY name`.execute(
    db,
  );
  return { table: table.rows.map((r) => r.sql), indexes: indexes.rows.map((r) => r.sql) };
}

/** As the migrator runs a migration: in a transaction on PostgreSQL, on the bare connection on SQLite. */
async function migrate(db: Db, step: (db: AnyDb) => Promise<void>): Promise<void> {
  if (isPostgres(db)) await db.transaction().execute((trx) => step(trx));
  else await step(db);
}

const allRows = (db: Db) =>
  db.selectFrom('membership').selectAll().orderBy('community_id').orderBy('person_id').execute();

describeEachDb('membership primary key migration', (t) => {
  it('down and up again keep every row and swap the key back and forth, and nothing else', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const inviter = await buildPerson(ctx);
    const communities = [await buildCommunity(ctx), await buildCommunity(ctx)];
    for (let i = 0; i < 6; i++) {
      const p = await buildPerson(ctx);
      await addMembership(
        ctx,
        communities[i % 2].id,
        p.id,
        i % 3 === 0 ? 'invited' : 'joined',
        i === 1 ? 'leader' : 'member',
        inviter.id,
      );
    }
    await db
      .updateTable('membership')
      .set({ message: 'Welcome', email_status: 'queued', email_outbox_id: 7, data_job_id: 3 })
      .where('state', '=', 'invited')
      .execute();
    await migrate(db, dropCounterRanges);
    await migrate(db, dropRevokeUndo);
    await migrate(db, dropFunnelBulk);
    await migrate(db, dropFunnel);
    await migrate(db, dropRequestedIndex);
    await migrate(db, dropReminders);
    await migrate(db, dropExpiry);
    await migrate(db, dropDataJobRow);
    const rows = await allRows(db);
    const latest = await definitionOf(db);

    await migrate(db, down);
    const previous = await definitionOf(db);
    expect(await allRows(db)).toEqual(rows);
    const swap = (text: string) =>
      text.replace(/\(("?)person_id\1, ("?)community_id\2\)/, '($1community_id$1, $2person_id$2)');
    expect(previous.table).toEqual(latest.table.map(swap));
    const personIndex = previous.indexes.filter((d) => d.includes('membership_person_state_idx'));
    expect(personIndex).toHaveLength(1);
    expect(personIndex[0]).toMatch(/\("?person_id"?, "?state"?, "?invited_at"?\)/);
    expect(previous.indexes.filter((d) => !d.includes('membership_person_state_idx')).map(swap)).toEqual(
      latest.indexes.map(swap),
    );

    await migrate(db, up);
    expect(await definitionOf(db)).toEqual(latest);
    expect(await allRows(db)).toEqual(rows);
    await migrate(db, addDataJobRow);
    await migrate(db, addExpiry);
    await migrate(db, addReminders);
    await migrate(db, addRequestedIndex);
    await migrate(db, addFunnel);
    await migrate(db, addFunnelBulk);
    await migrate(db, addRevokeUndo);
    await migrate(db, addCounterRanges);
  });

  it('the table keeps its foreign keys and checks: a person’s or community’s deletion takes its memberships, an inviter’s clears invited_by', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const [inviter, member, other] = [await buildPerson(ctx), await buildPerson(ctx), await buildPerson(ctx)];
    const [community, closing] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, community.id, member.id, 'invited', 'member', inviter.id);
    await addMembership(ctx, closing.id, other.id, 'joined');
    await db.deleteFrom('person').where('id', '=', inviter.id).execute();
    expect(
      (
        await db
          .selectFrom('membership')
          .select('invited_by')
          .where('person_id', '=', member.id)
          .executeTakeFirstOrThrow()
      ).invited_by,
    ).toBeNull();
    await db.deleteFrom('person').where('id', '=', member.id).execute();
    await db.deleteFrom('community').where('id', '=', closing.id).execute();
    expect(
      await db.selectFrom('membership').select('person_id').where('person_id', 'in', [member.id, other.id]).execute(),
    ).toEqual([]);
    await expect(addMembership(ctx, community.id, 999_999, 'joined')).rejects.toThrow(/foreign key/i);
    await addMembership(ctx, community.id, other.id, 'joined');
    await expect(sql`UPDATE membership SET state = 'bogus' WHERE person_id = ${other.id}`.execute(db)).rejects.toThrow(
      /check/i,
    );
  });
});

describe('membership primary key migration on SQLite', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await createTestRuntime('sqlite');
    await dropCounterRanges(runtime.ctx.db);
    await dropRevokeUndo(runtime.ctx.db);
    await dropFunnelBulk(runtime.ctx.db);
    await dropFunnel(runtime.ctx.db);
    await dropRequestedIndex(runtime.ctx.db);
    await dropReminders(runtime.ctx.db);
    await dropExpiry(runtime.ctx.db);
    await dropDataJobRow(runtime.ctx.db);
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('builds the table the initial migration built, with the key person first, and the indexes of the latest migrations but the person index', async () => {
    const scratch = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }) });
    for (const step of [initial, outboxIndex, outboxIndexPartial]) await step(scratch as AnyDb);
    const before = await definitionOf(scratch as unknown as Db);
    await scratch.destroy();
    const after = await definitionOf(runtime.ctx.db);
    expect(after.table).toEqual(
      before.table.map((d) =>
        d.replace('primary key ("community_id", "person_id")', 'primary key ("person_id", "community_id")'),
      ),
    );
    expect(after.table[0]).toContain('primary key ("person_id", "community_id")');
    expect(after.indexes).toEqual(before.indexes.filter((d) => !d.includes('membership_person_state_idx')));
  });

  it('finds an earlier run’s rebuild done (the migrator records a SQLite migration after its rebuild commits)', async () => {
    const db = runtime.ctx.db;
    await addMembership(
      runtime.ctx,
      (await buildCommunity(runtime.ctx)).id,
      (await buildPerson(runtime.ctx)).id,
      'joined',
    );
    const before = await definitionOf(db);
    const rows = await allRows(db);
    await up(db);
    expect(await definitionOf(db)).toEqual(before);
    expect(await allRows(db)).toEqual(rows);
  });

  it('refuses to rebuild a membership table with a column it does not know, and leaves the table as it was', async () => {
    const db = runtime.ctx.db;
    await down(db);
    await sql`ALTER TABLE membership ADD COLUMN note text`.execute(db);
    const before = await definitionOf(db);
    await expect(up(db)).rejects.toThrow(/found .*note/);
    expect(await definitionOf(db)).toEqual(before);
    expect((await sql`SELECT name FROM sqlite_master WHERE name = 'membership_new'`.execute(db)).rows).toEqual([]);
    await sql`ALTER TABLE membership DROP COLUMN note`.execute(db);
  });

  it('refuses to drop membership while a table references it (foreign keys on: the drop would delete that table’s rows)', async () => {
    const db = runtime.ctx.db;
    await sql`CREATE TABLE membership_note (community_id integer, person_id integer, note text,
      FOREIGN KEY (community_id, person_id) REFERENCES membership (community_id, person_id) ON DELETE CASCADE)`.execute(
      db,
    );
    await expect(up(db)).rejects.toThrow(/membership_note/);
    await sql`DROP TABLE membership_note`.execute(db);
    await up(db);
    expect((await definitionOf(db)).table[0]).toContain('primary key ("person_id", "community_id")');
  });
});
