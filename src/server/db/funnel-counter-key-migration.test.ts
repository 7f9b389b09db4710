/**
 * Migration 2026-12-04T1609 (funnel_counter keyed step before scope): down and up keep every
 * counter row, and the membership triggers, recreated around SQLite's rebuild, go on counting in
 * either shape. Both databases.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { type Db, isPostgres } from './db.js';
import { down, up } from './migrations/2026-12-04T1609-insights-funnel-counter-ranges.js';
import type { AnyDb } from './migration-helpers.js';
import { readFunnel } from '../memberships/index.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';

/** The key's columns in order, and on SQLite whether the table has no rowid. */
async function keyOf(db: Db): Promise<{ columns: string[]; withoutRowid: boolean }> {
  if (isPostgres(db)) {
    const r = await sql<{ d: string }>`SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint
      WHERE conrelid = 'funnel_counter'::regclass AND contype = 'p'`.execute(db);
    const m = /PRIMARY KEY \(([^)]*)\)/.exec(r.rows[0]?.d ?? '');
    return { columns: (m?.[1] ?? '').split(', '), withoutRowid: false };
  }
  const cols = await sql<{ name: string }>`SELECT i.name FROM pragma_index_list('funnel_counter') l,
    pragma_index_info(l.name) i WHERE l.origin = 'pk' ORDER BY i.seqno`.execute(db);
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'funnel_counter'`.execute(db);
  return { columns: cols.rows.map((r) => r.name), withoutRowid: /WITHOUT ROWID/i.test(table.rows[0]?.sql ?? '') };
}

const migrate = (db: Db, step: (db: AnyDb) => Promise<void>) =>
  isPostgres(db) ? db.transaction().execute((trx) => step(trx)) : step(db);

describeEachDb('funnel counter key migration', (t) => {
  it('down and up keep the counters, and the triggers count in either shape', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const community = await buildCommunity(ctx);
    const inviter = await buildPerson(ctx);
    const inviteOne = async () =>
      addMembership(ctx, community.id, (await buildPerson(ctx)).id, 'invited', 'member', inviter.id);
    const rows = () =>
      db.selectFrom('funnel_counter').selectAll().orderBy(['scope_kind', 'scope_id', 'week', 'step', 'slot']).execute();
    await inviteOne();
    await inviteOne();
    expect(await keyOf(db)).toEqual({
      columns: ['scope_kind', 'week', 'step', 'scope_id', 'slot'],
      withoutRowid: !isPostgres(db),
    });
    const before = await rows();
    expect(before.length).toBeGreaterThan(0);

    await migrate(db, down);
    expect(await keyOf(db)).toEqual({
      columns: ['scope_kind', 'week', 'scope_id', 'step', 'slot'],
      withoutRowid: false,
    });
    expect(await rows()).toEqual(before);
    await inviteOne();
    expect((await readFunnel(db, 'community', community.id)).invited).toBe(3);

    const between = await rows();
    await migrate(db, up);
    expect((await keyOf(db)).columns).toEqual(['scope_kind', 'week', 'step', 'scope_id', 'slot']);
    expect(await rows()).toEqual(between);
    await inviteOne();
    expect((await readFunnel(db, 'community', community.id)).invited).toBe(4);
    expect((await readFunnel(db, 'inviter', inviter.id)).invited).toBe(4);
  });
});
