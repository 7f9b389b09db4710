/**
 * The invitee's answers: "Not now" hides an open invitation (still open, the community's public
 * face still reachable), restore brings it back, decline ends it (leaders see "declined", a later
 * invite is allowed). Both databases.
 */
import { expect, it } from 'vitest';
import type { InvitedMembersPage, RecommendedCommunities } from '../../shared/invitations.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { invite, ledCommunity, membershipOf } from './invitation-test-helpers.js';

describeEachDb('answering an invitation', (t) => {
  const app = useTestApp(t);
  const post = (url: string, cookie: string) => app().inject({ method: 'POST', url, headers: { cookie } });
  const get = (url: string, cookie: string) => app().inject({ method: 'GET', url, headers: { cookie } });
  const home = async (cookie: string, hidden = false) =>
    (
      await get(`/api/me/recommended-communities${hidden ? '?hidden=true' : ''}`, cookie)
    ).json() as RecommendedCommunities;

  async function invitedTo(privacy: 'public' | 'private' | 'invite_only') {
    const { ctx } = t();
    const led = await ledCommunity(ctx, { privacy });
    const person = await buildPerson(ctx);
    await invite(app(), led.cookie, led.community.id, { personIds: [person.id], sendEmail: false });
    return { ...led, person, personCookie: await sessionCookie(ctx, person.id) };
  }

  it('Not now hides an invite-only invitation, which stays open and visible; restore brings it back', async () => {
    const { community, person, personCookie, cookie } = await invitedTo('invite_only');
    expect((await home(personCookie)).invitations.map((i) => i.community.id)).toEqual([community.id]);

    expect((await post(`/api/communities/${community.id}/dismiss`, personCookie)).statusCode).toBe(200);
    expect((await home(personCookie)).invitations).toEqual([]);
    const hidden = await home(personCookie, true);
    expect(hidden.invitations.map((i) => i.community.id)).toEqual([community.id]);
    expect(hidden.communities).toEqual([]);
    expect((await membershipOf(t().ctx, community.id, person.id))?.state).toBe('dismissed');

    // still open: the public face answers, and the leaders' Invited directory lists it as open
    const face = await get(`/api/communities/${community.id}`, personCookie);
    expect(face.statusCode).toBe(200);
    const invited = (await get(`/api/communities/${community.id}/invitations`, cookie)).json() as InvitedMembersPage;
    expect(invited.items.map((i) => [i.personId, i.invitation])).toEqual([[person.id, 'open']]);
    expect(invited.total).toBe(1);

    expect((await post(`/api/communities/${community.id}/restore`, personCookie)).statusCode).toBe(200);
    expect((await home(personCookie)).invitations.map((i) => i.community.id)).toEqual([community.id]);
    expect((await home(personCookie, true)).invitations).toEqual([]);
    // restoring an invitation that is not hidden is 404, and so is a second one
    expect((await post(`/api/communities/${community.id}/restore`, personCookie)).statusCode).toBe(404);
  });

  it('a hidden invite-only invitation can still be joined', async () => {
    const { community, person, personCookie } = await invitedTo('invite_only');
    await post(`/api/communities/${community.id}/dismiss`, personCookie);
    expect((await post(`/api/communities/${community.id}/join`, personCookie)).statusCode).toBe(200);
    expect((await membershipOf(t().ctx, community.id, person.id))?.state).toBe('joined');
    expect((await post(`/api/communities/${community.id}/restore`, personCookie)).statusCode).toBe(404);
  });

  it('decline ends the invitation: off home, "declined" to leaders, and a later invite is allowed', async () => {
    const { community, person, personCookie, cookie } = await invitedTo('invite_only');
    expect((await post(`/api/communities/${community.id}/decline`, personCookie)).statusCode).toBe(200);
    expect((await home(personCookie)).invitations).toEqual([]);
    expect((await home(personCookie, true)).invitations).toEqual([]);
    expect((await membershipOf(t().ctx, community.id, person.id))?.state).toBe('left');
    // an invite-only community is out of reach again once the invitation has ended
    expect((await get(`/api/communities/${community.id}`, personCookie)).statusCode).toBe(404);
    expect((await post(`/api/communities/${community.id}/decline`, personCookie)).statusCode).toBe(404);

    const page = (await get(`/api/communities/${community.id}/invitations`, cookie)).json() as InvitedMembersPage;
    expect(page.items.map((i) => [i.personId, i.invitation, i.resendAllowedAt])).toEqual([
      [person.id, 'declined', null],
    ]);
    expect(page.total).toBe(0);

    t().clock.advance(1000);
    const again = await invite(app(), cookie, community.id, { personIds: [person.id], sendEmail: false });
    expect(again.body.summary).toMatchObject({ invited: 1 });
    expect((await home(personCookie)).invitations.map((i) => i.community.id)).toEqual([community.id]);
    const reopened = (await get(`/api/communities/${community.id}/invitations`, cookie)).json() as InvitedMembersPage;
    expect(reopened.items.map((i) => i.invitation)).toEqual(['open']);
  });

  it('a hidden invitation can be declined too; a leader can revoke a hidden one', async () => {
    const a = await invitedTo('private');
    await post(`/api/communities/${a.community.id}/dismiss`, a.personCookie);
    expect((await post(`/api/communities/${a.community.id}/decline`, a.personCookie)).statusCode).toBe(200);
    expect((await membershipOf(t().ctx, a.community.id, a.person.id))?.state).toBe('left');
    expect((await home(a.personCookie, true)).invitations).toEqual([]);

    const b = await invitedTo('public');
    await post(`/api/communities/${b.community.id}/dismiss`, b.personCookie);
    const revoke = await post(`/api/communities/${b.community.id}/invitations/${b.person.id}/revoke`, b.cookie);
    expect(revoke.statusCode).toBe(200);
    expect((await home(b.personCookie, true)).invitations).toEqual([]);
    const page = (await get(`/api/communities/${b.community.id}/invitations`, b.cookie)).json() as InvitedMembersPage;
    expect(page.items).toEqual([]);
  });

  it('someone without an invitation cannot decline, dismiss or restore', async () => {
    const { community } = await ledCommunity(t().ctx, { privacy: 'public' });
    const stranger = await sessionCookie(t().ctx, (await buildPerson(t().ctx)).id);
    for (const answer of ['decline', 'dismiss', 'restore'])
      expect((await post(`/api/communities/${community.id}/${answer}`, stranger)).statusCode, answer).toBe(404);
  });
});
