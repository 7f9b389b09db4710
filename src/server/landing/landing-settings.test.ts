import { expect, it } from 'vitest';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { Browser, lastCodeEmail } from './landing.test-helpers.js';

describeEachDb('landing settings, page and numbers', (t) => {
  const app = useTestApp(t);

  async function as(personId: number | null) {
    const cookie = personId === null ? undefined : await sessionCookie(t().ctx, personId);
    return (method: 'GET' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
      app().inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
  }

  it("lets admins and this community's leaders manage the page; others get 403 (or 404 out of reach, 401 signed out)", async () => {
    const c = await buildCommunity(t().ctx);
    const other = await buildCommunity(t().ctx);
    const admin = await buildAdmin(t().ctx);
    const leader = await buildPerson(t().ctx);
    await addMembership(t().ctx, c.id, leader.id, 'joined', 'leader');
    const leaderElsewhere = await buildPerson(t().ctx);
    await addMembership(t().ctx, other.id, leaderElsewhere.id, 'joined', 'leader');
    const member = await buildPerson(t().ctx);
    await addMembership(t().ctx, c.id, member.id, 'joined', 'member');

    for (const [who, status] of [
      [admin.id, 200],
      [leader.id, 200],
      [leaderElsewhere.id, 403],
      [member.id, 403],
      [null, 401],
    ] as const) {
      const call = await as(who);
      for (const url of [
        `/api/communities/${c.id}/landing`,
        `/api/communities/${c.id}/landing/stats`,
        `/api/communities/${c.id}/landing/qr.svg`,
      ]) {
        expect((await call('GET', url)).statusCode, `${who} GET ${url}`).toBe(status);
      }
      expect((await call('PATCH', `/api/communities/${c.id}/landing`, { landingEnabled: true })).statusCode).toBe(
        status,
      );
    }
    expect((await (await as(admin.id))('GET', '/api/communities/999999/landing')).statusCode).toBe(404);
    const hidden = await buildCommunity(t().ctx, { privacy: 'invite_only' });
    expect((await (await as(member.id))('GET', `/api/communities/${hidden.id}/landing`)).statusCode).toBe(404);
  });

  it('turns the page on with a policy, domains, headline and welcome text, and the page shows them', async () => {
    const c = await buildCommunity(t().ctx, {
      name: 'Chess Club',
      headline: 'Play on',
      description: 'We meet on Mondays.',
      privacy: 'public',
    });
    const admin = await buildAdmin(t().ctx);
    const call = await as(admin.id);
    expect((await app().inject(`/api/landing/${c.slug}`)).statusCode).toBe(404);

    const res = await call('PATCH', `/api/communities/${c.id}/landing`, {
      landingEnabled: true,
      landingPolicy: 'domains',
      landingDomains: ['@Uni.Example', 'uni.example', 'alumni.example'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      privacy: 'public',
      slug: c.slug,
      url: `http://localhost:3000/join/${c.slug}`,
      landingEnabled: true,
      landingPolicy: 'domains',
      landingDomains: ['uni.example', 'alumni.example'],
      landingHeadline: null,
      landingProfileRequired: false,
      defaults: { headline: 'Play on', welcome: 'We meet on Mondays.' },
    });
    const strict = await call('PATCH', `/api/communities/${c.id}/landing`, { landingProfileRequired: true });
    expect(strict.json()).toMatchObject({ landingProfileRequired: true });
    await call('PATCH', `/api/communities/${c.id}/landing`, { landingProfileRequired: false });
    await addMembership(t().ctx, c.id, admin.id);
    const page = await app().inject(`/api/landing/${c.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toEqual({
      siteName: 'Convene',
      slug: c.slug,
      community: {
        name: 'Chess Club',
        headline: 'Play on',
        description: 'We meet on Mondays.',
        memberCount: 1,
        image: null,
      },
      policy: { kind: 'domains', domains: ['uni.example', 'alumni.example'] },
      memberTypes: [],
    });

    await call('PATCH', `/api/communities/${c.id}/landing`, {
      landingHeadline: 'Join the club',
      landingWelcome: 'Bring a board.',
    });
    expect((await app().inject(`/api/landing/${c.slug}`)).json().community).toMatchObject({
      headline: 'Join the club',
      description: 'Bring a board.',
    });
    await call('PATCH', `/api/communities/${c.id}/landing`, { landingHeadline: '', landingWelcome: null });
    expect((await app().inject(`/api/landing/${c.slug}`)).json().community).toMatchObject({
      headline: 'Play on',
      description: 'We meet on Mondays.',
    });

    const noDomains = await call('PATCH', `/api/communities/${c.id}/landing`, { landingDomains: [] });
    expect(noDomains.statusCode).toBe(400);
    const badDomain = await call('PATCH', `/api/communities/${c.id}/landing`, { landingDomains: ['not a domain'] });
    expect(badDomain.json().error.code).toBe('validation_failed');

    await call('PATCH', `/api/communities/${c.id}/landing`, { landingEnabled: false });
    const off = await app().inject(`/api/landing/${c.slug}`);
    expect(off.statusCode).toBe(404);
    expect(off.json().error.code).toBe('landing_disabled');
    expect(
      (await app().inject({ method: 'POST', url: `/api/landing/${c.slug}/code`, payload: { email: 'a@b.example' } }))
        .statusCode,
    ).toBe(404);
  });

  it('hides the member count of communities that are not public; unknown pages look like disabled ones', async () => {
    const c = await buildCommunity(t().ctx, { privacy: 'private', landingEnabled: true });
    expect((await app().inject(`/api/landing/${c.slug}`)).json().community.memberCount).toBeNull();
    const unknown = await app().inject('/api/landing/no-such-page');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('landing_disabled');
  });

  it('changes the slug; the old one still finds the page, and a taken one is refused', async () => {
    const c = await buildCommunity(t().ctx, { landingEnabled: true });
    const other = await buildCommunity(t().ctx);
    const call = await as((await buildAdmin(t().ctx)).id);
    const newSlug = `renamed-${c.id}`;
    const res = await call('PATCH', `/api/communities/${c.id}/landing`, { slug: ` ${newSlug.toUpperCase()} ` });
    expect(res.json()).toMatchObject({ slug: newSlug, url: `http://localhost:3000/join/${newSlug}` });
    const page = await app().inject(`/join/${c.slug}`);
    expect(page.statusCode).toBe(301);
    expect(page.headers.location).toBe(`/join/${newSlug}`);
    expect((await app().inject(`/join/${newSlug}`)).statusCode).toBe(404); // no web app in these tests: the SPA fallback's 404
    const viaOld = await app().inject(`/api/landing/${c.slug}`);
    expect(viaOld.statusCode).toBe(200);
    expect(viaOld.json().slug).toBe(newSlug);
    // a code asked for through the old slug links to the new page
    const b = new Browser(app, '198.18.0.9');
    await b.request('POST', `/api/landing/${c.slug}/code`, { email: `slug-${c.id}@example.test` });
    expect((await lastCodeEmail(t().ctx, `slug-${c.id}@example.test`)).link).toContain(`/join/${newSlug}#link=`);

    expect((await call('PATCH', `/api/communities/${other.id}/landing`, { slug: newSlug })).json().error.code).toBe(
      'slug_taken',
    );
    expect((await call('PATCH', `/api/communities/${other.id}/landing`, { slug: c.slug })).json().error.code).toBe(
      'slug_taken',
    );
    expect((await call('PATCH', `/api/communities/${other.id}/landing`, { slug: 'Bad Slug!' })).json().error.code).toBe(
      'validation_failed',
    );
    // and back again
    expect((await call('PATCH', `/api/communities/${c.id}/landing`, { slug: c.slug })).json().slug).toBe(c.slug);
    expect((await app().inject(`/api/landing/${newSlug}`)).json().slug).toBe(c.slug);
  });

  it('offers the link as a QR code in PNG and SVG', async () => {
    const c = await buildCommunity(t().ctx);
    const call = await as((await buildAdmin(t().ctx)).id);
    const png = await call('GET', `/api/communities/${c.id}/landing/qr.png`);
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-disposition']).toBe(`attachment; filename="join-${c.slug}.png"`);
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = await call('GET', `/api/communities/${c.id}/landing/qr.svg`);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('counts visits, codes sent, verified, joined and new people', async () => {
    const c = await buildCommunity(t().ctx, { landingEnabled: true });
    const call = await as((await buildAdmin(t().ctx)).id);
    for (let i = 0; i < 3; i++) await app().inject(`/api/landing/${c.slug}`);
    const member = await buildPerson(t().ctx);
    const stranger = `stats-${c.id}@example.test`;
    for (const [email, names] of [
      [member.email!, {}],
      [stranger, { firstName: 'S', lastName: 'T' }],
    ] as const) {
      const b = new Browser(app, `198.18.1.${c.id % 200}`);
      await b.request('POST', `/api/landing/${c.slug}/code`, { email });
      const { code } = await lastCodeEmail(t().ctx, email);
      if (email === stranger) await b.request('POST', `/api/landing/${c.slug}/verify`, { email, code }); // names still needed: not counted
      expect((await b.request('POST', `/api/landing/${c.slug}/verify`, { email, code, ...names })).statusCode).toBe(
        200,
      );
    }
    const stats = (await call('GET', `/api/communities/${c.id}/landing/stats`)).json();
    const expected = { visits: 3, codesSent: 2, verified: 2, joined: 2, peopleCreated: 1 };
    expect(stats.totals).toEqual(expected);
    expect(stats.days).toEqual([{ day: new Date(t().clock.now()).toISOString().slice(0, 10), ...expected }]);
    // the same numbers as CSV: the totals, then each day
    const csv = await call('GET', `/api/communities/${c.id}/landing/stats.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')).toEqual([
      'Day,Visits,Codes sent,Verified,Joined,New people',
      'Total,3,2,2,2,1',
      `${new Date(t().clock.now()).toISOString().slice(0, 10)},3,2,2,2,1`,
      '',
    ]);
  });
});
