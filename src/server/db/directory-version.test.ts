import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { buildCommunity, buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('directory version', (t) => {
  it('moves on every change that can change whom a key or Community ID names, and only then (SQLite)', async () => {
    const db = t().ctx.db;
    if (t().dialect === 'postgres') {
      // PostgreSQL's look-ahead needs no version: the table does not exist there.
      const r = await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'directory_version'`.execute(db);
      expect(r.rows[0]?.n).toBe(0);
      return;
    }
    const version = async () =>
      (await sql<{ version: number }>`SELECT version FROM directory_version WHERE id = 1`.execute(db)).rows[0]
        ?.version ?? -1;
    const moves = async (change: () => Promise<unknown>) => {
      const before = await version();
      await change();
      return (await version()) - before;
    };
    let personId = 0;
    expect(
      await moves(async () => {
        personId = (await buildPerson(t().ctx, { uniqueId: 'DV-1' })).id;
      }),
    ).toBe(1);
    expect(
      await moves(() => db.updateTable('person').set({ status: 'inactive' }).where('id', '=', personId).execute()),
    ).toBe(1);
    expect(
      await moves(() => db.updateTable('person').set({ unique_id: 'DV-2' }).where('id', '=', personId).execute()),
    ).toBe(1);
    expect(
      await moves(() =>
        db.updateTable('person').set({ preverification_id: 990001 }).where('id', '=', personId).execute(),
      ),
    ).toBe(1);
    expect(
      await moves(() =>
        db
          .updateTable('person')
          .set({ status: 'inactive', last_sign_in_at: 5, first_name: 'Same' })
          .where('id', '=', personId)
          .execute(),
      ),
    ).toBe(0);
    expect(await moves(() => buildCommunity(t().ctx))).toBe(1);
    expect(await moves(() => db.deleteFrom('person').where('id', '=', personId).execute())).toBe(1);
  });
});
