/**
 * One-click unsubscribe per notification kind: the List-Unsubscribe link of a real email (through
 * the SMTP peer), posted as a mail provider does (RFC 8058), and the web page's API. Unsubscribing
 * from one kind leaves the other kinds and invitations. Both databases.
 */
import { expect, it } from 'vitest';
import type { MyNotifications } from '../../shared/notifications.js';
import { findSuppression } from '../email/suppression.repository.js';
import { senderDeps, sendDueEmails } from '../email/sender.js';
import { unsubscribeToken } from '../email/unsubscribe.js';
import { registries } from '../modules.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { notificationUnsubscribeToken } from './notification-link.js';
import { ledPrivateCommunity } from './test-support.js';
import { useSmtpPeer } from '../testing/use-smtp-peer.js';

const smtp = useSmtpPeer({ from: 'Convene <no-reply@convene.test>' });

describeEachDb('notification unsubscribe', (t) => {
  const app = useTestApp(t);
  const send = () =>
    sendDueEmails(
      t().ctx,
      senderDeps(t().ctx, {
        transport: smtp.transport,
        templates: registries.emailTemplates,
        hooks: registries.deliveryHooks,
      }),
    );
  const settingsOf = async (cookie: string) =>
    (
      (
        await app().inject({ method: 'GET', url: '/api/me/notifications', headers: { cookie } })
      ).json() as MyNotifications
    ).settings;

  it("the email's List-Unsubscribe link turns off that kind only, by a mail provider's one-click POST", async () => {
    const { ctx } = t();
    smtp.peer.reset();
    const { community, leader, leaderCookie } = await ledPrivateCommunity(ctx);
    await app().inject({
      method: 'PATCH',
      url: '/api/me/notifications',
      headers: { cookie: leaderCookie },
      payload: { joinRequests: 'immediate' },
    });
    const asker = await buildPerson(ctx);
    await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/join`,
      headers: { cookie: await sessionCookie(ctx, asker.id) },
    });
    await send();
    const [m] = await smtp.peer.waitFor(1);
    expect(m.to).toContain(leader.email);
    expect(m.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const link = new URL(/^<(.+)>$/.exec(m.headers['list-unsubscribe'])![1]);
    expect(link.pathname).toMatch(/^\/notifications\/unsubscribe\/[\w-]+$/);
    // opaque: the link names neither the person nor the kind
    const sealed = Buffer.from(link.pathname.split('/').at(-1)!, 'base64url').toString('latin1');
    expect(sealed).not.toContain('join_requests');
    expect(sealed).not.toContain(`:${leader.id}`);

    const res = await app().inject({
      method: 'POST',
      url: link.pathname,
      payload: 'List-Unsubscribe=One-Click',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'cross-site',
        origin: 'https://mail.example.com',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'join_requests', email: expect.stringMatching(/\*\*\*@/), unsubscribed: true });
    expect(await settingsOf(leaderCookie)).toMatchObject({ joinRequests: 'off', requestApproved: 'immediate' });
    // invitations are not touched
    expect(await findSuppression(ctx.db, leader.email!)).toBeUndefined();

    // The next request reaches nobody.
    await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/join`,
      headers: { cookie: await sessionCookie(ctx, (await buildPerson(ctx)).id) },
    });
    await send();
    expect(
      await ctx.db.selectFrom('email_outbox').select('id').where('to_address', '=', leader.email!).execute(),
    ).toHaveLength(1);
  });

  it('the page reads the status and unsubscribes by the API; other tokens are refused', async () => {
    const { ctx } = t();
    const person = await buildPerson(ctx);
    const cookie = await sessionCookie(ctx, person.id);
    const token = notificationUnsubscribeToken(ctx.config, 'request_approved', person.id);
    const status = await app().inject({ method: 'GET', url: `/api/notifications/unsubscribe/${token}` });
    expect(status.json()).toMatchObject({ kind: 'request_approved', unsubscribed: false });
    const res = await app().inject({ method: 'POST', url: `/api/notifications/unsubscribe/${token}`, payload: {} });
    expect(res.json()).toMatchObject({ kind: 'request_approved', unsubscribed: true });
    expect(
      (await app().inject({ method: 'GET', url: `/api/notifications/unsubscribe/${token}` })).json().unsubscribed,
    ).toBe(true);
    expect(await settingsOf(cookie)).toEqual({
      joinRequests: 'daily',
      requestApproved: 'off',
      accountApproved: 'immediate',
      approvalQueue: 'daily',
    });

    const refused = [
      `${token.slice(0, -2)}xx`,
      // an invitation unsubscribe link is not a notification one
      unsubscribeToken(ctx.config, person.email!),
      // a person who no longer exists
      notificationUnsubscribeToken(ctx.config, 'join_requests', 2_000_000_000),
    ];
    for (const bad of refused) {
      const r = await app().inject({ method: 'POST', url: `/api/notifications/unsubscribe/${bad}`, payload: {} });
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('unsubscribe_link_invalid');
    }
    // …and a notification link is not an invitation one
    const asInvitation = await app().inject({ method: 'GET', url: `/api/unsubscribe/${token}` });
    expect(asInvitation.statusCode).toBe(404);
  });
});
