/** An invitation made before the person had an account waits for their first sign-in. Both databases. */
import { expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
import { Browser, latestSignInEmail } from '../auth/testing.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { freshEmail, invite, ledCommunity } from './invitation-test-helpers.js';

describeEachDb('invitations waiting for a first sign-in', (t) => {
  const app = useTestApp(t);

  it('an address the site did not know signs in, becomes active, sees both invitations and joins at once', async () => {
    const { ctx } = t();
    const first = await ledCommunity(ctx, { privacy: 'invite_only', name: 'First Circle' });
    const second = await ledCommunity(ctx, { privacy: 'private', name: 'Second Circle' });
    const email = freshEmail('first-sign-in');
    await invite(app(), first.cookie, first.community.id, { emails: `Nia Newcomer <${email}>` });
    t().clock.advance(1000);
    await invite(app(), second.cookie, second.community.id, { emails: email, sendEmail: false });

    const browser = new Browser(app);
    expect((await browser.post('/api/auth/code', { email })).statusCode).toBe(200);
    const mail = await latestSignInEmail(ctx, email);
    const signedIn = await browser.post('/api/auth/verify', { email, code: mail?.code });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().me).toMatchObject({ email, status: 'active', firstName: 'Nia', lastName: 'Newcomer' });

    const home = (await browser.get('/api/me/recommended-communities')).json() as RecommendedCommunities;
    expect(home.invitations.map((i) => i.community.name)).toEqual(['Second Circle', 'First Circle']);
    expect(home.invitations[1].invitedBy).toEqual({ name: 'Lena Leader' });
    const joined = await browser.post(`/api/communities/${first.community.id}/join`, {});
    expect(joined.json()).toMatchObject({ state: 'joined' });
    const after = (await browser.get('/api/me/recommended-communities')).json() as RecommendedCommunities;
    expect(after.communities.map((c) => c.name)).toEqual(['First Circle']);
    expect(after.invitations.map((i) => i.community.name)).toEqual(['Second Circle']);
  });
});
