/**
 * Notifications sent at once, through the HTTP API: a join request to the leaders who chose to
 * hear at once (not to those on the daily digest or off), a request approved and an account
 * approved (unless turned off), and a person's own settings. Both databases, manual clock.
 */
import { expect, it } from 'vitest';
import type { MyNotifications } from '../../shared/notifications.js';
import { registries } from '../modules.js';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { renderEmail } from '../email/templates.js';
import { emailsTo, ledPrivateCommunity } from './test-support.js';

describeEachDb('notifications sent at once', (t) => {
  const app = useTestApp(t);
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) =>
    app().inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const setMine = (cookie: string, patch: Readonly<Record<string, string | undefined>>) =>
    call('PATCH', '/api/me/notifications', cookie, patch);

  it('a join request emails the leaders who hear at once, not those on the digest or off', async () => {
    const { ctx } = t();
    const { community, leader, leaderCookie } = await ledPrivateCommunity(ctx, 'Chess <Club>');
    const digestLeader = await buildPerson(ctx);
    const offLeader = await buildPerson(ctx);
    await addMembership(ctx, community.id, digestLeader.id, 'joined', 'leader');
    await addMembership(ctx, community.id, offLeader.id, 'joined', 'leader');
    expect((await setMine(leaderCookie, { joinRequests: 'immediate' })).statusCode).toBe(200);
    expect((await setMine(await sessionCookie(ctx, offLeader.id), { joinRequests: 'off' })).statusCode).toBe(200);

    const asker = await buildPerson(ctx, { firstName: 'Ada', lastName: 'Lovelace & Co' });
    const res = await call('POST', `/api/communities/${community.id}/join`, await sessionCookie(ctx, asker.id));
    expect(res.json()).toMatchObject({ state: 'requested' });

    const [notice, ...more] = await emailsTo(ctx, leader.email!);
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ template: 'notification_join_request', category: 'transactional' });
    const email = renderEmail(notice.template, notice.payload, ctx.config, registries.emailTemplates);
    expect(email.subject).toBe('Ada Lovelace & Co asked to join Chess <Club>');
    expect(email.html).toContain('Ada Lovelace &amp; Co asked to join Chess &lt;Club&gt;.');
    expect(email.html).not.toContain('<Club>');
    expect(email.text).toContain(`http://localhost:3000/communities/${community.id}?tab=members&list=requested`);
    expect(email.headers?.['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(email.headers?.['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/notifications\/unsubscribe\/.+>$/);
    expect(await emailsTo(ctx, digestLeader.email!)).toEqual([]);
    expect(await emailsTo(ctx, offLeader.email!)).toEqual([]);

    // Asking again while the request is open sends nothing more.
    await call('POST', `/api/communities/${community.id}/join`, await sessionCookie(ctx, asker.id));
    expect(await emailsTo(ctx, leader.email!)).toHaveLength(1);
  });

  it('an approved request tells the person; a declined one or one with the kind off does not', async () => {
    const { ctx } = t();
    const { community, leaderCookie } = await ledPrivateCommunity(ctx, 'Garden');
    const [approved, declined, quiet] = [await buildPerson(ctx), await buildPerson(ctx), await buildPerson(ctx)];
    expect((await setMine(await sessionCookie(ctx, quiet.id), { requestApproved: 'off' })).statusCode).toBe(200);
    for (const p of [approved, declined, quiet])
      await call('POST', `/api/communities/${community.id}/join`, await sessionCookie(ctx, p.id));

    const decide = (p: { id: number }, what: 'approve' | 'decline') =>
      call('POST', `/api/communities/${community.id}/requests/${p.id}/${what}`, leaderCookie);
    expect((await decide(approved, 'approve')).json()).toEqual({ state: 'joined' });
    expect((await decide(declined, 'decline')).statusCode).toBe(200);
    expect((await decide(quiet, 'approve')).statusCode).toBe(200);
    // approving again changes nothing and tells nobody twice
    expect((await decide(approved, 'approve')).statusCode).toBe(200);

    const [told, ...more] = await emailsTo(ctx, approved.email!);
    expect(more).toEqual([]);
    expect(told.template).toBe('notification_request_approved');
    const email = renderEmail(told.template, told.payload, ctx.config, registries.emailTemplates);
    expect(email.subject).toBe('You are now a member of Garden');
    expect(email.text).toContain(`http://localhost:3000/communities/${community.id}`);
    expect(await emailsTo(ctx, declined.email!)).toEqual([]);
    expect(await emailsTo(ctx, quiet.email!)).toEqual([]);
  });

  it('an approved account tells the person, in the transaction of the approval', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const cookie = await sessionCookie(ctx, admin.id);
    const waiting = await buildPerson(ctx, { status: 'pending', firstName: 'Grace' });
    const rejected = await buildPerson(ctx, { status: 'pending' });
    expect((await call('POST', `/api/admin/people/${waiting.id}/approve`, cookie, {})).statusCode).toBe(200);
    expect((await call('POST', `/api/admin/people/${rejected.id}/reject`, cookie, {})).statusCode).toBe(200);
    // A second approval is refused and queues nothing.
    expect((await call('POST', `/api/admin/people/${waiting.id}/approve`, cookie, {})).statusCode).toBe(409);

    const [told, ...more] = await emailsTo(ctx, waiting.email!);
    expect(more).toEqual([]);
    const email = renderEmail(told.template, told.payload, ctx.config, registries.emailTemplates);
    expect(email.subject).toBe('Your Convene account is approved');
    expect(email.text).toContain('http://localhost:3000/sign-in');
    expect(await emailsTo(ctx, rejected.email!)).toEqual([]);
  });

  it('a person reads and sets their own settings; a mode a kind does not offer is refused', async () => {
    const { ctx } = t();
    const { leaderCookie } = await ledPrivateCommunity(ctx);
    const member = await sessionCookie(ctx, (await buildPerson(ctx)).id);
    const admin = await sessionCookie(ctx, (await buildAdmin(ctx)).id);
    const read = async (cookie: string) =>
      (await call('GET', '/api/me/notifications', cookie)).json() as MyNotifications;

    const defaults = {
      joinRequests: 'daily',
      requestApproved: 'immediate',
      accountApproved: 'immediate',
      approvalQueue: 'daily',
    };
    expect(await read(member)).toEqual({ settings: defaults, relevant: ['request_approved'] });
    expect((await read(leaderCookie)).relevant).toEqual(['join_requests', 'request_approved']);
    expect((await read(admin)).relevant).toEqual(['request_approved', 'approval_queue']);

    const set = await setMine(leaderCookie, { joinRequests: 'immediate', requestApproved: 'off' });
    expect(set.json().settings).toEqual({ ...defaults, joinRequests: 'immediate', requestApproved: 'off' });
    expect((await read(leaderCookie)).settings.joinRequests).toBe('immediate');
    expect((await read(member)).settings).toEqual(defaults);

    for (const bad of [{ requestApproved: 'daily' }, { approvalQueue: 'immediate' }, {}, { invitations: 'off' }]) {
      const res = await setMine(leaderCookie, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect((await read(leaderCookie)).settings).toEqual({
      ...defaults,
      joinRequests: 'immediate',
      requestApproved: 'off',
    });
  });
});
