/**
 * Signing in through a real OpenID Connect provider (`oidc-provider`, started here on a loopback
 * port): sign-up, sign-in, matching, landing pages, invitations, linking, required SSO, refusals.
 * Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
import type { MyLinks } from '../../shared/sso.js';
import { latestSignInEmail } from '../auth/testing.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { startOidcIdp, type TestOidcIdp } from '../testing/oidc-idp.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { callbackUrls, linksOf, SsoBrowser } from './sso.test-helpers.js';

let idp: TestOidcIdp;
beforeAll(async () => {
  idp = await startOidcIdp(callbackUrls());
});
afterAll(async () => {
  await idp.close();
});

let n = 0;
const fresh = (tag: string) => `${tag}-${process.pid}-${++n}@northfield.test`;

describeEachDb('single sign-on through OpenID Connect', (t) => {
  const app = useTestApp(t);
  let adminCookie: string;

  async function addProvider(body: Record<string, unknown> = {}): Promise<number> {
    const res = await app().inject({
      method: 'POST',
      url: '/api/admin/identity-providers',
      headers: { cookie: adminCookie },
      payload: {
        kind: 'oidc',
        name: 'Northfield University',
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        uniqueIdClaim: 'sub',
        trustEmail: false,
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: number }).id;
  }

  let untrusted: number;
  let trusted: number;
  beforeAll(async () => {
    const admin = await buildAdmin(t().ctx);
    adminCookie = await sessionCookie(t().ctx, admin.id);
    untrusted = await addProvider({ name: 'Northfield (untrusted email)' });
    trusted = await addProvider({ name: 'Northfield University', trustEmail: true });
  });

  async function me(browser: SsoBrowser) {
    const res = await browser.get('/api/session');
    return (res.json() as { me: { id: number; email: string; status: string; firstName: string } | null }).me;
  }

  it('signs in a linked person: a session like email sign-in’s, and back to `next`', async () => {
    const person = await buildPerson(t().ctx, { email: fresh('linked') });
    await t()
      .ctx.db.insertInto('sso_link')
      .values({
        provider_id: untrusted,
        unique_id: 'linked-1',
        person_id: person.id,
        email: null,
        created_at: 0,
        last_used_at: null,
      })
      .execute();
    idp.signInAs({ sub: 'linked-1', email: 'someone-else@elsewhere.test', email_verified: true });
    const browser = new SsoBrowser(app);
    const landed = await browser.go(`/api/sso/${untrusted}/start?next=/communities`);
    expect(landed).toBe('/communities');
    expect(browser.signedIn).toBe(true);
    expect(await me(browser)).toMatchObject({ id: person.id, email: person.email, status: 'active' });
    // the provider saw PKCE, state and nonce
    const authorize = new URL(browser.hops.find((h) => h.url.startsWith(`${idp.issuer}/auth`))?.url ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{22}$/);
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://localhost:3000/api/sso/${untrusted}/callback`);
  });

  it('signs up a new person by the site’s rules for email sign-up: pending, linked, told to wait', async () => {
    const email = fresh('newcomer');
    idp.signInAs({ sub: 'new-1', email, email_verified: false, given_name: 'Nia', family_name: 'Newcomer' });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=account_pending');
    expect(browser.signedIn).toBe(false);
    const person = await t()
      .ctx.db.selectFrom('person')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ status: 'pending', first_name: 'Nia', last_name: 'Newcomer' });
    // an untrusted provider's address is not proved: the link says so
    expect((await linksOf(t().ctx, person.id)).map((l) => [l.unique_id, l.email_unverified])).toEqual([['new-1', 1]]);
  });

  it('refuses sign-up with sign_up_closed when the site takes no new people', async () => {
    await t().ctx.db.insertInto('site_setting').values({ key: 'signup_open', value: 'false', updated_at: 0 }).execute();
    try {
      const email = fresh('closed');
      idp.signInAs({ sub: 'closed-1', email, email_verified: true });
      const browser = new SsoBrowser(app);
      expect(await browser.go(`/api/sso/${trusted}/start`)).toBe('/sso/error?code=sign_up_closed');
      expect(
        await t().ctx.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirst(),
      ).toBeUndefined();
    } finally {
      await t().ctx.db.deleteFrom('site_setting').where('key', '=', 'signup_open').execute();
    }
  });

  it('matches a verified email only at a provider trusted for email', async () => {
    const email = fresh('owner');
    const owner = await buildPerson(t().ctx, { email, firstName: 'Olga', lastName: 'Owner' });
    // The untrusted provider asserts the owner's address as verified: no match, no takeover.
    idp.signInAs({ sub: 'impostor-1', email, email_verified: true });
    const stranger = new SsoBrowser(app);
    expect(await stranger.go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=sso_email_taken');
    expect(stranger.signedIn).toBe(false);
    expect(await linksOf(t().ctx, owner.id)).toEqual([]);

    // At the trusted provider, an unverified address does not match either…
    idp.signInAs({ sub: 'owner-unverified', email, email_verified: false });
    expect(await new SsoBrowser(app).go(`/api/sso/${trusted}/start`)).toBe('/sso/error?code=sso_email_taken');
    // …a verified one does, and links the account.
    idp.signInAs({ sub: 'owner-1', email, email_verified: true, given_name: 'Other', family_name: 'Name' });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${trusted}/start`)).toBe('/');
    expect(await me(browser)).toMatchObject({ id: owner.id, firstName: 'Olga' });
    expect((await linksOf(t().ctx, owner.id)).map((l) => [l.provider_id, l.unique_id])).toEqual([[trusted, 'owner-1']]);
  });

  it('keeps no way in for an untrusted provider’s account that signed up first with someone else’s address', async () => {
    const { ctx } = t();
    const email = fresh('victim');
    const community = await buildCommunity(ctx, { landingEnabled: true, slug: `takeover-${n}` });
    // The attacker's account at the untrusted provider claims the victim's address, verified or not.
    idp.signInAs({ sub: 'attacker-1', email, email_verified: true, given_name: 'Eve', family_name: 'Mallory' });
    const attacker = new SsoBrowser(app);
    expect(await attacker.go(`/api/sso/${untrusted}/start?landing=${community.slug}`)).toBe(
      `/join/${community.slug}?sso=joined&community=${community.id}`,
    );
    const account = await me(attacker);
    expect(account).toMatchObject({ email, status: 'active' });
    const personId = account?.id ?? 0;
    expect((await linksOf(ctx, personId)).map((l) => [l.unique_id, l.email_unverified])).toEqual([['attacker-1', 1]]);
    // Linking another provider's account from the profile adds no way in that outlives the proof.
    idp.signInAs({ sub: 'attacker-2', email: 'eve@elsewhere.test', email_verified: true });
    attacker.idpJar.clear(); // another account at the provider
    expect(await attacker.go(`/api/sso/${trusted}/start?intent=link`)).toBe('/profile?sso=linked');
    expect((await linksOf(ctx, personId)).map((l) => [l.unique_id, l.email_unverified])).toEqual([
      ['attacker-1', 1],
      ['attacker-2', 1],
    ]);

    // The victim signs in with an email code: the address is theirs, the attacker's link goes.
    const victim = new SsoBrowser(app);
    await victim.post('/api/auth/code', { email });
    const verified = await victim.post('/api/auth/verify', {
      email,
      code: (await latestSignInEmail(ctx, email))?.code,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(await me(victim)).toMatchObject({ id: personId });
    expect(await linksOf(ctx, personId)).toEqual([]);
    // the attacker's session on the account ended with it
    expect(await me(attacker)).toBeNull();
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select(['action', 'details'])
      .where('target_type', '=', 'person')
      .where('target_id', '=', String(personId))
      .where('action', '=', 'sso_link.remove_unverified')
      .execute();
    expect(audit.map((a) => JSON.parse(a.details ?? '{}') as unknown)).toEqual([
      expect.objectContaining({ providerId: untrusted, providerUniqueId: 'attacker-1', provedBy: 'email_code' }),
      expect.objectContaining({ providerId: trusted, providerUniqueId: 'attacker-2', provedBy: 'email_code' }),
    ]);

    // The profile says the link was removed, and offers to link again.
    const links = (await victim.get('/api/me/sso')).json() as MyLinks;
    expect(links.items).toEqual([]);
    expect(links.removed).toEqual(
      expect.arrayContaining([
        { providerId: untrusted, providerName: 'Northfield (untrusted email)', removedAt: expect.any(Number) },
        { providerId: trusted, providerName: 'Northfield University', removedAt: expect.any(Number) },
      ]),
    );
    expect(links.available.map((p) => p.id)).toContain(untrusted);

    // The attacker's provider account no longer reaches the account, from the landing page or not.
    idp.signInAs({ sub: 'attacker-1', email, email_verified: true });
    const again = new SsoBrowser(app);
    expect(await again.go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=sso_email_taken');
    expect(await again.go(`/api/sso/${untrusted}/start?landing=${community.slug}`)).toBe(
      `/sso/error?code=sso_email_taken&back=%2Fjoin%2F${community.slug}`,
    );
    expect(again.signedIn).toBe(false);
    // …nor does the account linked from the profile: it is a stranger again (a new person, waiting)
    idp.signInAs({ sub: 'attacker-2', email: 'eve@elsewhere.test', email_verified: true });
    const viaTrusted = new SsoBrowser(app);
    expect(await viaTrusted.go(`/api/sso/${trusted}/start`)).toBe('/sso/error?code=account_pending');
    expect(viaTrusted.signedIn).toBe(false);

    // A second code removes nothing more; linking from the profile is a proved link and stays.
    idp.signInAs({ sub: 'victim-own', email, email_verified: false });
    expect(await victim.go(`/api/sso/${untrusted}/start?intent=link`)).toBe('/profile?sso=linked');
    const relinked = (await victim.get('/api/me/sso')).json() as MyLinks;
    expect(relinked.removed.map((r) => r.providerId)).toEqual([trusted]);
    expect((await linksOf(ctx, personId)).map((l) => [l.unique_id, l.email_unverified])).toEqual([['victim-own', 0]]);
    t().clock.advance(61_000); // sends to one address are a minute apart
    const later = new SsoBrowser(app);
    await later.post('/api/auth/code', { email });
    await later.post('/api/auth/verify', { email, code: (await latestSignInEmail(ctx, email))?.code });
    expect(await me(later)).toMatchObject({ id: personId });
    expect(await me(victim)).toMatchObject({ id: personId });
    expect((await linksOf(ctx, personId)).map((l) => l.unique_id)).toEqual(['victim-own']);
  });

  it('removes a link made under an unproved address when a provider trusted for email proves it', async () => {
    const { ctx } = t();
    const email = fresh('proved');
    idp.signInAs({ sub: 'early-1', email, email_verified: false });
    expect(await new SsoBrowser(app).go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=account_pending');
    const person = await ctx.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    idp.signInAs({ sub: 'owner-of-proved', email, email_verified: true });
    expect(await new SsoBrowser(app).go(`/api/sso/${trusted}/start`)).toBe('/sso/error?code=account_pending');
    expect((await linksOf(ctx, person.id)).map((l) => [l.provider_id, l.unique_id, l.email_unverified])).toEqual([
      [trusted, 'owner-of-proved', 0],
    ]);
  });

  it('activates a pre-verified person matched by Unique ID, keeping the pre-verification data', async () => {
    const person = await buildPerson(t().ctx, {
      email: fresh('preverified'),
      status: 'pre_verified',
      uniqueId: 'pv-42',
      firstName: 'Pia',
      lastName: 'Preverified',
      preverificationId: 4242,
    });
    idp.signInAs({
      sub: 'pv-42',
      email: fresh('other-address'),
      email_verified: true,
      given_name: 'P.',
      family_name: 'X',
    });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${untrusted}/start`)).toBe('/');
    const row = await t().ctx.db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'active',
      first_name: 'Pia',
      last_name: 'Preverified',
      email: person.email,
      unique_id: 'pv-42',
      preverification_id: 4242,
    });
    expect((await linksOf(t().ctx, person.id)).map((l) => l.unique_id)).toEqual(['pv-42']);
  });

  it('joins a community from its landing page through the provider, as after an email code', async () => {
    const community = await buildCommunity(t().ctx, { landingEnabled: true, slug: `sso-landing-${n}` });
    const email = fresh('lander');
    idp.signInAs({ sub: 'lander-1', email, email_verified: true, given_name: 'Lara', family_name: 'Lander' });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${untrusted}/start?landing=${community.slug}`)).toBe(
      `/join/${community.slug}?sso=joined&community=${community.id}`,
    );
    expect(browser.signedIn).toBe(true);
    const person = await me(browser);
    expect(person).toMatchObject({ email, status: 'active', firstName: 'Lara' });
    const membership = await t()
      .ctx.db.selectFrom('membership')
      .select('state')
      .where('community_id', '=', community.id)
      .where('person_id', '=', person?.id ?? 0)
      .executeTakeFirst();
    expect(membership?.state).toBe('joined');
    expect((await linksOf(t().ctx, person?.id ?? 0)).map((l) => l.unique_id)).toEqual(['lander-1']);
  });

  it('accepts an invitation through the provider: the invited person becomes active and sees it at home', async () => {
    const community = await buildCommunity(t().ctx, { privacy: 'private', name: `Invited Circle ${n}` });
    const email = fresh('invitee');
    const invitee = await buildPerson(t().ctx, { email, status: 'invited', firstName: '', lastName: '' });
    await addMembership(t().ctx, community.id, invitee.id, 'invited');
    idp.signInAs({ sub: 'invitee-1', email, email_verified: true, given_name: 'Ines', family_name: 'Invitee' });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${trusted}/start`)).toBe('/');
    expect(await me(browser)).toMatchObject({ id: invitee.id, status: 'active', firstName: 'Ines' });
    const home = (await browser.get('/api/me/recommended-communities')).json() as RecommendedCommunities;
    expect(home.invitations.map((i) => i.community.name)).toEqual([community.name]);
    const joined = await browser.post(`/api/communities/${community.id}/join`, {});
    expect(joined.json()).toMatchObject({ state: 'joined' });
  });

  it('links and unlinks an account from the profile, never overwriting names the person filled in', async () => {
    const person = await buildPerson(t().ctx, { email: fresh('linker'), firstName: 'Kept', lastName: '' });
    const browser = new SsoBrowser(app);
    browser.jar.set('convene_session', (await sessionCookie(t().ctx, person.id)).split('=')[1]);
    idp.signInAs({ sub: 'linker-1', email: fresh('elsewhere'), given_name: 'Replaced', family_name: 'Filled' });
    expect(await browser.go(`/api/sso/${untrusted}/start?intent=link`)).toBe('/profile?sso=linked');
    const links = (await browser.get('/api/me/sso')).json() as { items: { providerId: number }[] };
    expect(links.items.map((l) => l.providerId)).toEqual([untrusted]);
    const row = await t().ctx.db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect([row.first_name, row.last_name]).toEqual(['Kept', 'Filled']);

    // signed out, the linked account signs this person in
    const later = new SsoBrowser(app);
    expect(await later.go(`/api/sso/${untrusted}/start`)).toBe('/');
    expect(await me(later)).toMatchObject({ id: person.id });

    // another person cannot link the same account
    const other = await buildPerson(t().ctx, { email: fresh('other') });
    const otherBrowser = new SsoBrowser(app);
    otherBrowser.jar.set('convene_session', (await sessionCookie(t().ctx, other.id)).split('=')[1]);
    expect(await otherBrowser.go(`/api/sso/${untrusted}/start?intent=link`)).toBe(
      '/sso/error?code=sso_already_linked&back=%2Fprofile',
    );

    expect((await browser.delete(`/api/me/sso/${untrusted}`)).statusCode).toBe(200);
    expect(await linksOf(t().ctx, person.id)).toEqual([]);
    expect((await browser.delete(`/api/me/sso/${untrusted}`)).statusCode).toBe(404);
  });

  it('requires single sign-on for chosen member types: their email codes are refused, naming the provider', async () => {
    const { ctx } = t();
    const faculty = await ctx.db
      .insertInto('member_type')
      .values({ name: 'Faculty/Staff', name_key: 'faculty/staff', created_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const required = await addProvider({ name: 'Staff Login', requiredForMemberTypes: ['Faculty / Staff'] });
    const professor = await buildPerson(ctx, { email: fresh('prof'), memberTypeId: faculty.id });
    const alumna = await buildPerson(ctx, { email: fresh('alumna') });

    const byCode = new SsoBrowser(app);
    await byCode.post('/api/auth/code', { email: professor.email });
    const refused = await byCode.post('/api/auth/verify', {
      email: professor.email,
      code: (await latestSignInEmail(ctx, professor.email ?? ''))?.code,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      error: { code: 'sso_required', message: expect.stringContaining('Staff Login') },
    });
    expect(byCode.signedIn).toBe(false);

    const alumnaBrowser = new SsoBrowser(app);
    await alumnaBrowser.post('/api/auth/code', { email: alumna.email });
    const ok = await alumnaBrowser.post('/api/auth/verify', {
      email: alumna.email,
      code: (await latestSignInEmail(ctx, alumna.email ?? ''))?.code,
    });
    expect(ok.statusCode).toBe(200);

    // through the provider, the professor signs in
    await ctx.db
      .insertInto('sso_link')
      .values({
        provider_id: required,
        unique_id: 'prof-1',
        person_id: professor.id,
        email: null,
        created_at: 0,
        last_used_at: null,
      })
      .execute();
    idp.signInAs({ sub: 'prof-1' });
    const viaSso = new SsoBrowser(app);
    expect(await viaSso.go(`/api/sso/${required}/start`)).toBe('/');
    expect(await me(viaSso)).toMatchObject({ id: professor.id });
    await app().inject({
      method: 'DELETE',
      url: `/api/admin/identity-providers/${required}`,
      headers: { cookie: adminCookie },
    });
  });

  it('refuses an answer delivered to another browser (state mismatch) and one without the cookie', async () => {
    idp.signInAs({ sub: 'state-1', email: fresh('state'), email_verified: true });
    const victim = new SsoBrowser(app);
    // the victim started a sign-in of their own, so their browser has the cookie
    await victim.get(`/api/sso/${untrusted}/start`);
    const attacker = new SsoBrowser(app);
    const callback = await attacker.go(`/api/sso/${untrusted}/start`, (url) => url.includes('/callback'));
    expect(await victim.go(callback)).toBe('/sso/error?code=sso_state_mismatch');
    expect(victim.signedIn).toBe(false);
    expect(await new SsoBrowser(app).go(callback)).toBe('/sso/error?code=sso_other_browser');
    // the attacker's own login is still unused (it signs up a new person, who waits), but only once
    expect(await attacker.go(callback)).toBe('/sso/error?code=account_pending');
    expect(await attacker.go(callback)).toBe('/sso/error?code=sso_login_expired');
  });

  it('refuses an ID token whose nonce is not the login’s, and a login past its time', async () => {
    idp.signInAs({ sub: 'nonce-1', email: fresh('nonce'), email_verified: true });
    const browser = new SsoBrowser(app);
    const callback = await browser.go(`/api/sso/${untrusted}/start`, (url) => url.includes('/callback'));
    const state = new URL(callback).searchParams.get('state') ?? '';
    await t().ctx.db.updateTable('sso_login').set({ nonce: 'not-the-nonce-sent' }).where('id', '=', state).execute();
    expect(await browser.go(callback)).toBe('/sso/error?code=sso_nonce_mismatch');
    expect(browser.signedIn).toBe(false);

    const slow = new SsoBrowser(app);
    const late = await slow.go(`/api/sso/${untrusted}/start`, (url) => url.includes('/callback'));
    t().clock.advance(11 * 60 * 1000);
    expect(await slow.go(late)).toBe('/sso/error?code=sso_login_expired');
  });

  it('refuses an inactive person with the same message as email sign-in', async () => {
    const person = await buildPerson(t().ctx, { email: fresh('inactive'), status: 'inactive' });
    await t()
      .ctx.db.insertInto('sso_link')
      .values({
        provider_id: untrusted,
        unique_id: 'inactive-1',
        person_id: person.id,
        email: null,
        created_at: 0,
        last_used_at: null,
      })
      .execute();
    idp.signInAs({ sub: 'inactive-1' });
    const browser = new SsoBrowser(app);
    expect(await browser.go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=account_inactive');
    expect(browser.signedIn).toBe(false);
  });

  it('edits a provider: each refused field named with a clear message, nothing half-saved, the secret kept unless replaced', async () => {
    const id = await addProvider({ name: 'Editable' });
    const patch = (payload: Record<string, unknown>) =>
      app().inject({
        method: 'PATCH',
        url: `/api/admin/identity-providers/${id}`,
        headers: { cookie: adminCookie },
        payload,
      });
    const stored = () =>
      t().ctx.db.selectFrom('identity_provider').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const before = await stored();

    const refused = await patch({ name: ' ', issuer: 'not a url', uniqueIdClaim: '', scopes: 'openid' });
    expect(refused.statusCode).toBe(400);
    const body = refused.json() as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'Enter a name.' },
        { path: 'issuer', message: expect.stringContaining('Enter a full URL') },
        { path: 'uniqueIdClaim', message: 'Enter the claim or attribute name.' },
      ]),
    );
    const insecure = await patch({ issuer: 'http://idp.example.test', name: 'Changed' });
    expect(insecure.json()).toMatchObject({ error: { code: 'sso_insecure_issuer' } });
    expect(await stored()).toEqual(before);

    const saved = await patch({ name: 'Edited', clientId: 'other-client', scopes: 'openid email', trustEmail: true });
    expect(saved.json()).toMatchObject({
      name: 'Edited',
      buttonLabel: 'Sign in with Edited',
      trustEmail: true,
      oidc: { clientId: 'other-client', scopes: 'openid email', clientSecretSet: true },
    });
    expect((await stored()).client_secret_enc).toBe(before.client_secret_enc);
    await patch({ clientSecret: 'a-new-secret' });
    expect((await stored()).client_secret_enc).not.toBe(before.client_secret_enc);
    await app().inject({
      method: 'DELETE',
      url: `/api/admin/identity-providers/${id}`,
      headers: { cookie: adminCookie },
    });
  });

  it('answers the admins without the client secret, stores it sealed, and lists enabled providers on /api/site', async () => {
    const list = (
      await app().inject({ url: '/api/admin/identity-providers', headers: { cookie: adminCookie } })
    ).json() as {
      items: { id: number; oidc: { clientSecretSet: boolean; redirectUri: string } }[];
    };
    const one = list.items.find((p) => p.id === trusted);
    expect(one?.oidc).toMatchObject({
      clientSecretSet: true,
      redirectUri: `http://localhost:3000/api/sso/${trusted}/callback`,
    });
    expect(JSON.stringify(list)).not.toContain(idp.clientSecret);
    const stored = await t()
      .ctx.db.selectFrom('identity_provider')
      .selectAll()
      .where('id', '=', trusted)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(idp.clientSecret);

    const patched = await app().inject({
      method: 'PATCH',
      url: `/api/admin/identity-providers/${untrusted}`,
      headers: { cookie: adminCookie },
      payload: { enabled: false },
    });
    expect(patched.json()).toMatchObject({ enabled: false });
    const site = (await app().inject({ url: '/api/site' })).json() as {
      identityProviders: { id: number; buttonLabel: string }[];
    };
    expect(site.identityProviders).toEqual([
      { id: trusted, name: 'Northfield University', buttonLabel: 'Sign in with Northfield University' },
    ]);
    expect(await new SsoBrowser(app).go(`/api/sso/${untrusted}/start`)).toBe('/sso/error?code=sso_provider_disabled');
    await app().inject({
      method: 'PATCH',
      url: `/api/admin/identity-providers/${untrusted}`,
      headers: { cookie: adminCookie },
      payload: { enabled: true },
    });

    const wrongKind = await app().inject({
      method: 'PATCH',
      url: `/api/admin/identity-providers/${trusted}`,
      headers: { cookie: adminCookie },
      payload: { metadataXml: '<x/>' },
    });
    expect(wrongKind.json()).toMatchObject({ error: { code: 'sso_config_invalid' } });
    const insecure = await app().inject({
      method: 'POST',
      url: '/api/admin/identity-providers',
      headers: { cookie: adminCookie },
      payload: {
        kind: 'oidc',
        name: 'Plain',
        issuer: 'http://idp.example.test',
        clientId: 'c',
        clientSecret: 's',
        uniqueIdClaim: 'sub',
        trustEmail: false,
      },
    });
    expect(insecure.json()).toMatchObject({ error: { code: 'sso_insecure_issuer' } });
  });
});
