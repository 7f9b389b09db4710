/**
 * The Invited list's counts are kept by triggers (`invited_count`): after every step of a random
 * sequence of transitions — direct invites (emailed or not, expiring or not), emails sent or
 * bounced at a real SMTP peer, Not now, declines, revokes and their undo, expiry by the sweep,
 * joins, Data Tools runs and their undo, a person deleted — the counts equal a grouped count of
 * the membership table (the query the list used before the counters, kept here as the
 * reference). The list's counts read only the community's range of the counters' key. Both
 * databases, manual clock, a fixed seed per run (printed with a failure).
 */
import { expect, it } from 'vitest';
import { down, up } from '../db/migrations/2026-12-04T1639-invited-invited-counts.js';
import type { DbOrTrx } from '../db/db.js';
import { isPostgres } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';
import { adminCookie, runJob } from '../data-tools/test-support.js';
import { sendDueEmails, senderDeps } from '../email/sender.js';
import { countInvitedGroups, type InvitedGroupCount } from '../memberships/index.js';
import { registries } from '../modules.js';
import { deletePerson } from '../people/person.repository.js';
import { addMembership, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { explainQuery, recordQueries } from '../testing/query-plans.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { sweepExpiredInvitations } from './invitation-expiry.service.js';
import { freshEmail, invite, ledCommunity } from './invitation-test-helpers.js';
import { useSmtpPeer } from '../testing/use-smtp-peer.js';

const DAY = 24 * 60 * 60 * 1000;
const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

const smtp = useSmtpPeer({ from: 'Convene <no-reply@localhost>', maxConnections: 1 });

/** mulberry32: a small seeded generator, so that a failing sequence can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    below: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T | undefined => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}

/**
 * The reference: a grouped count of every listed membership of the community — the Invited
 * list's counting query before `invited_count` (a read of all the community's invitations).
 */
async function countByScanning(db: DbOrTrx, communityId: number): Promise<InvitedGroupCount[]> {
  const rows = await db
    .selectFrom('membership as m')
    .select(['m.state', 'm.ended_by', 'm.source', 'm.email_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('m.community_id', '=', communityId)
    .where('m.state', 'in', ['invited', 'dismissed', 'left', 'removed'])
    .where((eb) =>
      eb.or([
        eb('m.state', 'in', ['invited', 'dismissed']),
        eb.and([eb('m.ended_by', 'in', ['decline', 'expire', 'revoke']), eb('m.joined_at', 'is', null)]),
      ]),
    )
    .groupBy(['m.state', 'm.ended_by', 'm.source', 'm.email_status'])
    .execute();
  // several states fall in one standing (invited and dismissed are open): summed per group
  const groups = new Map<string, InvitedGroupCount>();
  for (const r of rows) {
    const standing =
      r.state === 'invited' || r.state === 'dismissed'
        ? 'open'
        : r.ended_by === 'decline'
          ? 'declined'
          : r.ended_by === 'revoke'
            ? 'revoked'
            : 'expired';
    const key = `${standing}/${r.source}/${r.email_status}`;
    const n = (groups.get(key)?.n ?? 0) + Number(r.n);
    groups.set(key, { standing, source: r.source, emailStatus: r.email_status, n });
  }
  return sorted([...groups.values()]);
}

const sorted = (xs: readonly InvitedGroupCount[]) =>
  [...xs].sort((a, b) =>
    `${a.standing}/${a.source}/${a.emailStatus}`.localeCompare(`${b.standing}/${b.source}/${b.emailStatus}`),
  );

describeEachDb('the Invited list’s counts, kept by triggers', (t) => {
  const app = useTestApp(t);
  const post = (url: string, cookie: string, payload?: Record<string, unknown>) =>
    app().inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('equal a grouped count of the memberships after every step of a random sequence of transitions', async () => {
    const { ctx } = t();
    const seed = Number(process.env.INVITED_COUNTS_SEED ?? 19_2026);
    const rnd = random(seed);
    const { community: a, leader } = await ledCommunity(ctx, { privacy: 'invite_only' });
    const b = await buildCommunity(ctx, { privacy: 'public' });
    const communities = [a, b];
    const admin = await adminCookie(ctx);
    let people: PersonRow[] = [];
    for (let i = 0; i < 14; i++)
      people.push(
        await buildPerson(ctx, {
          uniqueId: `IC-${a.id}-${i}`,
          status: i % 7 === 6 ? 'pre_verified' : 'active',
          email: i % 7 === 6 ? null : undefined,
        }),
      );
    const send = () =>
      sendDueEmails(
        ctx,
        senderDeps(ctx, {
          transport: smtp.transport,
          templates: registries.emailTemplates,
          hooks: registries.deliveryHooks,
          concurrency: 1,
        }),
      );
    const stateOf = async (communityId: number, personId: number) =>
      (
        await ctx.db
          .selectFrom('membership')
          .select('state')
          .where('community_id', '=', communityId)
          .where('person_id', '=', personId)
          .executeTakeFirst()
      )?.state;
    const withState = async (communityId: number, states: readonly string[]) =>
      (
        await ctx.db
          .selectFrom('membership')
          .select('person_id')
          .where('community_id', '=', communityId)
          .where('state', 'in', states as never)
          .execute()
      ).map((r) => r.person_id);
    const active = () => people.filter((p) => p.status === 'active');
    let undoable: number | undefined;

    const steps: Record<string, () => Promise<unknown>> = {
      async invite() {
        const picked = [rnd.pick(active()), rnd.pick(active())].flatMap((p) => (p ? [p.id] : []));
        const emails = rnd.chance(0.3) ? freshEmail('ic') : undefined;
        return invite(app(), await sessionCookie(ctx, leader.id), a.id, {
          personIds: [...new Set(picked)],
          ...(emails ? { emails } : {}),
          sendEmail: rnd.chance(0.6),
          expiresInDays: rnd.chance(0.5) ? 1 : null,
        });
      },
      async send() {
        if (rnd.chance(0.3)) smtp.peer.failNext(1, 550, { stage: 'rcpt', message: 'No such user' });
        t().clock.advance(1000);
        return send();
      },
      async dismiss() {
        const id = rnd.pick(await withState(a.id, ['invited']));
        if (id) return post(`/api/communities/${a.id}/dismiss`, await sessionCookie(ctx, id));
      },
      async decline() {
        const id = rnd.pick(await withState(a.id, ['invited', 'dismissed']));
        if (id) return post(`/api/communities/${a.id}/decline`, await sessionCookie(ctx, id));
      },
      async revoke() {
        const id = rnd.pick(await withState(a.id, ['invited', 'dismissed']));
        if (!id) return;
        const cookie = await sessionCookie(ctx, leader.id);
        await post(`/api/communities/${a.id}/invitations/${id}/revoke`, cookie);
        if (rnd.chance(0.4)) await post(`/api/communities/${a.id}/invitations/${id}/undo-revoke`, cookie);
      },
      async expire() {
        t().clock.advance(2 * DAY);
        return sweepExpiredInvitations(ctx);
      },
      async join() {
        const id = rnd.pick(await withState(a.id, ['invited', 'dismissed']));
        if (id) return post(`/api/communities/${a.id}/join`, await sessionCookie(ctx, id));
      },
      async leaveAndRejoinB() {
        // community b is public: joins and leaves by people never invited are not listed
        const p = rnd.pick(active());
        if (!p) return;
        const cookie = await sessionCookie(ctx, p.id);
        const state = await stateOf(b.id, p.id);
        return post(`/api/communities/${b.id}/${state === 'joined' ? 'leave' : 'join'}`, cookie);
      },
      async dataJob() {
        const rows = people.filter(() => rnd.chance(0.4));
        const target = rnd.pick(communities)!;
        const job = await runJob(app(), ctx, admin.cookie, {
          type: 'invite_to_community',
          file: `Community ID,Unique ID\n${rows.map((p) => `${target.id},${p.unique_id}`).join('\n')}\n`,
          mapping: byUniqueId,
        });
        undoable = job.id as number;
      },
      async undo() {
        if (undoable === undefined) return;
        await post(`/api/admin/data-jobs/${undoable}/undo`, admin.cookie);
        undoable = undefined;
      },
      async deletePerson() {
        const p = rnd.pick(people.filter((x) => x.id !== leader.id));
        if (!p || people.length < 8) return;
        await deletePerson(ctx.db, p.id);
        people = people.filter((x) => x.id !== p.id);
      },
    };
    const names = Object.keys(steps);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const name = i < names.length ? names[(i * 7) % names.length]! : rnd.pick(names)!;
      await steps[name]!();
      for (const c of communities) {
        const counted = sorted(await countInvitedGroups(ctx.db, c.id));
        expect(counted, `seed ${seed}, step ${i} (${name}), community ${c.id}`).toEqual(
          await countByScanning(ctx.db, c.id),
        );
        for (const g of counted) seen.add(g.standing);
      }
    }
    // the sequence reached every standing (else it tested less than it says)
    expect([...seen].sort()).toEqual(['declined', 'expired', 'open', 'revoked']);
  });

  it('the list’s counts read only the community’s range of the counters’ key', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const [a, b] = [await buildCommunity(ctx), await buildCommunity(ctx)];
    await db
      .insertInto('invited_count')
      .values([
        { community_id: a.id, standing: 'open', source: 'direct', email_status: 'sent', slot: 1, n: 2 },
        { community_id: a.id, standing: 'open', source: 'direct', email_status: 'sent', slot: 2, n: 3 },
        { community_id: a.id, standing: 'open', source: 'data_job', email_status: '', slot: 0, n: 4 },
        // a group whose slots sum to 0 is not answered
        { community_id: a.id, standing: 'declined', source: 'direct', email_status: 'sent', slot: 1, n: 1 },
        { community_id: a.id, standing: 'declined', source: 'direct', email_status: 'sent', slot: 3, n: -1 },
        { community_id: b.id, standing: 'revoked', source: 'direct', email_status: 'sent', slot: 0, n: 9 },
      ])
      .execute();
    const queries = await recordQueries(db, (d) => countInvitedGroups(d, a.id));
    expect(sorted(await countInvitedGroups(db, a.id))).toEqual([
      { standing: 'open', source: 'data_job', emailStatus: null, n: 4 },
      { standing: 'open', source: 'direct', emailStatus: 'sent', n: 5 },
    ]);
    expect(queries).toHaveLength(1);
    const explained = await explainQuery(db, queries[0]!, 'invited_count');
    const where = explained.plan;
    if (isPostgres(db)) {
      expect(explained.access, where).toEqual([
        { index: 'invited_count_pk', seek: expect.stringMatching(/^community_id\b/) },
      ]);
    } else {
      // a WITHOUT ROWID table: its key is the table
      expect(explained.access, where).toEqual([
        { index: 'primary key', seek: expect.stringMatching(/^community_id\b/) },
      ]);
    }
    expect(where).not.toMatch(/\bmembership\b/);
  });

  it('the migration counts the memberships already there, and the triggers go on from its counts', async () => {
    const { ctx } = t();
    const db = ctx.db;
    const community = await buildCommunity(ctx);
    const people = await Promise.all(Array.from({ length: 12 }, () => buildPerson(ctx)));
    await down(db);
    // written while nothing counts: every standing, a joined one, and an end after a join (not listed)
    const shapes = [
      ['invited', null, null, 'sent'],
      ['invited', null, null, null],
      ['dismissed', null, null, 'queued'],
      ['left', 'decline', null, 'sent'],
      ['left', 'expire', null, 'not_sent'],
      ['removed', 'revoke', null, 'failed'],
      ['removed', 'expire', null, 'pre_verified'],
      ['left', 'decline', 1, 'sent'],
      ['joined', null, 1, 'sent'],
      ['requested', null, null, null],
    ] as const;
    for (const [i, [state, endedBy, joinedAt, emailStatus]] of shapes.entries()) {
      await addMembership(ctx, community.id, people[i]!.id, state);
      await db
        .updateTable('membership')
        .set({
          ended_by: endedBy,
          joined_at: joinedAt,
          email_status: emailStatus,
          source: i % 2 ? 'direct' : 'landing',
        })
        .where('community_id', '=', community.id)
        .where('person_id', '=', people[i]!.id)
        .execute();
    }
    await up(db);
    const reference = await countByScanning(db, community.id);
    expect(reference.reduce((n, g) => n + g.n, 0)).toBe(7);
    expect(sorted(await countInvitedGroups(db, community.id))).toEqual(reference);
    await addMembership(ctx, community.id, people[10]!.id, 'invited');
    await db.deleteFrom('membership').where('person_id', '=', people[3]!.id).execute();
    expect(sorted(await countInvitedGroups(db, community.id))).toEqual(await countByScanning(db, community.id));
  });
});
