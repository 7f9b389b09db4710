/**
 * Membership has a primary key (person_id, community_id) and one community index
 * (community_id, state, person_id): every person-side and community-side read of the product must
 * still seek through one of them, never read the whole table. The plans are those of the real
 * repository and service functions (recordQueries), asked on both databases.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { type Db, isPostgres } from './db.js';
import type { CommunityRow, PersonRow } from './schema.js';
import { listCommunityMembers } from '../communities/membership.service.js';
import { countInvited, listInvitedRows } from '../memberships/invited-directory.repository.js';
import {
  closeOpenMembershipsOfPerson as closeOpenMemberships,
  findMembership as findMembershipOfCommunity,
  findMemberships,
  insertMembershipIfAbsent,
  listJoinedCommunitiesOf,
  listOpenInvitationsOf,
  listSuggestedCommunities,
  upsertInvitations,
} from '../memberships/index.js';
import { getPersonDetail } from '../people/people.service.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson } from '../testing/factories.js';
import { explainQuery, recordQueries, sqlOf, type TableAccess } from '../testing/query-plans.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('membership indexes', (t) => {
  let admin: PersonRow;
  let invitee: PersonRow;
  let big: CommunityRow;
  let small: CommunityRow[];
  const primaryKey = () => (t().dialect === 'postgres' ? 'membership_pk' : 'sqlite_autoindex_membership_1');
  const byPerson = () => ({ index: primaryKey(), seek: expect.stringMatching(/^person_id\b/) });
  const byCommunityAndState = {
    index: 'membership_community_state_idx',
    seek: expect.stringMatching(/^community_id,state\b/),
  };

  /** How each statement `work` sends that names membership reaches the table's rows. */
  async function membershipAccess(work: (db: Db) => Promise<unknown>): Promise<TableAccess[]> {
    const db = t().ctx.db;
    const queries = (await recordQueries(db, work)).filter((q) => sqlOf(db, q).includes('"membership"'));
    expect(queries.length).toBeGreaterThan(0);
    const access: TableAccess[] = [];
    for (const q of queries) {
      const explained = await explainQuery(db, q, 'membership');
      expect(
        explained.access.length,
        `no read of membership in the plan of\n${sqlOf(db, q)}\n${explained.plan}`,
      ).toBeGreaterThan(0);
      access.push(...explained.access);
    }
    return access;
  }

  beforeAll(async () => {
    const { ctx } = t();
    admin = await buildAdmin(ctx);
    invitee = await buildPerson(ctx);
    big = await buildCommunity(ctx);
    small = [await buildCommunity(ctx), await buildCommunity(ctx), await buildCommunity(ctx)];
    // One community of many members, people of a few memberships each: a real site's shape.
    for (let i = 0; i < 40; i++) {
      const p = await buildPerson(ctx);
      await addMembership(
        ctx,
        big.id,
        p.id,
        i % 4 === 0 ? 'invited' : 'joined',
        'member',
        i % 4 === 0 ? admin.id : null,
      );
      if (i % 10 === 0) await addMembership(ctx, small[i % 3].id, p.id, 'joined');
    }
    await addMembership(ctx, big.id, invitee.id, 'invited', 'member', admin.id);
    await addMembership(ctx, small[0].id, invitee.id, 'invited', 'member', admin.id);
    await addMembership(ctx, small[1].id, invitee.id, 'joined');
    // PostgreSQL plans by statistics, which a live site has (autovacuum) and a fresh table lacks.
    if (isPostgres(ctx.db)) await sql`ANALYZE`.execute(ctx.db);
  });

  it('the home screen reads a person’s invitations, communities and suggestions through the primary key (person first)', async () => {
    expect(await membershipAccess((db) => listOpenInvitationsOf(db, invitee.id, 100))).toEqual([byPerson()]);
    expect(await membershipAccess((db) => listJoinedCommunitiesOf(db, invitee.id, 500))).toEqual([byPerson()]);
    expect(await membershipAccess((db) => listSuggestedCommunities(db, invitee.id, 12))).toEqual([byPerson()]);
  });

  it('a person’s page and the person-wide state changes read the person’s memberships through the primary key', async () => {
    expect(await membershipAccess((db) => getPersonDetail({ ...t().ctx, db }, invitee.id))).toEqual([byPerson()]);
    // Deactivation closes every open invitation and request of the person (an UPDATE by person_id;
    // asked for the admin, who has none, so that the other tests' rows stay as they are).
    expect(await membershipAccess((db) => closeOpenMemberships(db, admin.id, t().clock.now()))).toEqual([byPerson()]);
  });

  it('a community’s member list, its Invited directory and its counts read by (community, state)', async () => {
    const members = await membershipAccess((db) =>
      listCommunityMembers({ ...t().ctx, db }, admin, big.id, { state: 'joined' }),
    );
    // The first read is the viewer's own membership (the visibility check): one pair.
    expect(members).toEqual([{ index: primaryKey(), seek: expect.stringMatching(/person_id/) }, byCommunityAndState]);
    expect(await membershipAccess((db) => listInvitedRows(db, big.id, { limit: 50 }))).toEqual([byCommunityAndState]);
    expect(await membershipAccess((db) => countInvited(db, big.id))).toEqual([byCommunityAndState]);
  });

  it('one membership, and a batch’s memberships in one community, are read by their pair through the primary key', async () => {
    const pair = { index: primaryKey(), seek: expect.stringMatching(/^person_id,community_id$/) };
    expect(await membershipAccess((db) => findMembershipOfCommunity(db, big.id, invitee.id))).toEqual([pair]);
    const people = [invitee.id, admin.id, invitee.id + 1];
    const batch = await membershipAccess((db) => findMemberships(db, big.id, people));
    // SQLite seeks once per person; PostgreSQL may seek by person alone and filter the community.
    expect(batch).toEqual([{ index: primaryKey(), seek: expect.stringMatching(/^person_id\b/) }]);
  });

  it('ON CONFLICT (community_id, person_id) still finds the primary key, whose columns are in the other order', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const now = t().clock.now();
    const community = await buildCommunity(ctx);
    const [joined, left, fresh] = [await buildPerson(ctx), await buildPerson(ctx), await buildPerson(ctx)];
    await addMembership(ctx, community.id, joined.id, 'joined');
    await addMembership(ctx, community.id, left.id, 'left');
    // DO NOTHING: a second insert of the same pair is skipped, not an error.
    expect(
      await insertMembershipIfAbsent(
        db,
        { communityId: community.id, personId: fresh.id, state: 'joined', source: 'admin' },
        now,
      ),
    ).toBe(true);
    expect(
      await insertMembershipIfAbsent(
        db,
        { communityId: community.id, personId: fresh.id, state: 'joined', source: 'admin' },
        now,
      ),
    ).toBe(false);
    expect(
      await insertMembershipIfAbsent(
        db,
        { communityId: community.id, personId: joined.id, state: 'joined', source: 'landing' },
        now,
      ),
    ).toBe(false);
    // DO UPDATE … WHERE: the left member is invited again, the joined one is left alone.
    const invited = await upsertInvitations(
      db,
      community.id,
      admin.id,
      null,
      [joined.id, left.id].map((personId) => ({
        personId,
        emailStatus: 'not_sent' as const,
        outboxId: null,
        nextReminderAt: null,
      })),
      now,
    );
    expect([...invited]).toEqual([left.id]);
    expect((await findMembershipOfCommunity(db, community.id, left.id))?.state).toBe('invited');
    expect((await findMembershipOfCommunity(db, community.id, joined.id))?.state).toBe('joined');
    // Either order of the target names the same key (the data job's upsert is raw SQL of this shape).
    for (const target of [sql`(community_id, person_id)`, sql`(person_id, community_id)`]) {
      await sql`INSERT INTO membership (community_id, person_id, state, role, source, created_at, updated_at)
        VALUES (${community.id}, ${joined.id}, 'invited', 'member', 'data_job', ${now}, ${now})
        ON CONFLICT ${target} DO UPDATE SET updated_at = excluded.updated_at + 1`.execute(db);
    }
    const row = await findMembershipOfCommunity(db, community.id, joined.id);
    expect(row).toMatchObject({ state: 'joined', updated_at: now + 1 });
  });

  it('the primary key is (person_id, community_id) and the person index is gone', async () => {
    const db = t().ctx.db;
    if (isPostgres(db)) {
      const pk = await sql<{
        def: string;
      }>`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'membership_pk'`.execute(db);
      expect(pk.rows.map((r) => r.def)).toEqual(['PRIMARY KEY (person_id, community_id)']);
      const indexes = await sql<{
        indexname: string;
      }>`SELECT indexname FROM pg_indexes WHERE tablename = 'membership' ORDER BY indexname`.execute(db);
      expect(indexes.rows.map((r) => r.indexname)).toEqual([
        'membership_community_state_idx',
        'membership_data_job_idx',
        'membership_email_outbox_idx',
        'membership_open_expiry_idx',
        'membership_pk',
        'membership_reminder_due_idx',
        'membership_requested_idx',
      ]);
      return;
    }
    const key = await sql<{
      name: string;
    }>`SELECT name FROM pragma_index_info('sqlite_autoindex_membership_1') ORDER BY seqno`.execute(db);
    expect(key.rows.map((r) => r.name)).toEqual(['person_id', 'community_id']);
    const indexes = await sql<{ name: string }>`SELECT name FROM pragma_index_list('membership') ORDER BY name`.execute(
      db,
    );
    expect(indexes.rows.map((r) => r.name)).toEqual([
      'membership_community_state_idx',
      'membership_data_job_idx',
      'membership_email_outbox_idx',
      'membership_open_expiry_idx',
      'membership_reminder_due_idx',
      'membership_requested_idx',
      'sqlite_autoindex_membership_1',
    ]);
  });
});
