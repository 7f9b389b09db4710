/**
 * Signing in through a real OpenID Connect provider (`oidc-provider`, started here on a loopback
 * port): sign-up, sign-in, matching, landing pages, invitations, linking, required SSO, refusals.
 * Both databases.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RecommendedCommunities } from '../../shared/invitations.js';
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
});
