/**
 * The daily digests: the leaders' digest of the day before's join requests (once a day, only
 * when there are any, across their communities, never to leaders who hear at once or turned it
 * off), the admins' digest of people waiting for approval, and a digest stopped half-way that
 * resumes without sending anyone two. Both databases, manual clock: each test works on its own
 * days, since a day's digest is sent once.
 */
import { expect, it } from 'vitest';
import { listJoinRequestDigestLeaders } from '../memberships/index.js';
import { registries } from '../modules.js';
import { explainQuery, recordQueries } from '../testing/query-plans.js';
import { renderEmail } from '../email/templates.js';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { sendApprovalQueueDigests, sendJoinRequestDigests } from './digest.service.js';
import { DAY, emailsTo, ledPrivateCommunity } from './test-support.js';

const HOUR = 60 * 60 * 1000;
/** Each test starts at 10:00 UTC on a day of its own. */
const dayOf = (n: number) => Date.UTC(2027, 0, 1) + n * 10 * DAY + 10 * HOUR;

describeEachDb('notification digests', (t) => {
  const app = useTestApp(t);
  const post = (url: string, cookie: string, payload?: unknown) =>
    app().inject({
      method: 'POST',
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const ask = async (communityId: number, personId: number) =>
    (await post(`/api/communities/${communityId}/join`, await sessionCookie(t().ctx, personId))).json();
  const digestsTo = async (to: string) =>
    (await emailsTo(t().ctx, to)).filter((e) => e.template === 'notification_join_request_digest');

  it("sends a leader one email a day listing the day before's requests across their communities", async () => {
    const { ctx, clock } = t();
    clock.set(dayOf(1));
    const one = await ledPrivateCommunity(ctx, 'Rowing <Club>');
    const two = await ledPrivateCommunity(ctx, 'Choir');
    await addMembership(ctx, two.community.id, one.leader.id, 'joined', 'leader');
    const [ada, bob, cy] = [
      await buildPerson(ctx, { firstName: 'Ada', lastName: 'A' }),
      await buildPerson(ctx, { firstName: '', lastName: '', email: 'no-name@example.test' }),
      await buildPerson(ctx, { firstName: 'Cy', lastName: 'C' }),
    ];
    expect(await ask(one.community.id, ada.id)).toMatchObject({ state: 'requested' });
    await ask(two.community.id, bob.id);
    await ask(two.community.id, cy.id);
    // A request approved before the digest is not listed.
    await post(`/api/communities/${two.community.id}/requests/${cy.id}/approve`, two.leaderCookie);

    // The same day: today's digest covers yesterday, when nothing was asked.
    await sendJoinRequestDigests(ctx);
    expect(await digestsTo(one.leader.email!)).toEqual([]);

    clock.set(dayOf(1) + 15 * HOUR); // 01:00 the next day
    await sendJoinRequestDigests(ctx);
    const [digest, ...more] = await digestsTo(one.leader.email!);
    expect(more).toEqual([]);
    const email = renderEmail(digest.template, digest.payload, ctx.config, registries.emailTemplates);
    expect(email.subject).toBe('2 new requests to join your communities');
    expect(email.text).toContain('Ada A asked to join Rowing <Club>');
    expect(email.text).toContain('no-name@example.test asked to join Choir');
    expect(email.text).not.toContain('Cy C');
    expect(email.html).toContain('Rowing &lt;Club&gt;');
    expect(email.html).not.toContain('<Club>');
    expect(email.text).toContain(`http://localhost:3000/communities/${one.community.id}?tab=members&list=requested`);
    expect(email.text).toContain(`http://localhost:3000/communities/${two.community.id}?tab=members&list=requested`);
    expect(email.headers?.['List-Unsubscribe']).toMatch(/notifications\/unsubscribe/);
    expect((await digestsTo(two.leader.email!)).map((e) => e.payload.total)).toEqual([1]);

    // Later runs the same day send nothing more; the day after, with no new request, nothing either.
    clock.advance(5 * HOUR);
    await sendJoinRequestDigests(ctx);
    clock.advance(DAY);
    await sendJoinRequestDigests(ctx);
    expect(await digestsTo(one.leader.email!)).toHaveLength(1);
    expect(await digestsTo(two.leader.email!)).toHaveLength(1);
  });

  it('leaves out leaders who hear at once or turned join requests off', async () => {
    const { ctx, clock } = t();
    clock.set(dayOf(2));
    const { community, leader, leaderCookie } = await ledPrivateCommunity(ctx);
    const off = await buildPerson(ctx);
    const daily = await buildPerson(ctx);
    await addMembership(ctx, community.id, off.id, 'joined', 'leader');
    await addMembership(ctx, community.id, daily.id, 'joined', 'leader');
    const patch = (cookie: string, mode: string) =>
      app().inject({
        method: 'PATCH',
        url: '/api/me/notifications',
        headers: { cookie },
        payload: { joinRequests: mode },
      });
    await patch(leaderCookie, 'immediate');
    await patch(await sessionCookie(ctx, off.id), 'off');
    await patch(await sessionCookie(ctx, daily.id), 'daily');
    await ask(community.id, (await buildPerson(ctx)).id);

    clock.advance(DAY);
    await sendJoinRequestDigests(ctx);
    expect((await emailsTo(ctx, leader.email!)).map((e) => e.template)).toEqual(['notification_join_request']);
    expect(await emailsTo(ctx, off.email!)).toEqual([]);
    expect((await digestsTo(daily.email!)).map((e) => e.payload.total)).toEqual([1]);
  });

  it('a digest stopped half-way resumes where it stopped and sends nobody two', async () => {
    const { ctx, clock } = t();
    clock.set(dayOf(3));
    const led = [await ledPrivateCommunity(ctx), await ledPrivateCommunity(ctx), await ledPrivateCommunity(ctx)];
    for (const { community } of led) await ask(community.id, (await buildPerson(ctx)).id);

    clock.advance(DAY);
    const stop = new AbortController();
    const first = sendJoinRequestDigests(ctx, {
      batchSize: 1,
      heartbeat: async () => stop.abort(new Error('the worker stops')),
      signal: stop.signal,
    });
    await expect(first).rejects.toThrow('the worker stops');
    const sentBefore = (await Promise.all(led.map(async (l) => (await digestsTo(l.leader.email!)).length))).reduce(
      (a, b) => a + b,
    );
    expect(sentBefore).toBe(1);

    await sendJoinRequestDigests(ctx, { batchSize: 1 });
    for (const l of led) expect(await digestsTo(l.leader.email!)).toHaveLength(1);
  });

  it('sends admins a daily digest of people waiting for approval, only when someone waits', async () => {
    const { ctx, clock } = t();
    clock.set(dayOf(4));
    // Nobody waits (people left pending by other tests are approved first).
    const admin = await buildAdmin(ctx);
    const quiet = await buildAdmin(ctx);
    const adminCookie = await sessionCookie(ctx, admin.id);
    for (const p of await ctx.db.selectFrom('person').select('id').where('status', '=', 'pending').execute())
      await post(`/api/admin/people/${p.id}/approve`, adminCookie, {});
    await app().inject({
      method: 'PATCH',
      url: '/api/me/notifications',
      headers: { cookie: await sessionCookie(ctx, quiet.id) },
      payload: { approvalQueue: 'off' },
    });
    const queueTo = async (to: string) =>
      (await emailsTo(ctx, to)).filter((e) => e.template === 'notification_approval_queue');
    await sendApprovalQueueDigests(ctx);
    expect(await queueTo(admin.email!)).toEqual([]);

    await buildPerson(ctx, { status: 'pending', firstName: 'Wai', lastName: 'Ting <3>', email: 'wai@example.test' });
    // Today's digest is done (nobody was waiting when it ran): the new arrival waits for tomorrow's.
    await sendApprovalQueueDigests(ctx);
    expect(await queueTo(admin.email!)).toEqual([]);

    clock.advance(DAY);
    await sendApprovalQueueDigests(ctx);
    await sendApprovalQueueDigests(ctx);
    const [digest, ...more] = await queueTo(admin.email!);
    expect(more).toEqual([]);
    const email = renderEmail(digest.template, digest.payload, ctx.config, registries.emailTemplates);
    expect(email.subject).toBe('1 person is waiting for approval');
    expect(email.text).toContain('Wai Ting <3> (wai@example.test)');
    expect(email.html).toContain('Wai Ting &lt;3&gt;');
    expect(email.text).toContain('http://localhost:3000/admin/members?tab=pending');
    expect(await queueTo(quiet.email!)).toEqual([]);
  });
});

describeEachDb('the join request digest reads requests by index', (t) => {
  it('reads memberships through indexes only, never the whole table', async () => {
    const { ctx } = t();
    const window = { from: ctx.clock.now() - DAY, to: ctx.clock.now() };
    const queries = await recordQueries(ctx.db, (db) => listJoinRequestDigestLeaders(db, window, 0, 10));
    expect(queries).toHaveLength(1);
    const { access, plan } = await explainQuery(ctx.db, queries[0], 'membership');
    expect(access, plan).toHaveLength(2);
    expect(
      access.every((a) => a.index !== null),
      plan,
    ).toBe(true);
  });
});
