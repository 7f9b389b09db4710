/**
 * The invitation email's link after the invitation expired: the community's answer says so and
 * what to do — join a community open to the person, else ask a leader again. An expired
 * invitation is as if there had been none: Join joins a public community, asks to join a private
 * one, and the community's landing page joins the person whatever the privacy (a revoked
 * invitation, like a leader's removal, does not let the landing page join them). Both databases,
 * manual clock.
 */
import { expect, it } from 'vitest';
import type { Privacy } from '../../shared/enums.js';
import { lastCodeEmail } from '../landing/landing.test-helpers.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { sweepExpiredInvitations } from './invitation-expiry.service.js';
import { invite, ledCommunity, membershipOf } from './invitation-test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDb('an expired invitation’s link', (t) => {
  const app = useTestApp(t);

  async function expiredIn(
    privacy: Privacy,
    options: { landingEnabled?: boolean; status?: 'active' | 'invited' } = {},
  ) {
    const { ctx, clock } = t();
    const led = await ledCommunity(ctx, { privacy, landingEnabled: options.landingEnabled });
    const person = await buildPerson(ctx, { status: options.status ?? 'active' });
    await invite(app(), led.cookie, led.community.id, { personIds: [person.id], sendEmail: false, expiresInDays: 1 });
    clock.advance(DAY - 1);
    await sweepExpiredInvitations(ctx);
    expect(await membershipOf(ctx, led.community.id, person.id)).toMatchObject({ state: 'invited' });
    if (person.status === 'active') {
      const open = await app().inject({
        url: `/api/communities/${led.community.id}`,
        headers: { cookie: await sessionCookie(ctx, person.id) },
      });
      expect(open.json()).toMatchObject({ myState: 'invited', myInvitationExpired: false });
    }
    clock.advance(1);
    await sweepExpiredInvitations(ctx);
    expect(await membershipOf(ctx, led.community.id, person.id)).toMatchObject({ state: 'left', ended_by: 'expire' });
    const cookie = await sessionCookie(ctx, person.id);
    return {
      ...led,
      person,
      cookie,
      answer: await app().inject({ url: `/api/communities/${led.community.id}`, headers: { cookie } }),
    };
  }

  it('a public community shows its page, says the invitation expired, and offers Join', async () => {
    const { answer, community, cookie } = await expiredIn('public');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ myInvitationExpired: true, myState: 'left', can: { join: 'join' } });
    const join = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/join`,
      headers: { cookie },
    });
    expect(join.statusCode).toBe(200);
    const after = await app().inject({ url: `/api/communities/${community.id}`, headers: { cookie } });
    expect(after.json()).toMatchObject({ myInvitationExpired: false, myState: 'joined' });
  });

  it('a private community offers a request to join, and Join asks to join', async () => {
    const { answer, community, cookie, person } = await expiredIn('private');
    expect(answer.json()).toMatchObject({ myInvitationExpired: true, can: { join: 'request' } });
    const join = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/join`,
      headers: { cookie },
    });
    expect(join.statusCode).toBe(200);
    expect(join.json()).toMatchObject({ state: 'requested' });
    expect(await membershipOf(t().ctx, community.id, person.id)).toMatchObject({ state: 'requested' });
  });

  it('the landing page of an invite-only community joins a member whose invitation expired', async () => {
    const { community, cookie, person } = await expiredIn('invite_only', { landingEnabled: true });
    const join = await app().inject({
      method: 'POST',
      url: `/api/landing/${community.slug}/join`,
      headers: { cookie },
    });
    expect(join.statusCode).toBe(200);
    expect(join.json()).toMatchObject({ outcome: 'joined', communityId: community.id });
    expect(await membershipOf(t().ctx, community.id, person.id)).toMatchObject({ state: 'joined', ended_by: null });
  });

  it('the email’s landing link joins a person invited by address alone, after their invitation expired', async () => {
    const { community, person } = await expiredIn('invite_only', { landingEnabled: true, status: 'invited' });
    const email = person.email as string;
    const asked = await app().inject({
      method: 'POST',
      url: `/api/landing/${community.slug}/code`,
      payload: { email },
    });
    expect(asked.statusCode).toBe(200);
    const { code } = await lastCodeEmail(t().ctx, email);
    const verified = await app().inject({
      method: 'POST',
      url: `/api/landing/${community.slug}/verify`,
      payload: { email, code },
      headers: {
        cookie: ([] as string[])
          .concat(asked.headers['set-cookie'] ?? [])
          .map((c) => c.split(';')[0])
          .join('; '),
      },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ outcome: 'joined', signedIn: true });
    expect(await membershipOf(t().ctx, community.id, person.id)).toMatchObject({ state: 'joined' });
  });

  it('a revoked invitation stays closed on the landing page', async () => {
    const { ctx } = t();
    const led = await ledCommunity(ctx, { privacy: 'invite_only', landingEnabled: true });
    const person = await buildPerson(ctx);
    await invite(app(), led.cookie, led.community.id, { personIds: [person.id], sendEmail: false });
    const revoked = await app().inject({
      method: 'POST',
      url: `/api/communities/${led.community.id}/invitations/${person.id}/revoke`,
      headers: { cookie: led.cookie },
    });
    expect(revoked.statusCode).toBe(200);
    const join = await app().inject({
      method: 'POST',
      url: `/api/landing/${led.community.slug}/join`,
      headers: { cookie: await sessionCookie(ctx, person.id) },
    });
    expect(join.json()).toMatchObject({ outcome: 'not_joined' });
    expect(await membershipOf(ctx, led.community.id, person.id)).toMatchObject({
      state: 'removed',
      ended_by: 'revoke',
    });
  });

  it('an invite-only community answers invitation_expired: ask a leader again', async () => {
    const { answer, community } = await expiredIn('invite_only');
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toMatchObject({
      error: {
        code: 'invitation_expired',
        message: `Your invitation to ${community.name} has expired. Ask one of its leaders to invite you again.`,
        details: { communityName: community.name },
      },
      // every error answer names its request, as in the X-Request-Id header
      requestId: answer.headers['x-request-id'],
    });
  });
});
