/**
 * membership's references behave the same on both databases: foreign keys on SQLite, statement
 * triggers on PostgreSQL (migration 2026-11-27T0910). Unknown parents are refused, deletes
 * cascade, and a delete racing an insert leaves no membership without its person.
 */
import { expect, it } from 'vitest';
import type { AppContext } from '../context.js';
import { addMembership, buildCommunity, buildPerson } from '../testing/factories.js';
import { waitUntilBlocked } from '../testing/pg-locks.js';
import { describeEachDb } from '../testing/test-db.js';
import { createDb, type Db } from './db.js';
import type { MembershipRow } from './schema.js';

/** No person or community has this id. */
const nobody = 987_654_321;

function membershipRow(
  ctx: AppContext,
  communityId: number,
  personId: number,
  invitedBy: number | null = null,
): MembershipRow {
  const now = ctx.clock.now();
  return {
    community_id: communityId,
    person_id: personId,
    state: 'invited',
    role: 'member',
    source: 'direct',
    invited_by: invitedBy,
    invited_at: now,
    data_job_id: null,
    data_job_row: null,
    message: null,
    email_status: 'not_sent',
    email_outbox_id: null,
    emailed_at: null,
    joined_at: null,
    created_at: now,
    updated_at: now,
    expires_at: null,
    ended_by: null,
    next_reminder_at: null,
    reminders_sent: 0,
    reminded_at: null,
    delivered_at: null,
    opened_at: null,
    signed_in_at: null,
    revoked_by: null,
    revoked_at: null,
  };
}

async function membershipsOf(db: Db, personId: number): Promise<MembershipRow[]> {
  return db.selectFrom('membership').selectAll().where('person_id', '=', personId).orderBy('community_id').execute();
}

/** Memberships whose person or community is gone: there must never be any. */
async function orphanCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('membership as m')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) =>
      eb.or([
        eb.not(eb.exists(eb.selectFrom('person as p').select('p.id').whereRef('p.id', '=', 'm.person_id'))),
        eb.not(eb.exists(eb.selectFrom('community as c').select('c.id').whereRef('c.id', '=', 'm.community_id'))),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDb('membership references', (t) => {
  /** Expects `write` to fail as this database fails a missing parent: PostgreSQL 23503 naming the column and id. */
  async function expectRefused(write: Promise<unknown>, column: string, value: number): Promise<void> {
    const error = await write.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (t().dialect === 'postgres') {
      expect(error).toMatchObject({ code: '23503', column });
      expect((error as Error).message).toContain(`membership.${column} ${value} is not present`);
    } else {
      expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    }
  }

  it('refuses a membership whose person, community or inviter does not exist, and takes one whose inviter is empty', async () => {
    const ctx = t().ctx;
    const person = await buildPerson(ctx);
    const community = await buildCommunity(ctx);
    await expectRefused(addMembership(ctx, community.id, nobody), 'person_id', nobody);
    await expectRefused(addMembership(ctx, nobody, person.id), 'community_id', nobody);
    await expectRefused(addMembership(ctx, community.id, person.id, 'invited', 'member', nobody), 'invited_by', nobody);
    expect(await membershipsOf(ctx.db, person.id)).toEqual([]);
    await addMembership(ctx, community.id, person.id, 'invited', 'member', null);
    expect(await membershipsOf(ctx.db, person.id)).toMatchObject([{ community_id: community.id, invited_by: null }]);
  });

  it('refuses a multi-row insert with one bad row as a whole', async () => {
    const ctx = t().ctx;
    const [a, b] = [await buildPerson(ctx), await buildPerson(ctx)];
    const community = await buildCommunity(ctx);
    const rows = [
      membershipRow(ctx, community.id, a.id),
      membershipRow(ctx, community.id, nobody),
      membershipRow(ctx, community.id, b.id),
    ];
    await expectRefused(ctx.db.insertInto('membership').values(rows).execute(), 'person_id', nobody);
    expect([...(await membershipsOf(ctx.db, a.id)), ...(await membershipsOf(ctx.db, b.id))]).toEqual([]);
  });

  it('refuses an update that points a membership at a person who does not exist, and takes one that keeps its references or changes them to real ones', async () => {
    const ctx = t().ctx;
    const [person, inviter, other] = [await buildPerson(ctx), await buildPerson(ctx), await buildPerson(ctx)];
    const [c1, c2] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, c1.id, person.id, 'invited', 'member', inviter.id);
    await addMembership(ctx, c2.id, person.id, 'invited', 'member', other.id);
    const ofPerson = ctx.db.updateTable('membership').where('person_id', '=', person.id);
    await expectRefused(ofPerson.set({ person_id: nobody }).execute(), 'person_id', nobody);
    await expectRefused(ofPerson.set({ invited_by: nobody }).execute(), 'invited_by', nobody);
    await expectRefused(
      ofPerson.set({ community_id: nobody }).where('community_id', '=', c2.id).execute(),
      'community_id',
      nobody,
    );
    await ofPerson.set({ state: 'joined' }).execute();
    await ofPerson.set({ invited_by: inviter.id }).where('community_id', '=', c2.id).execute();
    await ofPerson.set({ person_id: other.id }).where('community_id', '=', c1.id).execute();
    expect([...(await membershipsOf(ctx.db, person.id)), ...(await membershipsOf(ctx.db, other.id))]).toMatchObject([
      { community_id: c2.id, person_id: person.id, state: 'joined', invited_by: inviter.id },
      { community_id: c1.id, person_id: other.id, state: 'joined', invited_by: inviter.id },
    ]);
  });

  it("deletes a person's memberships with them and empties invited_by where it named them", async () => {
    const ctx = t().ctx;
    const [leaving, inviter, invitee, stays] = [
      await buildPerson(ctx),
      await buildPerson(ctx),
      await buildPerson(ctx),
      await buildPerson(ctx),
    ];
    const [c1, c2] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, c1.id, leaving.id);
    await addMembership(ctx, c2.id, leaving.id, 'invited', 'member', inviter.id);
    await addMembership(ctx, c1.id, invitee.id, 'invited', 'member', leaving.id);
    await addMembership(ctx, c2.id, stays.id, 'invited', 'member', inviter.id);
    await ctx.db.deleteFrom('person').where('id', '=', leaving.id).execute();
    expect(await membershipsOf(ctx.db, leaving.id)).toEqual([]);
    expect(await membershipsOf(ctx.db, invitee.id)).toMatchObject([
      { community_id: c1.id, state: 'invited', invited_by: null },
    ]);
    expect(await membershipsOf(ctx.db, stays.id)).toMatchObject([{ community_id: c2.id, invited_by: inviter.id }]);
    expect(await orphanCount(ctx.db)).toBe(0);
  });

  it("deletes a community's memberships with it", async () => {
    const ctx = t().ctx;
    const person = await buildPerson(ctx);
    const [gone, kept] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, gone.id, person.id);
    await addMembership(ctx, kept.id, person.id);
    await ctx.db.deleteFrom('community').where('id', '=', gone.id).execute();
    expect((await membershipsOf(ctx.db, person.id)).map((m) => m.community_id)).toEqual([kept.id]);
  });

  it('makes the delete of a person wait for a transaction that is adding their membership, then removes it', async ({
    skip,
  }) => {
    skip(
      t().dialect !== 'postgres',
      'PostgreSQL only: SQLite has one writer at a time, so the two writes cannot overlap',
    );
    const ctx = t().ctx;
    const person = await buildPerson(ctx);
    const community = await buildCommunity(ctx);
    const [a, b] = [createDb(t().databaseUrl, { poolSize: 1 }), createDb(t().databaseUrl, { poolSize: 1 })];
    try {
      let inserted!: () => void;
      let commitA!: () => void;
      const insertedSignal = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const commitSignal = new Promise<void>((resolve) => {
        commitA = resolve;
      });
      const aDone = a.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('membership')
          .values(membershipRow(ctx, community.id, person.id))
          .execute();
        inserted();
        await commitSignal;
      });
      await insertedSignal;
      let bFinished = false;
      const bDone = b.db
        .deleteFrom('person')
        .where('id', '=', person.id)
        .execute()
        .then(() => {
          bFinished = true;
        });
      await waitUntilBlocked(ctx.db, 'delete from "person"');
      expect(bFinished).toBe(false);
      commitA();
      await aDone;
      await bDone;
      expect(await ctx.db.selectFrom('person').select('id').where('id', '=', person.id).execute()).toEqual([]);
      expect(await membershipsOf(ctx.db, person.id)).toEqual([]);
      expect(await orphanCount(ctx.db)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('makes a membership insert wait for a transaction deleting its person, then refuses it', async ({ skip }) => {
    skip(
      t().dialect !== 'postgres',
      'PostgreSQL only: SQLite has one writer at a time, so the two writes cannot overlap',
    );
    const ctx = t().ctx;
    const person = await buildPerson(ctx);
    const community = await buildCommunity(ctx);
    const [a, b] = [createDb(t().databaseUrl, { poolSize: 1 }), createDb(t().databaseUrl, { poolSize: 1 })];
    try {
      let deleted!: () => void;
      let commitB!: () => void;
      const deletedSignal = new Promise<void>((resolve) => {
        deleted = resolve;
      });
      const commitSignal = new Promise<void>((resolve) => {
        commitB = resolve;
      });
      const bDone = b.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('person').where('id', '=', person.id).execute();
        deleted();
        await commitSignal;
      });
      await deletedSignal;
      const aDone = a.db
        .insertInto('membership')
        .values(membershipRow(ctx, community.id, person.id))
        .execute();
      const aOutcome = aDone.then(
        () => undefined,
        (e: unknown) => e,
      );
      await waitUntilBlocked(ctx.db, 'insert into "membership"');
      commitB();
      await bDone;
      expect(await aOutcome).toMatchObject({ code: '23503', column: 'person_id' });
      expect(await membershipsOf(ctx.db, person.id)).toEqual([]);
      expect(await orphanCount(ctx.db)).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
