/**
 * The invitation email's link after the invitation expired: the community's answer says so and
 * what to do — join a community open to the person, else ask a leader again. Both databases,
 * manual clock.
 */
import { expect, it } from 'vitest';
import type { Privacy } from '../../shared/enums.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { sweepExpiredInvitations } from './invitation-expiry.service.js';
import { invite, ledCommunity } from './invitation-test-helpers.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDb('an expired invitation’s link', (t) => {
  const app = useTestApp(t);

  async function expiredIn(privacy: Privacy) {
    const { ctx, clock } = t();
    const led = await ledCommunity(ctx, { privacy });
    const person = await buildPerson(ctx);
    await invite(app(), led.cookie, led.community.id, { personIds: [person.id], sendEmail: false, expiresInDays: 1 });
    clock.advance(DAY - 1);
    await sweepExpiredInvitations(ctx);
    const open = await app().inject({
      url: `/api/communities/${led.community.id}`,
      headers: { cookie: await sessionCookie(ctx, person.id) },
    });
    expect(open.json()).toMatchObject({ myState: 'invited', myInvitationExpired: false });
    clock.advance(1);
    await sweepExpiredInvitations(ctx);
    const cookie = await sessionCookie(ctx, person.id);
    return {
      ...led,
      cookie,
      answer: await app().inject({ url: `/api/communities/${led.community.id}`, headers: { cookie } }),
    };
  }

  it('a public community shows its page, says the invitation expired, and offers Join', async () => {
    const { answer, community, cookie } = await expiredIn('public');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ myInvitationExpired: true, myState: 'removed', can: { join: 'join' } });
    const join = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/join`,
      headers: { cookie },
    });
    expect(join.statusCode).toBe(200);
    const after = await app().inject({ url: `/api/communities/${community.id}`, headers: { cookie } });
    expect(after.json()).toMatchObject({ myInvitationExpired: false, myState: 'joined' });
  });

  it('a private community offers a request to join', async () => {
    const { answer } = await expiredIn('private');
    expect(answer.json()).toMatchObject({ myInvitationExpired: true, can: { join: 'request' } });
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
