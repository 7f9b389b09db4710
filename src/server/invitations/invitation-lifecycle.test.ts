/** After the invite: the Invited directory, revoke, resend, Recommended Communities, Not now, deactivation. Both databases. */
import { expect, it } from 'vitest';
import type { InvitedMembersPage, RecommendedCommunities } from '../../shared/invitations.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity, membershipOf, outboxTo } from './invitation-test-helpers.js';

const hour = 60 * 60 * 1000;

describeEachDb('invitations after the invite', (t) => {
  const app = useTestApp(t);
  const post = (url: string, cookie: string) => app().inject({ method: 'POST', url, headers: { cookie } });
  const get = (url: string, cookie: string) => app().inject({ method: 'GET', url, headers: { cookie } });

  it('the Invited directory shows who invited, when, how and the email state, newest first; members may not see it', async () => {
    const { ctx } = t();
    const { community, cookie, leader } = await ledCommunity(ctx);
    const pre = await buildPerson(ctx, { status: 'pre_verified', firstName: 'Pre' });
    await invite(app(), cookie, community.id, { personIds: [pre.id] });
    t().clock.advance(1000);
    const email = freshEmail('dir');
    await invite(app(), cookie, community.id, { emails: email });
    const res = await get(`/api/communities/${community.id}/invitations`, cookie);
    expect(res.statusCode).toBe(200);
    const page = res.json() as InvitedMembersPage;
    expect(page.total).toBe(2);
    expect(page.items.map((i) => i.email)).toEqual([email, pre.email]);
    expect(page.items[0]).toMatchObject({
      invitedBy: { id: leader.id, name: 'Lena Leader' },
      source: 'direct',
      emailStatus: 'queued',
      // a leader is not told a person's site status
      status: null,
      invitedAt: ctx.clock.now(),
    });
    expect(page.items[1]).toMatchObject({ emailStatus: 'pre_verified', resendAllowedAt: null });
    const viaMembers = (
      await get(`/api/communities/${community.id}/members?state=invited`, cookie)
    ).json() as InvitedMembersPage;
    expect(viaMembers).toEqual(page);
    const search = (
      await get(`/api/communities/${community.id}/invitations?q=pre`, cookie)
    ).json() as InvitedMembersPage;
    expect(search.items.map((i) => i.personId)).toEqual([pre.id]);
    const paged = (
      await get(`/api/communities/${community.id}/invitations?limit=1`, cookie)
    ).json() as InvitedMembersPage;
    expect(paged.items).toHaveLength(1);
    const next = (
      await get(`/api/communities/${community.id}/invitations?limit=1&cursor=${paged.nextCursor}`, cookie)
    ).json() as InvitedMembersPage;
    expect(next.items.map((i) => i.personId)).toEqual([pre.id]);
    const member = await buildPerson(ctx);
    await addMembership(ctx, community.id, member.id, 'joined');
    expect(
      (await get(`/api/communities/${community.id}/invitations`, await sessionCookie(ctx, member.id))).statusCode,
    ).toBe(403);
  });

  it('revoke closes the invitation and drops its still-queued email; a second revoke is 404; they can be invited again', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    await invite(app(), cookie, community.id, { personIds: [person.id] });
    const res = await post(`/api/communities/${community.id}/invitations/${person.id}/revoke`, cookie);
    expect(res.statusCode).toBe(200);
    expect(await membershipOf(ctx, community.id, person.id)).toMatchObject({ state: 'removed' });
    expect((await outboxTo(ctx, person.email as string))[0]).toMatchObject({
      state: 'failed',
      last_error: 'invitation revoked',
    });
    expect((await post(`/api/communities/${community.id}/invitations/${person.id}/revoke`, cookie)).statusCode).toBe(
      404,
    );
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'target_id'])
      .where('target_id', 'in', [String(community.id), `${community.id}:${person.id}`])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['invitation.invite', 'invitation.revoke']);
    const personCookie = await sessionCookie(ctx, person.id);
    const home = (await get('/api/me/recommended-communities', personCookie)).json() as RecommendedCommunities;
    expect(home.invitations.map((i) => i.community.id)).not.toContain(community.id);
    const again = await invite(app(), cookie, community.id, { personIds: [person.id] });
    expect(again.body.results[0].outcome).toBe('invited');
  });

  it('resend: at most once an hour (429 resend_too_soon), never for pre-verified or suppressed people', async () => {
    const { ctx } = t();
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    const quiet = await buildPerson(ctx);
    const pre = await buildPerson(ctx, { status: 'pre_verified' });
    const suppressed = await buildPerson(ctx);
    await ctx.db
      .insertInto('suppression')
      .values({
        email: suppressed.email as string,
        reason: 'unsubscribed',
        scope: 'marketing',
        detail: null,
        created_at: ctx.clock.now(),
      })
      .execute();
    await invite(app(), cookie, community.id, { personIds: [person.id, pre.id, suppressed.id] });
    await invite(app(), cookie, community.id, { personIds: [quiet.id], sendEmail: false });
    const resend = (id: number) => post(`/api/communities/${community.id}/invitations/${id}/resend`, cookie);

    const soon = await resend(person.id);
    expect(soon.statusCode).toBe(429);
    expect(soon.json().error.code).toBe('resend_too_soon');
    t().clock.advance(hour);
    const ok = await resend(person.id);
    expect(ok.statusCode).toBe(200);
    const mails = await outboxTo(ctx, person.email as string);
    expect(mails).toHaveLength(2);
    expect((await membershipOf(ctx, community.id, person.id))?.email_outbox_id).toBe(
      Math.max(...mails.map((m) => m.id)),
    );
    expect((await resend(person.id)).statusCode).toBe(429);

    // Never emailed (box unchecked): the first send is allowed at once.
    expect((await resend(quiet.id)).statusCode).toBe(200);
    expect(await outboxTo(ctx, quiet.email as string)).toHaveLength(1);

    for (const p of [pre, suppressed]) {
      const refused = await resend(p.id);
      expect(refused.statusCode).toBe(409);
      expect(await outboxTo(ctx, p.email as string)).toHaveLength(0);
    }
    expect((await resend(999_999)).statusCode).toBe(404);
  });

  it('Recommended Communities: invitations newest first with who invited, then my communities, then public suggestions', async () => {
    const { ctx } = t();
    const person = await buildPerson(ctx);
    const cookie = await sessionCookie(ctx, person.id);
    const older = await ledCommunity(ctx, { privacy: 'invite_only' });
    const newer = await ledCommunity(ctx, { privacy: 'private' });
    const mine = await buildCommunity(ctx);
    const suggestion = await buildCommunity(ctx, { privacy: 'public' });
    const privateOther = await buildCommunity(ctx, { privacy: 'private' });
    await addMembership(ctx, mine.id, person.id, 'joined');
    await invite(app(), older.cookie, older.community.id, { personIds: [person.id], message: 'first' });
    t().clock.advance(5000);
    await invite(app(), newer.cookie, newer.community.id, { personIds: [person.id] });
    const home = (await get('/api/me/recommended-communities', cookie)).json() as RecommendedCommunities;
    expect(home.invitations.map((i) => i.community.id)).toEqual([newer.community.id, older.community.id]);
    expect(home.invitations[1]).toMatchObject({
      community: {
        id: older.community.id,
        name: older.community.name,
        headline: older.community.headline,
        slug: older.community.slug,
      },
      invitedBy: { name: 'Lena Leader' },
      message: 'first',
    });
    expect(home.communities.map((c) => c.id)).toEqual([mine.id]);
    const suggested = home.suggestions.map((c) => c.id);
    expect(suggested).toContain(suggestion.id);
    for (const id of [mine.id, older.community.id, newer.community.id, privateOther.id])
      expect(suggested).not.toContain(id);
  });

  it('Join on an invitation to an invite-only community joins at once; Not now dismisses; then it is gone from home', async () => {
    const { ctx } = t();
    const person = await buildPerson(ctx);
    const cookie = await sessionCookie(ctx, person.id);
    const a = await ledCommunity(ctx, { privacy: 'invite_only' });
    const b = await ledCommunity(ctx, { privacy: 'private' });
    await invite(app(), a.cookie, a.community.id, { personIds: [person.id] });
    await invite(app(), b.cookie, b.community.id, { personIds: [person.id] });
    const joined = await post(`/api/communities/${a.community.id}/join`, cookie);
    expect(joined.json()).toMatchObject({ state: 'joined' });
    expect((await post(`/api/communities/${b.community.id}/dismiss`, cookie)).statusCode).toBe(200);
    expect(await membershipOf(ctx, b.community.id, person.id)).toMatchObject({ state: 'dismissed' });
    expect((await post(`/api/communities/${b.community.id}/dismiss`, cookie)).statusCode).toBe(404);
    const home = (await get('/api/me/recommended-communities', cookie)).json() as RecommendedCommunities;
    expect(home.invitations).toEqual([]);
    expect(home.communities.map((c) => c.id)).toEqual([a.community.id]);
    // A leader may invite again after "Not now".
    expect((await invite(app(), b.cookie, b.community.id, { personIds: [person.id] })).body.results[0].outcome).toBe(
      'invited',
    );
  });

  it('deactivation closes open invitations; reactivation does not reopen them', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const adminCookie = await sessionCookie(ctx, admin.id);
    const { community, cookie } = await ledCommunity(ctx);
    const person = await buildPerson(ctx);
    await invite(app(), cookie, community.id, { personIds: [person.id] });
    expect((await post(`/api/admin/people/${person.id}/deactivate`, adminCookie)).statusCode).toBe(200);
    expect((await membershipOf(ctx, community.id, person.id))?.state).not.toBe('invited');
    expect((await post(`/api/admin/people/${person.id}/reactivate`, adminCookie)).statusCode).toBe(200);
    expect((await membershipOf(ctx, community.id, person.id))?.state).not.toBe('invited');
  });
});
