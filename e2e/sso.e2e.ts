/**
 * Single sign-on in a real browser against a real OpenID Connect provider (`oidc-provider` on a
 * loopback port): an admin adds the provider on Admin → Single sign-on; a visitor sees its button
 * on the sign-in page and on a landing page, signs in at the provider from the landing page and
 * lands in the community as a member.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOidcIdp, type TestOidcIdp } from '../src/server/testing/oidc-idp';
import { describeE2e, startE2e, type E2e } from './harness';
import { call } from './page-calls';

const adminEmail = 'root@example.edu';

describeE2e('single sign-on (browser)', () => {
  let e2e: E2e;
  let idp: TestOidcIdp;
  let admin: Page;
  let communityId: number;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    idp = await startOidcIdp(Array.from({ length: 5 }, (_, i) => e2e.url(`/api/sso/${i + 1}/callback`)));
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage();
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
    await idp?.close();
  });

  it('an admin adds an OpenID Connect provider and sees the redirect URI to register', async () => {
    await admin.goto(e2e.url('/admin/sso'));
    await admin.getByRole('heading', { level: 1, name: 'Single sign-on' }).waitFor();
    await admin.getByRole('button', { name: 'Add provider' }).click();
    const form = admin.getByRole('dialog', { name: 'Add an identity provider' });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Northfield University');
    await form.getByRole('textbox', { name: 'Issuer' }).fill(idp.issuer);
    await form.getByRole('textbox', { name: 'Client ID' }).fill(idp.clientId);
    await form.getByLabel('Client secret').fill(idp.clientSecret);
    await form.getByRole('switch', { name: 'Trust this provider’s verified email addresses' }).click({ force: true });
    await form.getByRole('button', { name: 'Add provider' }).click();
    await admin.getByRole('heading', { level: 2, name: 'Northfield University' }).waitFor();
    await admin.getByText(e2e.url('/api/sso/1/callback')).waitFor();
    await e2e.screenshot(admin, 'admin-sso');
    const phone = await e2e.newPage({ width: 390, height: 844 });
    await phone.context().addCookies(await admin.context().cookies());
    await phone.goto(e2e.url('/admin/sso'));
    await phone.getByText(e2e.url('/api/sso/1/callback')).waitFor();
    await e2e.screenshot(phone, 'admin-sso-phone');
    await phone.context().close();

    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Robotics Lab',
      headline: 'Build, break, learn',
      description: 'Open to every student and alumnus.',
      privacy: 'public',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    const opened = await call(admin, 'PATCH', `/api/communities/${communityId}/landing`, {
      landingEnabled: true,
      landingPolicy: 'anyone',
      slug: 'robotics',
    });
    expect(opened.status).toBe(200);
  });

  it('the sign-in page shows the provider’s button next to the email code', async () => {
    for (const [width, height, name] of [
      [1280, 800, 'sign-in-sso'],
      [390, 844, 'sign-in-sso-phone'],
    ] as const) {
      const page = await e2e.newPage({ width, height });
      await page.goto(e2e.url('/sign-in'));
      await page.getByRole('link', { name: 'Sign in with Northfield University' }).waitFor();
      await page.getByRole('button', { name: 'Email me a code' }).waitFor();
      await e2e.screenshot(page, name);
      await page.context().close();
    }
  });

  it('a visitor signs in through the provider from the landing page and joins the community', async () => {
    idp.signInAs({
      sub: 'rae-1001',
      email: 'rae.robot@northfield.example.edu',
      email_verified: true,
      given_name: 'Rae',
      family_name: 'Robot',
    });
    const desktop = await e2e.newPage({ width: 1280, height: 800 });
    await desktop.goto(e2e.url('/join/robotics'));
    await desktop.getByRole('link', { name: 'Sign in with Northfield University' }).waitFor();
    await e2e.screenshot(desktop, 'landing-sso');
    await desktop.context().close();

    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(e2e.url('/join/robotics'));
    await page.getByRole('heading', { level: 1, name: 'Robotics Lab' }).waitFor();
    await e2e.screenshot(page, 'landing-sso-phone');
    await page.getByRole('link', { name: 'Sign in with Northfield University' }).click();
    await page.getByText('Welcome to Robotics Lab!').waitFor();
    expect(new URL(page.url()).pathname).toBe('/join/robotics');
    expect(idp.logins).toBe(1);
    const session = await call<{ me: { email: string; firstName: string; status: string } }>(
      page,
      'GET',
      '/api/session',
    );
    expect(session.json.me).toMatchObject({
      email: 'rae.robot@northfield.example.edu',
      firstName: 'Rae',
      status: 'active',
    });
    const community = await call<{ membership: { state: string } | null }>(
      page,
      'GET',
      `/api/communities/${communityId}`,
    );
    expect(JSON.stringify(community.json)).toContain('joined');
    await e2e.screenshot(page, 'landing-sso-joined-phone');
  });
});
