/** Who may open a landing page to anyone, and closed sign-up binding every landing page. */
import { expect, it } from 'vitest';
import { insertCommunity } from '../communities/community.repository.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, lastCodeEmail, membershipOf, personByEmail } from './landing.test-helpers.js';

let seq = 0;
const freshEmail = () => `reach${process.pid}x${Date.now().toString(36)}${seq++}@example.test`;

describeEachDb('landing pages: leaders reach', (t) => {
  const app = useTestApp(t);

  async function patchAs(personId: number, communityId: number, payload: Record<string, unknown>) {
    const cookie = await sessionCookie(t().ctx, personId);
    return app().inject({
      method: 'PATCH',
      url: `/api/communities/${communityId}/landing`,
      headers: { cookie },
      payload,
    });
  }

  async function ledBy() {
    const c = await insertCommunity(
      t().ctx.db,
      { name: `Led ${seq}`, slug: `led-${seq++}`, headline: '', description: '', privacy: 'public', createdBy: null },
      t().clock.now(),
    );
    const leader = await buildPerson(t().ctx);
    await addMembership(t().ctx, c.id, leader.id, 'joined', 'leader');
    return { c, leader };
  }

  const policyOf = async (id: number) =>
    (await t().ctx.db.selectFrom('community').select('landing_policy').where('id', '=', id).executeTakeFirstOrThrow())
      .landing_policy;

  it('lets only an admin choose "anyone"; a leader gets 403 landing_policy_admin_only and may choose the others', async () => {
    const { c, leader } = await ledBy();
    const refused = await patchAs(leader.id, c.id, { landingEnabled: true, landingPolicy: 'anyone' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'landing_policy_admin_only' } });
    expect(await policyOf(c.id)).not.toBe('anyone');
    // the community's own PATCH route carries the landing fields too, under the same rule
    const cookie = await sessionCookie(t().ctx, leader.id);
    const viaCommunity = await app().inject({
      method: 'PATCH',
      url: `/api/communities/${c.id}`,
      headers: { cookie },
      payload: { landingEnabled: true, landingPolicy: 'anyone' },
    });
    expect(viaCommunity.statusCode).toBe(403);
    expect(viaCommunity.json()).toMatchObject({ error: { code: 'landing_policy_admin_only' } });
    expect(await policyOf(c.id)).not.toBe('anyone');

    expect((await patchAs(leader.id, c.id, { landingPolicy: 'known' })).json()).toMatchObject({
      landingPolicy: 'known',
    });
    const domains = await patchAs(leader.id, c.id, { landingPolicy: 'domains', landingDomains: ['uni.example'] });
    expect(domains.json()).toMatchObject({ landingPolicy: 'domains', landingDomains: ['uni.example'] });

    const admin = await buildAdmin(t().ctx);
    const opened = await patchAs(admin.id, c.id, { landingEnabled: true, landingPolicy: 'anyone' });
    expect(opened.json()).toMatchObject({ landingEnabled: true, landingPolicy: 'anyone' });
    // The leader's form sends back what the admin chose while editing the words: that is no change.
    const edited = await patchAs(leader.id, c.id, { landingPolicy: 'anyone', landingHeadline: 'Welcome' });
    expect(edited.json()).toMatchObject({ landingPolicy: 'anyone', landingHeadline: 'Welcome' });
  });

  it('a page a leader switches on admits only known people, never an inherited "anyone"', async () => {
    const { c, leader } = await ledBy();
    // a community created from now on starts on the safe policy
    expect(await policyOf(c.id)).toBe('known');
    // one switched off with "anyone" (the old default, or an admin closed it) drops to "known"
    await t()
      .ctx.db.updateTable('community')
      .set({ landing_enabled: 0, landing_policy: 'anyone' })
      .where('id', '=', c.id)
      .execute();
    const res = await patchAs(leader.id, c.id, { landingEnabled: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ landingEnabled: true, landingPolicy: 'known' });
    // an admin switching it on keeps their choice
    const admin = await buildAdmin(t().ctx);
    await patchAs(admin.id, c.id, { landingEnabled: false, landingPolicy: 'anyone' });
    expect((await patchAs(admin.id, c.id, { landingEnabled: true })).json()).toMatchObject({ landingPolicy: 'anyone' });
  });

  async function openPage() {
    const c = await buildCommunity(t().ctx, { landingEnabled: true });
    await t().ctx.db.updateTable('community').set({ landing_policy: 'anyone' }).where('id', '=', c.id).execute();
    return c;
  }

  async function verify(slug: string, email: string) {
    const b = new Browser(app, `198.51.100.${(seq % 200) + 1}`);
    expect((await b.request('POST', `/api/landing/${slug}/code`, { email })).statusCode).toBe(200);
    const { code } = await lastCodeEmail(t().ctx, email);
    return b.request('POST', `/api/landing/${slug}/verify`, { email, code, firstName: 'New', lastName: 'Comer' });
  }

  const closeSignUp = () =>
    t()
      .ctx.db.insertInto('site_setting')
      .values({ key: 'signup_open', value: 'false', updated_at: t().clock.now() })
      .execute();

  it('closed sign-up: an unknown visitor on any page is told so, and nothing is written', async () => {
    const open = await openPage();
    const known = await buildCommunity(t().ctx, { landingEnabled: true });
    await t().ctx.db.updateTable('community').set({ landing_policy: 'known' }).where('id', '=', known.id).execute();
    await closeSignUp();
    try {
      await expectClosed([open, known]);
    } finally {
      await t().ctx.db.deleteFrom('site_setting').where('key', '=', 'signup_open').execute();
    }
  });

  async function expectClosed(pages: readonly { id: number; slug: string }[]) {
    for (const c of pages) {
      const email = freshEmail();
      const res = await verify(c.slug, email);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        error: { code: 'sign_up_closed', message: 'This site does not accept new sign-ups.' },
      });
      expect(await personByEmail(t().ctx, email)).toBeUndefined();
      const stats = await t()
        .ctx.db.selectFrom('landing_stat')
        .select('metric')
        .where('community_id', '=', c.id)
        .execute();
      expect(stats.map((s) => s.metric)).not.toContain('people_created');
    }
    // people the site knows still join
    const member = await buildPerson(t().ctx);
    const res = await verify(pages[0].slug, member.email!);
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: false });
  }

  it('a page an admin opened, with sign-up open: verifying the email is all it takes', async () => {
    const c = await openPage();
    const email = freshEmail();
    const res = await verify(c.slug, email);
    expect(res.json()).toMatchObject({ outcome: 'joined', signedIn: true, created: true });
    const person = await personByEmail(t().ctx, email);
    expect(person?.status).toBe('active');
    expect(await membershipOf(t().ctx, c.id, person!.id)).toMatchObject({ state: 'joined' });
  });
});
