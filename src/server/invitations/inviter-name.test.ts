/**
 * Who invited: an admin made by `convene admin add` has no name yet, so every "Invited by" shows
 * their email rather than a blank or a wrong "A leader". Both databases.
 */
import { expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
import { buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { invite } from './invitation-test-helpers.js';

describeEachDb('the inviter of an admin with no name', (t) => {
  const app = useTestApp(t);

  it('is shown by email on the home screen, in the Invited directory and on the person page', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx, { firstName: '', lastName: '', email: 'root-no-name@example.edu' });
    const adminCookie = await sessionCookie(ctx, admin.id);
    const community = await buildCommunity(ctx, { privacy: 'public' });
    const invitee = await buildPerson(ctx, { firstName: 'Ines', lastName: 'Invitee' });
    expect((await invite(app(), adminCookie, community.id, { personIds: [invitee.id], sendEmail: false })).status).toBe(200);

    const home = (await app().inject({ method: 'GET', url: '/api/me/recommended-communities', headers: { cookie: await sessionCookie(ctx, invitee.id) } }))
      .json() as RecommendedCommunities;
    expect(home.invitations[0].invitedBy).toEqual({ name: 'root-no-name@example.edu' });

    const directory = (await app().inject({ method: 'GET', url: `/api/communities/${community.id}/invitations`, headers: { cookie: adminCookie } })).json();
    expect(directory.items[0].invitedBy).toEqual({ id: admin.id, name: 'root-no-name@example.edu' });

    const person = (await app().inject({ method: 'GET', url: `/api/admin/people/${invitee.id}`, headers: { cookie: adminCookie } })).json();
    expect(person.memberships[0].invitedBy).toBe('root-no-name@example.edu');
  });
});
