/**
 * Signing in through a real SAML 2.0 IdP (the samlify test IdP, started here on a loopback port):
 * the provider set up from its metadata URL, sign-up, sign-in, a pre-verified match by Unique ID,
 * a landing page's join, an invitation, and the refusals at the ACS (a replayed assertion, a
 * response for another browser's login, a bad signature). Both databases.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
import { Browser, latestSignInEmail } from '../auth/testing.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import {
  samlAttributes,
  type SamlResponseOptions,
  type SamlTestRequest,
  type SamlTestUser,
  TestSamlIdp,
} from '../testing/saml-idp.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb, siteOrigin } from '../testing/test-db.js';

let n = 0;
const fresh = (tag: string) => `${tag}-${process.pid}-${++n}@northfield.test`;

describeEachDb('single sign-on through SAML 2.0', (t) => {
  const app = useTestApp(t);
  let idp: TestSamlIdp;
  let adminCookie: string;
  let untrusted: number;
  let trusted: number;

  async function addProvider(body: Record<string, unknown> = {}): Promise<number> {
    const res = await app().inject({
      method: 'POST',
      url: '/api/admin/identity-providers',
      headers: { cookie: adminCookie },
      payload: {
        kind: 'saml',
        name: 'Northfield University',
        metadataUrl: idp.metadataUrl,
        uniqueIdAttribute: samlAttributes.eduPersonPrincipalName,
        emailAttribute: samlAttributes.mail,
        firstNameAttribute: samlAttributes.givenName,
        lastNameAttribute: samlAttributes.sn,
        trustEmail: false,
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: number }).id;
  }

  beforeAll(async () => {
    idp = await TestSamlIdp.start(() => t().clock.now());
    const admin = await buildAdmin(t().ctx);
    adminCookie = await sessionCookie(t().ctx, admin.id);
    untrusted = await addProvider({ name: 'Northfield (untrusted email)' });
    trusted = await addProvider({ name: 'Northfield University', trustEmail: true });
  });
  afterAll(() => idp.close());

  /** The IdP's page posts the form to the ACS from its own origin, without the site's cookies. */
  function postAcs(providerId: number, samlResponse: string, relayState: string): Promise<LightMyRequestResponse> {
    return app().inject({
      method: 'POST',
      url: `/api/sso/${providerId}/acs`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(idp.ssoUrl).origin,
        'sec-fetch-site': 'cross-site',
      },
      payload: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: relayState }).toString(),
    });
  }

  interface Trip {
    readonly request: SamlTestRequest;
    readonly samlResponse: string;
    readonly acs: LightMyRequestResponse;
    /** the site page the browser ends on */
    readonly landed: string;
  }

  /** Start → the IdP → the ACS → complete, as a browser goes. */
  async function viaIdp(
    browser: Browser,
    providerId: number,
    user: SamlTestUser,
    query = '',
    options: SamlResponseOptions = {},
  ): Promise<Trip> {
    const start = await browser.get(`/api/sso/${providerId}/start${query}`);
    expect(start.statusCode, start.body).toBe(302);
    const request = await idp.readRequest(String(start.headers.location));
    const samlResponse = idp.respond(request, user, options);
    const acs = await postAcs(providerId, samlResponse, request.relayState);
    expect(acs.statusCode, acs.body).toBe(303);
    let landed = String(acs.headers.location);
    if (landed.startsWith(`/api/sso/${providerId}/complete`)) {
      const complete = await browser.get(landed);
      expect(complete.statusCode, complete.body).toBe(302);
      landed = String(complete.headers.location);
    }
    return { request, samlResponse, acs, landed };
  }

  async function me(browser: Browser) {
    const res = await browser.get('/api/session');
    return (res.json() as { me: { id: number; email: string; status: string; firstName: string } | null }).me;
  }

  async function linksOf(personId: number) {
    return t().ctx.db.selectFrom('sso_link').selectAll().where('person_id', '=', personId).execute();
  }

  it('sets the provider up from the IdP’s metadata URL and publishes the SP metadata', async () => {
    const list = (
      await app().inject({ url: '/api/admin/identity-providers', headers: { cookie: adminCookie } })
    ).json() as {
      items: { id: number; saml: { entityId: string; ssoUrl: string; acsUrl: string; spEntityId: string } | null }[];
    };
    const saml = list.items.find((p) => p.id === trusted)?.saml;
    expect(saml).toMatchObject({
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      acsUrl: `${siteOrigin}/api/sso/${trusted}/acs`,
      spEntityId: `${siteOrigin}/api/sso/${trusted}/metadata`,
    });
    const metadata = await app().inject({ url: `/api/sso/${trusted}/metadata` });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toContain('application/samlmetadata+xml');
    expect(metadata.body).toContain(`entityID="${siteOrigin}/api/sso/${trusted}/metadata"`);
    expect(metadata.body).toContain(`Location="${siteOrigin}/api/sso/${trusted}/acs"`);
    expect((await app().inject({ url: '/api/sso/999999/metadata' })).statusCode).toBe(404);
  });

  it('refuses metadata that cannot be used, with the specific code', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/api/admin/identity-providers',
      headers: { cookie: adminCookie },
      payload: {
        kind: 'saml',
        name: 'Broken',
        metadataXml: '<nope/>',
        uniqueIdAttribute: 'uid',
        emailAttribute: 'mail',
        trustEmail: false,
      },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('saml_metadata_invalid');
    const count = await t().ctx.db.selectFrom('identity_provider').select('id').where('name', '=', 'Broken').execute();
    expect(count).toEqual([]);
  });

  it('takes one IdP out of a federation’s aggregate metadata by its entity ID', async () => {
    const other = await TestSamlIdp.start(() => t().clock.now());
    await other.close();
    const strip = (xml: string) => xml.replace(/^<\?xml[^>]*\?>/, '');
    const aggregate = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${strip(other.metadataXml)}${strip(idp.metadataXml)}</md:EntitiesDescriptor>`;
    const body = {
      kind: 'saml',
      name: 'Federation member',
      metadataXml: aggregate,
      uniqueIdAttribute: samlAttributes.eduPersonPrincipalName,
      emailAttribute: samlAttributes.mail,
      trustEmail: false,
    };
    const post = (payload: object) =>
      app().inject({ method: 'POST', url: '/api/admin/identity-providers', headers: { cookie: adminCookie }, payload });
    const unchosen = await post(body);
    expect((unchosen.json() as { error: { code: string } }).error.code).toBe('saml_metadata_invalid');
    const chosen = await post({ ...body, entityId: idp.entityId });
    expect(chosen.statusCode, chosen.body).toBe(201);
    const provider = chosen.json() as { id: number; saml: { entityId: string } };
    expect(provider.saml.entityId).toBe(idp.entityId);
    // and the chosen IdP signs people in through it
    const email = fresh('federated');
    const browser = new Browser(app);
    const trip = await viaIdp(browser, provider.id, { eppn: 'fed@northfield.edu', mail: email });
    expect(trip.landed).toBe('/sso/error?code=account_pending');
  });

  it('signs up a new person by the site’s rules for email sign-up: pending, linked, told to wait', async () => {
    const email = fresh('newcomer');
    const browser = new Browser(app);
    const trip = await viaIdp(browser, untrusted, {
      eppn: 'newcomer@northfield.edu',
      mail: email,
      givenName: 'Nia',
      sn: 'New',
    });
    expect(trip.acs.headers.location).toMatch(new RegExp(`^/api/sso/${untrusted}/complete\\?login=`));
    expect(trip.landed).toBe('/sso/error?code=account_pending');
    const person = await t()
      .ctx.db.selectFrom('person')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ status: 'pending', first_name: 'Nia', last_name: 'New' });
    expect((await linksOf(person.id)).map((l) => [l.unique_id, l.email_unverified])).toEqual([
      ['newcomer@northfield.edu', 1],
    ]);
    expect(await me(browser)).toBeNull();
  });

  it('keeps no way in for an untrusted IdP’s account that joined first with someone else’s address', async () => {
    const { ctx } = t();
    const community = await buildCommunity(ctx, { landingEnabled: true, slug: `saml-takeover-${++n}` });
    const email = fresh('victim');
    const attacker = new Browser(app);
    const signUp = await viaIdp(
      attacker,
      untrusted,
      { eppn: 'eve@elsewhere.edu', mail: email, givenName: 'Eve', sn: 'Mallory' },
      `?landing=${community.slug}`,
    );
    expect(signUp.landed).toMatch(new RegExp(`^/join/${community.slug}\\?sso=joined(&|$)`));
    const personId = (await me(attacker))?.id ?? 0;
    expect((await linksOf(personId)).map((l) => [l.unique_id, l.email_unverified])).toEqual([['eve@elsewhere.edu', 1]]);

    // The victim proves the address with the landing page's email code.
    const victim = new Browser(app);
    expect((await victim.post(`/api/landing/${community.slug}/code`, { email })).statusCode).toBe(200);
    const verified = await victim.post(`/api/landing/${community.slug}/verify`, {
      email,
      code: (await latestSignInEmail(ctx, email))?.code,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(await me(victim)).toMatchObject({ id: personId });
    expect(await linksOf(personId)).toEqual([]);
    expect(await me(attacker)).toBeNull();

    // The attacker's IdP account no longer reaches the account.
    const again = await viaIdp(new Browser(app), untrusted, { eppn: 'eve@elsewhere.edu', mail: email });
    expect(again.landed).toBe('/sso/error?code=sso_email_taken');
  });

  it('removes a pending sign-up’s unproved link when the owner signs in by email code, even while pending', async () => {
    const { ctx } = t();
    const email = fresh('pending-victim');
    const first = await viaIdp(new Browser(app), untrusted, { eppn: 'early@elsewhere.edu', mail: email });
    expect(first.landed).toBe('/sso/error?code=account_pending');
    const person = await ctx.db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    expect(await linksOf(person.id)).toHaveLength(1);

    const owner = new Browser(app);
    await owner.post('/api/auth/code', { email });
    const refused = await owner.post('/api/auth/verify', {
      email,
      code: (await latestSignInEmail(ctx, email))?.code,
    });
    expect(refused.json()).toMatchObject({ error: { code: 'account_pending' } });
    expect(await linksOf(person.id)).toEqual([]);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'sso_link.remove_unverified')
      .where('target_id', '=', String(person.id))
      .execute();
    expect(audit.map((a) => JSON.parse(a.details ?? '{}') as unknown)).toEqual([
      expect.objectContaining({ providerId: untrusted, providerUniqueId: 'early@elsewhere.edu' }),
    ]);
    // once an admin approves the person, the early IdP account is still refused
    await ctx.db.updateTable('person').set({ status: 'active' }).where('id', '=', person.id).execute();
    const later = await viaIdp(new Browser(app), untrusted, { eppn: 'early@elsewhere.edu', mail: email });
    expect(later.landed).toBe('/sso/error?code=sso_email_taken');
  });

  it('signs in an active person by trusted email, then by the link alone', async () => {
    const email = fresh('member');
    const person = await buildPerson(t().ctx, { email, firstName: 'Mo', lastName: 'Member' });
    const first = new Browser(app);
    expect(
      (await viaIdp(first, trusted, { eppn: 'mo@northfield.edu', mail: email }, '?next=/communities')).landed,
    ).toBe('/communities');
    expect(await me(first)).toMatchObject({ id: person.id, status: 'active' });
    // the link now finds them, whatever address the IdP sends
    const second = new Browser(app);
    expect((await viaIdp(second, trusted, { eppn: 'mo@northfield.edu', mail: fresh('renamed') })).landed).toBe('/');
    expect(await me(second)).toMatchObject({ id: person.id, email });
  });

  it('matches an email only at a provider trusted for email', async () => {
    const email = fresh('owner');
    await buildPerson(t().ctx, { email });
    const trip = await viaIdp(new Browser(app), untrusted, { eppn: 'someone-else@elsewhere.edu', mail: email });
    expect(trip.landed).toBe('/sso/error?code=sso_email_taken');
  });

  it('activates a pre-verified person matched by Unique ID, keeping the pre-verification data', async () => {
    const person = await buildPerson(t().ctx, {
      email: fresh('preverified'),
      status: 'pre_verified',
      uniqueId: 'pia@northfield.edu',
      firstName: 'Pia',
      lastName: 'Preverified',
      preverificationId: 4343,
    });
    const browser = new Browser(app);
    const trip = await viaIdp(browser, untrusted, {
      eppn: 'pia@northfield.edu',
      mail: fresh('other-address'),
      givenName: 'P.',
      sn: 'X',
    });
    expect(trip.landed).toBe('/');
    const row = await t().ctx.db.selectFrom('person').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'active',
      first_name: 'Pia',
      last_name: 'Preverified',
      email: person.email,
      unique_id: 'pia@northfield.edu',
      preverification_id: 4343,
    });
    expect(await me(browser)).toMatchObject({ id: person.id });
  });

  it('joins a community from its landing page through the IdP, as after an email code', async () => {
    const community = await buildCommunity(t().ctx, { landingEnabled: true, slug: `saml-landing-${++n}` });
    const email = fresh('lander');
    const browser = new Browser(app);
    const trip = await viaIdp(
      browser,
      untrusted,
      { eppn: 'lara@northfield.edu', mail: email, givenName: 'Lara', sn: 'Lander' },
      `?landing=${community.slug}`,
    );
    expect(trip.landed).toMatch(new RegExp(`^/join/${community.slug}\\?sso=joined(&|$)`));
    const person = await me(browser);
    expect(person).toMatchObject({ email, status: 'active', firstName: 'Lara' });
    const membership = await t()
      .ctx.db.selectFrom('membership')
      .select('state')
      .where('community_id', '=', community.id)
      .where('person_id', '=', person?.id ?? 0)
      .executeTakeFirst();
    expect(membership?.state).toBe('joined');
  });

  it('accepts an invitation through the IdP: the invited person becomes active and sees it at home', async () => {
    const community = await buildCommunity(t().ctx, { privacy: 'private', name: `SAML Invited Circle ${++n}` });
    const email = fresh('invitee');
    const invitee = await buildPerson(t().ctx, { email, status: 'invited', firstName: '', lastName: '' });
    await addMembership(t().ctx, community.id, invitee.id, 'invited');
    const browser = new Browser(app);
    const trip = await viaIdp(browser, trusted, {
      eppn: 'ines@northfield.edu',
      mail: email,
      givenName: 'Ines',
      sn: 'Invitee',
    });
    expect(trip.landed).toBe('/');
    expect(await me(browser)).toMatchObject({ id: invitee.id, status: 'active', firstName: 'Ines' });
    const home = (await browser.get('/api/me/recommended-communities')).json() as RecommendedCommunities;
    expect(home.invitations.map((i) => i.community.name)).toEqual([community.name]);
    const joined = await browser.post(`/api/communities/${community.id}/join`, {});
    expect(joined.json()).toMatchObject({ state: 'joined' });
  });

  it('refuses a replayed assertion at the ACS and keeps the first sign-in', async () => {
    const email = fresh('replay');
    const person = await buildPerson(t().ctx, { email });
    const browser = new Browser(app);
    const start = await browser.get(`/api/sso/${trusted}/start`);
    const request = await idp.readRequest(String(start.headers.location));
    const samlResponse = idp.respond(request, { eppn: 'rae@northfield.edu', mail: email });
    const first = await postAcs(trusted, samlResponse, request.relayState);
    expect(first.headers.location).toMatch(/\/complete\?login=/);
    // the same response posted again (by whoever caught it) is refused and changes nothing
    const again = await postAcs(trusted, samlResponse, request.relayState);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/sso/error?code=saml_assertion_replayed');
    const done = await browser.get(String(first.headers.location));
    expect(done.headers.location).toBe('/');
    expect(await me(browser)).toMatchObject({ id: person.id });
    // and after the sign-in, once more: the login is used up
    const late = await postAcs(trusted, samlResponse, request.relayState);
    expect(late.headers.location).toBe('/sso/error?code=sso_login_expired');
  });

  it('refuses a response whose signature does not hold, showing the code, and signs no one in', async () => {
    const email = fresh('tampered');
    await buildPerson(t().ctx, { email });
    const browser = new Browser(app);
    const trip = await viaIdp(browser, trusted, { eppn: 'tim@northfield.edu', mail: fresh('x') }, '', { tamper: true });
    expect(trip.landed).toBe('/sso/error?code=saml_signature_invalid');
    expect(await me(browser)).toBeNull();
    const links = await t()
      .ctx.db.selectFrom('sso_link')
      .select('id')
      .where('unique_id', '=', 'tim@northfield.edu')
      .execute();
    expect(links).toEqual([]);
  });

  it('refuses, at complete, a login finished in another browser', async () => {
    const victim = new Browser(app);
    const start = await victim.get(`/api/sso/${trusted}/start`);
    const request = await idp.readRequest(String(start.headers.location));
    const acs = await postAcs(
      trusted,
      idp.respond(request, { eppn: 'vic@northfield.edu', mail: fresh('vic') }),
      request.relayState,
    );
    const attacker = new Browser(app);
    const stolen = await attacker.get(String(acs.headers.location));
    expect(stolen.headers.location).toBe('/sso/error?code=sso_other_browser');
    const otherCookie = new Browser(app);
    await otherCookie.get(`/api/sso/${trusted}/start`);
    const wrong = await otherCookie.get(String(acs.headers.location));
    expect(wrong.headers.location).toBe('/sso/error?code=sso_state_mismatch');
    expect(await me(attacker)).toBeNull();
  });

  it('refuses an ACS post for a login that does not exist', async () => {
    const acs = await postAcs(
      trusted,
      idp.respond(
        {
          id: '_x',
          relayState: 'x',
          acsUrl: `${siteOrigin}/api/sso/${trusted}/acs`,
          spEntityId: `${siteOrigin}/api/sso/${trusted}/metadata`,
        },
        { eppn: 'x' },
      ),
      'no-such-login',
    );
    expect(acs.headers.location).toBe('/sso/error?code=sso_state_mismatch');
  });
});
