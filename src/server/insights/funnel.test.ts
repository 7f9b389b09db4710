/**
 * The invitation funnel after every transition: a direct invite, its email sent, delivered or
 * bounced at a real SMTP peer, its link opened, sign-in, join, decline, expiry by the sweep,
 * revoke, extension and re-issue, and a Data Tools invite run that is cancelled and undone; the
 * counts per community, job, inviter, week and site, and their CSV. Both databases, manual clock.
 */
import { beforeEach, expect, it } from 'vitest';
import type { Funnel, FunnelDashboardAnswer, InsightsAnswer } from '../../shared/insights.js';
import { Browser, latestSignInEmail } from '../auth/testing.js';
import { adminCookie, runJob, upload } from '../data-tools/test-support.js';
import { sendDueEmails, senderDeps } from '../email/sender.js';
import { invitationLinkToken } from '../invitations/invitation-link.js';
import { sweepExpiredInvitations } from '../invitations/invitation-expiry.service.js';
import { freshEmail, invite, ledCommunity, membershipOf } from '../invitations/invitation-test-helpers.js';
import { readFunnel } from '../memberships/index.js';
import { registries } from '../modules.js';
import { buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { useSmtpPeer } from '../testing/use-smtp-peer.js';

const DAY = 24 * 60 * 60 * 1000;
const byUniqueId = { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' };

const smtp = useSmtpPeer({ from: 'Convene <no-reply@localhost>', maxConnections: 1 });

const none: Funnel = {
  invited: 0,
  emailed: 0,
  delivered: 0,
  opened: 0,
  signedIn: 0,
  joined: 0,
  declined: 0,
  expired: 0,
  revoked: 0,
};
const funnel = (f: Partial<Funnel>): Funnel => ({ ...none, ...f });

describeEachDb('the invitation funnel', (t) => {
  const app = useTestApp(t);
  beforeEach(() => smtp.peer.reset());
  const get = (url: string, cookie: string) => app().inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, cookie: string, payload?: Record<string, unknown>) =>
    app().inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const send = () =>
    sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, {
        transport: smtp.transport,
        templates: registries.emailTemplates,
        hooks: registries.deliveryHooks,
        concurrency: 1,
      }),
    );
  const insights = async (communityId: number, cookie: string) => {
    const res = await get(`/api/communities/${communityId}/insights`, cookie);
    expect(res.statusCode).toBe(200);
    return res.json() as InsightsAnswer;
  };
  const open = (token: string) =>
    app().inject({ method: 'POST', url: '/api/invitation-links/opened', payload: { token } });

  it('counts a direct invite through email sent, delivered, link opened, sign-in and join; a bounce is not delivered', async () => {
    const { ctx } = t();
    const { community, cookie, leader } = await ledCommunity(ctx, { privacy: 'invite_only' });
    // the first invitation's email bounces: sent, never delivered
    const bounce = freshEmail('funnel-bounce');
    expect((await invite(app(), cookie, community.id, { emails: bounce })).status).toBe(200);
    smtp.peer.failNext(1, 550, { stage: 'rcpt', message: 'No such user' });
    expect(await send()).toBe(1);
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 1, emailed: 1 }));

    const email = freshEmail('funnel-new');
    expect((await invite(app(), cookie, community.id, { emails: email })).status).toBe(200);
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 2, emailed: 2 }));
    t().clock.advance(1000);
    expect(await send()).toBe(1);
    const [mail] = await smtp.peer.waitFor(1);
    expect(mail?.envelopeTo).toEqual([email]);
    const person = await ctx.db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    const token = invitationLinkToken(ctx.config.secret, community.id, person.id);
    // the join link in the email names the invitation (no tracking pixel)
    expect(mail?.text).toContain(`inv=${encodeURIComponent(token)}`);
    expect(mail?.html).not.toMatch(/<img/i);
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 2, emailed: 2, delivered: 1 }));
    expect((await membershipOf(ctx, community.id, person.id))?.delivered_at).toBe(ctx.clock.now());
    const delivered = 1;

    t().clock.advance(1000);
    expect((await open(token)).json()).toEqual({ recorded: true });
    expect((await open(token)).json()).toEqual({ recorded: false });
    expect((await open(`${token.slice(0, -1)}0`)).json().error.code).toBe('invitation_link_invalid');
    expect((await open('not-a-token')).statusCode).toBe(400);
    expect((await insights(community.id, cookie)).funnel).toMatchObject({ opened: 1 });

    const browser = new Browser(app);
    expect((await browser.post('/api/auth/code', { email })).statusCode).toBe(200);
    const code = (await latestSignInEmail(ctx, email))?.code;
    expect((await browser.post('/api/auth/verify', { email, code })).statusCode).toBe(200);
    expect((await insights(community.id, cookie)).funnel).toMatchObject({ signedIn: 1, joined: 0 });
    expect((await browser.post(`/api/communities/${community.id}/join`, {})).json()).toMatchObject({ state: 'joined' });
    const after = await insights(community.id, cookie);
    expect(after.funnel).toEqual(funnel({ invited: 2, emailed: 2, delivered, opened: 1, signedIn: 1, joined: 1 }));
    // the same counts per inviter and for the site, and this week's row
    expect(await readFunnel(ctx.db, 'inviter', leader.id)).toEqual(after.funnel);
    expect(after.weeks.at(-1)).toMatchObject({ invited: 2, joined: 1 });
    // an opened link of an invitation that ended records nothing
    expect((await open(token)).json()).toEqual({ recorded: false });
  });

  it('counts decline, revoke, expiry by the sweep, extension and re-issue; week rows and CSV', async () => {
    const { ctx } = t();
    const { community, cookie, leader } = await ledCommunity(ctx, { privacy: 'invite_only' });
    // sessions end while the clock runs for days: sign in afresh for each step
    const leaderCookie = () => sessionCookie(ctx, leader.id);
    const people = await Promise.all([1, 2, 3, 4].map(() => buildPerson(ctx)));
    const [decliner, revoked, expiring, extended] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    await invite(app(), cookie, community.id, {
      personIds: people.map((p) => p.id),
      sendEmail: false,
      expiresInDays: 1,
    });
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 4 }));

    expect(
      (await post(`/api/communities/${community.id}/decline`, await sessionCookie(ctx, decliner.id))).statusCode,
    ).toBe(200);
    expect((await post(`/api/communities/${community.id}/invitations/${revoked.id}/revoke`, cookie)).statusCode).toBe(
      200,
    );
    const extend = async (id: number, body: Record<string, unknown>) =>
      post(`/api/communities/${community.id}/invitations/${id}/extend`, await leaderCookie(), body);
    expect((await extend(extended.id, { expiresInDays: 10 })).statusCode).toBe(200);
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 4, declined: 1, revoked: 1 }));

    // one millisecond before the day is up nothing expires; after it the sweep expires one
    t().clock.advance(DAY - 1);
    await sweepExpiredInvitations(ctx);
    expect((await insights(community.id, cookie)).funnel.expired).toBe(0);
    t().clock.advance(1);
    await sweepExpiredInvitations(ctx);
    expect((await insights(community.id, await leaderCookie())).funnel).toEqual(
      funnel({ invited: 4, declined: 1, revoked: 1, expired: 1 }),
    );
    expect((await membershipOf(ctx, community.id, expiring.id))?.state).toBe('left');
    expect((await membershipOf(ctx, community.id, expiring.id))?.ended_by).toBe('expire');

    // re-issuing the expired invitation opens it again: a new invitation in the funnel; its join counts
    t().clock.advance(7 * DAY);
    const reissued = await extend(expiring.id, {});
    expect(reissued.statusCode).toBe(200);
    const again = await insights(community.id, await leaderCookie());
    expect(again.funnel).toEqual(funnel({ invited: 5, declined: 1, revoked: 1, expired: 1 }));
    expect(
      (await post(`/api/communities/${community.id}/join`, await sessionCookie(ctx, expiring.id))).statusCode,
    ).toBe(200);
    // a revoked person invited again: a new invitation
    const admin = await adminCookie(ctx);
    await invite(app(), admin.cookie, community.id, { personIds: [revoked.id], sendEmail: false });
    const last = await insights(community.id, admin.cookie);
    expect(last.funnel).toEqual(funnel({ invited: 6, joined: 1, declined: 1, revoked: 1, expired: 1 }));
    // two weeks in the series, the first with the four invitations, the last with the re-issue and the join
    expect(last.weeks.length).toBeGreaterThanOrEqual(2);
    expect(last.weeks[0]).toMatchObject({ invited: 4, declined: 1, revoked: 1, expired: 1 });
    expect(last.weeks.at(-1)).toMatchObject({ invited: 2, joined: 1 });
    const sum = (k: keyof Funnel) => last.weeks.reduce((n, w) => n + w[k], 0);
    for (const k of Object.keys(none) as (keyof Funnel)[]) expect(sum(k)).toBe(last.funnel[k]);

    const csv = await get(`/api/communities/${community.id}/insights.csv`, admin.cookie);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Section,Name,Week,Invited,Email sent,Delivered,Link opened,Signed in,Joined,Declined,Expired,Revoked',
    );
    expect(lines[1]).toBe('Total,,,6,0,0,0,0,1,1,1,1');
    expect(lines).toHaveLength(2 + last.weeks.length);

    // the site dashboard sums every community; this one is listed with its counts
    const dash = (await get('/api/admin/insights', admin.cookie)).json() as FunnelDashboardAnswer;
    expect(dash.funnel.invited).toBeGreaterThanOrEqual(6);
    expect(dash.communities.find((c) => c.id === community.id)).toMatchObject({ ...last.funnel, name: community.name });
    const siteCsv = await get('/api/admin/insights.csv', admin.cookie);
    expect(siteCsv.body).toContain(`Community,${community.name},,6,`);
  });

  it('a Data Tools invite run that is cancelled, then undone, leaves the counts as they were before it', async () => {
    const { ctx } = t();
    const { cookie } = await adminCookie(ctx);
    const community = await buildCommunity(ctx);
    const people = await Promise.all(
      Array.from({ length: 6 }, (_, i) => buildPerson(ctx, { uniqueId: `FUN-${community.id}-${i}` })),
    );
    const before = await readFunnel(ctx.db, 'site', 0);
    const up = (
      await upload(app(), cookie, {
        type: 'invite_to_community',
        file: `Community ID,Unique ID\n${people.map((p) => `${community.id},${p.unique_id}`).join('\n')}\n`,
      })
    ).json() as { id: number };
    await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${up.id}/mapping`,
      headers: { cookie },
      payload: byUniqueId,
    });
    await post(`/api/admin/data-jobs/${up.id}/start`, cookie);
    const { processDataJob } = await import('../data-tools/engine/process.js');
    const controller = new AbortController();
    let batches = 0;
    await expect(
      processDataJob(ctx, up.id, {
        batchSize: 2,
        heartbeat: async () => {
          if (++batches === 2) controller.abort();
        },
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    expect((await post(`/api/admin/data-jobs/${up.id}/cancel`, cookie)).statusCode).toBe(200);
    expect(await processDataJob(ctx, up.id, { batchSize: 2 })).toBe('canceled');
    const jobFunnel = (await get(`/api/admin/data-jobs/${up.id}/funnel`, cookie)).json() as { funnel: Funnel };
    expect(jobFunnel.funnel).toEqual(funnel({ invited: 4 }));
    expect((await insights(community.id, cookie)).funnel).toEqual(funnel({ invited: 4 }));

    // one invitee joins (kept by the undo), one declines (ended: kept too)
    const [joiner, decliner] = people as [(typeof people)[0], (typeof people)[0]];
    expect((await post(`/api/communities/${community.id}/join`, await sessionCookie(ctx, joiner.id))).statusCode).toBe(
      200,
    );
    expect(
      (await post(`/api/communities/${community.id}/decline`, await sessionCookie(ctx, decliner.id))).statusCode,
    ).toBe(200);
    expect((await get(`/api/admin/data-jobs/${up.id}/funnel`, cookie)).json().funnel).toEqual(
      funnel({ invited: 4, joined: 1, declined: 1 }),
    );
    const undone = await post(`/api/admin/data-jobs/${up.id}/undo`, cookie);
    expect(undone.statusCode).toBe(200);
    // the two still-open invitations are gone, as if never made; the join and the decline stay
    expect((await get(`/api/admin/data-jobs/${up.id}/funnel`, cookie)).json().funnel).toEqual(
      funnel({ invited: 2, joined: 1, declined: 1 }),
    );
    const site = await readFunnel(ctx.db, 'site', 0);
    expect(site.invited - before.invited).toBe(2);
    expect(site.joined - before.joined).toBe(1);
    const csv = await get(`/api/admin/data-jobs/${up.id}/funnel.csv`, cookie);
    expect(csv.body.split('\r\n')[1]).toBe('Total,,,2,0,0,0,0,1,1,0,0');
    expect((await get('/api/admin/data-jobs/999999/funnel', cookie)).statusCode).toBe(404);
  });

  it('a Data Tools run counts every row it writes, in one statement per batch', async () => {
    const { ctx } = t();
    const { cookie } = await adminCookie(ctx);
    const community = await buildCommunity(ctx);
    const people = await Promise.all(
      Array.from({ length: 25 }, (_, i) => buildPerson(ctx, { uniqueId: `FB-${community.id}-${i}` })),
    );
    const job = await runJob(app(), ctx, cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${people.map((p) => `${community.id},${p.unique_id}`).join('\n')}\n`,
      mapping: byUniqueId,
    });
    expect((await get(`/api/admin/data-jobs/${job.id}/funnel`, cookie)).json().funnel).toEqual(funnel({ invited: 25 }));
    expect(await readFunnel(ctx.db, 'community', community.id)).toEqual(funnel({ invited: 25 }));
  });
});
