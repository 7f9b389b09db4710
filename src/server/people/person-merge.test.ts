import { expect, it } from 'vitest';
import { createDb } from '../db/db.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson } from '../testing/factories.js';
import { waitUntilBlocked } from '../testing/pg-locks.js';
import { describeEachDb } from '../testing/test-db.js';
import { approvePerson } from './person-status.service.js';

describeEachDb('person merge', (t) => {
  it('waits for a transaction that writes memberships and then deletes a person, instead of deadlocking with it', async ({
    skip,
  }) => {
    skip(
      t().dialect !== 'postgres',
      'PostgreSQL only: SQLite has one writer at a time, so the two transactions cannot overlap',
    );
    const ctx = t().ctx;
    const admin = await buildAdmin(ctx);
    const pre = await buildPerson(ctx, { status: 'pre_verified', uniqueId: 'MERGE-1' });
    const pending = await buildPerson(ctx, { status: 'pending' });
    const [rejected, member] = [await buildPerson(ctx, { status: 'pending' }), await buildPerson(ctx)];
    const [c1, c2] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, c1.id, pending.id);
    const other = createDb(t().databaseUrl, { poolSize: 1 });
    try {
      let wrote!: () => void;
      let proceed!: () => void;
      const wroteSignal = new Promise<void>((resolve) => {
        wrote = resolve;
      });
      const proceedSignal = new Promise<void>((resolve) => {
        proceed = resolve;
      });
      // What a second merge does: a membership write, then the delete of a person.
      const otherDone = other.db.transaction().execute(async (trx) => {
        await addMembership({ ...ctx, db: trx }, c2.id, member.id);
        wrote();
        await proceedSignal;
        await trx.deleteFrom('person').where('id', '=', rejected.id).execute();
      });
      await wroteSignal;
      const approving = approvePerson(ctx, admin, pending.id, { uniqueId: 'MERGE-1' });
      await waitUntilBlocked(ctx.db, '');
      proceed();
      await otherDone;
      expect(await approving).toMatchObject({ id: pre.id, status: 'active' });
      const people = await ctx.db
        .selectFrom('person')
        .select('id')
        .where('id', 'in', [pending.id, rejected.id])
        .execute();
      expect(people).toEqual([]);
      const memberships = await ctx.db
        .selectFrom('membership')
        .select(['community_id', 'person_id'])
        .where('person_id', 'in', [pre.id, member.id])
        .orderBy('community_id')
        .execute();
      expect(memberships).toEqual([
        { community_id: c1.id, person_id: pre.id },
        { community_id: c2.id, person_id: member.id },
      ]);
    } finally {
      await other.close();
    }
  });
});
