/**
 * The bulk membership paths count the funnel set-based on SQLite (funnel-bulk.repository.ts):
 * the same writes — a Data Tools upsert over every prior state (new, hidden by "Not now" with the
 * same and another invitation time, declined, revoked, requested, joined, still invited), a step
 * reached, the expiry sweep's two statements and the undo — leave `funnel_counter` exactly as the
 * per-row triggers do. Each path runs in a transaction that is rolled back, so both start from the
 * same rows. On PostgreSQL the expiry sweep's walk counts in its own statement (the trigger
 * skipped) and the other paths are its statement triggers: the comparison holds there too.
 */
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import {
  deleteOpenInvitationsOfJob,
  expireDueInvitations,
  expireDueInvitationsInTableOrder,
  remindDuePeople,
  upsertDataJobInvitations,
  type DataJobInvitation,
} from '../memberships/index.js';
import { setFunnelCountingSetBased } from '../memberships/funnel-bulk.repository.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';

const WEEK = 7 * 24 * 60 * 60 * 1000;
class Rollback extends Error {}

describeEachDb('funnel counts of bulk writes', (t) => {
  afterEach(() => setFunnelCountingSetBased(true));

  /** funnel_counter's rows (on PostgreSQL summed over the backends' slots) */
  const counters = async (db: DbOrTrx) =>
    isPostgres(db)
      ? (
          await sql<
            Record<string, unknown>
          >`SELECT scope_kind, scope_id, week, step, sum(n)::bigint AS n FROM funnel_counter
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`.execute(db)
        ).rows.map((r) => ({ ...r, scope_id: Number(r.scope_id), week: Number(r.week), n: Number(r.n) }))
      : (await sql<Record<string, unknown>>`SELECT * FROM funnel_counter ORDER BY 1, 2, 3, 4, 5`.execute(db)).rows;

  /** Runs `work` in a transaction, answers the counters it leaves, and rolls it back. */
  async function countersAfter(setBased: boolean, work: (trx: DbOrTrx) => Promise<void>) {
    setFunnelCountingSetBased(setBased);
    let seen: unknown[] = [];
    await expect(
      t()
        .ctx.db.transaction()
        .execute(async (trx) => {
          await work(trx);
          seen = await counters(trx);
          throw new Rollback();
        }),
    ).rejects.toBeInstanceOf(Rollback);
    setFunnelCountingSetBased(true);
    return seen;
  }

  it('a Data Tools upsert over every prior state, expiry by both sweep statements and the undo count as the row triggers do', async () => {
    const { ctx } = t();
    const now = ctx.clock.now();
    const admin = await buildAdmin(ctx);
    const [a, b] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    const people = await Promise.all(Array.from({ length: 9 }, () => buildPerson(ctx)));
    const id = (i: number) => (people[i] as { id: number }).id;
    // the states before the job, in community a (person 0: none)
    const standing: [number, 'dismissed' | 'left' | 'removed' | 'requested' | 'joined' | 'invited', number | null][] = [
      [1, 'dismissed', now], // hidden, invited in the job's very millisecond: the same invitation
      [2, 'dismissed', now - 3 * WEEK], // hidden, an earlier invitation: invited again
      [3, 'left', now - WEEK],
      [4, 'removed', now - WEEK],
      [5, 'requested', null],
      [6, 'joined', null],
      [7, 'invited', now - 2 * WEEK],
    ];
    for (const [i, state, invitedAt] of standing) {
      await addMembership(ctx, a.id, id(i), state);
      await ctx.db
        .updateTable('membership')
        .set({
          invited_at: invitedAt,
          invited_by: invitedAt ? admin.id : null,
          emailed_at: invitedAt,
          ended_by: state === 'left' ? 'decline' : state === 'removed' ? 'revoke' : null,
        })
        .where('community_id', '=', a.id)
        .where('person_id', '=', id(i))
        .execute();
    }
    const before = await counters(ctx.db);

    const run = async (db: DbOrTrx) => {
      const inA: DataJobInvitation[] = people.map((_, i) => [a.id, id(i), 'not_sent', i + 1]);
      const inB: DataJobInvitation[] = people.slice(0, 4).map((_, i) => [b.id, id(i), 'pre_verified', 20 + i]);
      // job 901 by the admin, never expiring; job 902 by nobody (its creator merged away), expiring
      await upsertDataJobInvitations(
        db,
        inA,
        (x) => x,
        { invitedBy: admin.id, dataJobId: 901, now, expiresAt: null },
        () => {},
      );
      await upsertDataJobInvitations(
        db,
        inB,
        (x) => x,
        { invitedBy: null, dataJobId: 902, now, expiresAt: now + 1000 },
        () => {},
      );
      // a step reached by one of job 901's invitations, one hidden: the undo takes both back
      await db
        .updateTable('membership')
        .set({ opened_at: now + 10, updated_at: now + 10 })
        .where('community_id', '=', a.id)
        .where('person_id', '=', id(0))
        .execute();
      await db
        .updateTable('membership')
        .set({ state: 'dismissed', updated_at: now + 10 })
        .where('community_id', '=', a.id)
        .where('person_id', '=', id(3))
        .execute();
      const later = now + WEEK;
      expect(await expireDueInvitations(db, later, 2)).toBe(2);
      expect((await expireDueInvitationsInTableOrder(db, later, undefined, 100)).expired).toBe(2);
      expect(await deleteOpenInvitationsOfJob(db, 901)).toBe(7);
    };
    const rowByRow = await countersAfter(false, run);
    const setBased = await countersAfter(true, run);
    expect(setBased).toEqual(rowByRow);
    // the writes did count (the comparison is not between two empty results)
    expect(rowByRow).not.toEqual(before);
    expect(rowByRow.length).toBeGreaterThan(before.length);
    expect(await counters(ctx.db)).toEqual(before);
    if (!isPostgres(ctx.db)) {
      // the flag is clear again, and nothing is left in the tally
      expect(await ctx.db.selectFrom('funnel_bulk').selectAll().execute()).toEqual([
        { id: 0, counted_by_caller: null },
      ]);
      expect(await ctx.db.selectFrom('funnel_bulk_reinvited').selectAll().execute()).toEqual([]);
    }
  });

  it('a bulk statement that fails leaves the flag clear and the counts as they were', async () => {
    const { ctx } = t();
    const community = await buildCommunity(ctx);
    const person = await buildPerson(ctx);
    const before = await counters(ctx.db);
    // a person id that does not exist: the upsert fails on its foreign key, in the caller's transaction
    await expect(
      ctx.db.transaction().execute((trx) =>
        upsertDataJobInvitations(
          trx,
          [
            [community.id, person.id, 'not_sent', 1] as DataJobInvitation,
            [community.id, 99_999_999, 'not_sent', 2] as DataJobInvitation,
          ],
          (x) => x,
          { invitedBy: null, dataJobId: 903, now: ctx.clock.now(), expiresAt: null },
          () => {},
        ),
      ),
    ).rejects.toThrow();
    expect(await counters(ctx.db)).toEqual(before);
    if (!isPostgres(ctx.db))
      expect(await ctx.db.selectFrom('funnel_bulk').selectAll().execute()).toEqual([
        { id: 0, counted_by_caller: null },
      ]);
    // a later single invitation is counted by its row trigger again
    await addMembership(ctx, community.id, person.id, 'invited');
    const after = await counters(ctx.db);
    expect(after.length).toBeGreaterThan(before.length);
  });
  it('the reminder bookkeeping counts nothing and leaves the update trigger on for the rest of its transaction', async () => {
    const { ctx } = t();
    const now = ctx.clock.now();
    const community = await buildCommunity(ctx);
    const person = await buildPerson(ctx);
    await addMembership(ctx, community.id, person.id, 'invited');
    await ctx.db
      .updateTable('membership')
      .set({ invited_at: now - WEEK, emailed_at: now - WEEK, next_reminder_at: now - 1 })
      .where('community_id', '=', community.id)
      .where('person_id', '=', person.id)
      .execute();
    const before = await counters(ctx.db);
    const join = async (db: DbOrTrx) => {
      await db
        .updateTable('membership')
        .set({ state: 'joined', updated_at: now })
        .where('community_id', '=', community.id)
        .where('person_id', '=', person.id)
        .execute();
    };
    const schedule = { reminderDays: [3], reminderBeforeExpiryDays: null };
    const reminded = await countersAfter(true, async (db) => {
      expect(await remindDuePeople(db, [person.id], schedule, now, 'example.test')).toEqual({
        emails: 1,
        invitations: 1,
      });
    });
    expect(reminded).toEqual(before);
    const joinedAlone = await countersAfter(true, join);
    const joinedAfterReminder = await countersAfter(true, async (db) => {
      await remindDuePeople(db, [person.id], schedule, now, 'example.test');
      await join(db);
    });
    expect(joinedAlone).not.toEqual(before);
    expect(joinedAfterReminder).toEqual(joinedAlone);
  });
});
