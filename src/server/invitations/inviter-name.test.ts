/**
 * Who invited (and who acted): an admin made by `convene admin add` may have no name, so every
 * "Invited by" and the person page's activity show their email rather than a blank, a wrong
 * "A leader" or "by the system". Both databases.
 */
import { expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
import { buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { invite } from './invitation-test-helpers.js';

describeEachDb('an admin with no name as inviter or actor', (t) => {
  const app = useTestApp(t);

  it('is shown by email on the home screen, in the Invited directory and on the person page', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx, { firstName: '', lastName: '', email: 'root-no-name@example.edu' });
    const adminCookie = await sessionCookie(ctx, admin.id);
    const community = await buildCommunity(ctx, { privacy: 'public' });
    const invitee = await buildPerson(ctx, { firstName: 'Ines', lastName: 'Invitee' });
    expect((await invite(app(), adminCookie, community.id, { personIds: [invitee.id], sendEmail: false })).status).toBe(
      200,
    );

    const home = (
      await app().inject({
        method: 'GET',
        url: '/api/me/recommended-communities',
        headers: { cookie: await sessionCookie(ctx, invitee.id) },
      })
    ).json() as RecommendedCommunities;
    expect(home.invitations[0].invitedBy).toEqual({ name: 'root-no-name@example.edu' });

    const directory = (
      await app().inject({
        method: 'GET',
        url: `/api/communities/${community.id}/invitations`,
        headers: { cookie: adminCookie },
      })
    ).json();
    expect(directory.items[0].invitedBy).toEqual({ id: admin.id, name: 'root-no-name@example.edu' });

    const person = (
      await app().inject({ method: 'GET', url: `/api/admin/people/${invitee.id}`, headers: { cookie: adminCookie } })
    ).json();
    expect(person.memberships[0].invitedBy).toBe('root-no-name@example.edu');
  });

  it('an admin with no name acting on a person shows by email in the activity list, not as "the system"', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx, { firstName: '', lastName: '', email: 'root-acts@example.edu' });
    const adminCookie = await sessionCookie(ctx, admin.id);
    const person = await buildPerson(ctx);
    expect(
      (
        await app().inject({
          method: 'POST',
          url: `/api/admin/people/${person.id}/deactivate`,
          headers: { cookie: adminCookie },
          payload: {},
        })
      ).statusCode,
    ).toBe(200);
    const audit = (
      await app().inject({
        method: 'GET',
        url: `/api/admin/audit?targetType=person&targetId=${person.id}`,
        headers: { cookie: adminCookie },
      })
    ).json();
    expect(audit.items[0]).toMatchObject({
      action: 'person.deactivate',
      actorId: admin.id,
      actorName: 'root-acts@example.edu',
    });
  });
});
