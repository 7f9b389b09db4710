/**
 * Single sign-on in a real browser against a real OpenID Connect provider (`oidc-provider` on a
 * loopback port): an admin adds the provider on Admin → Single sign-on and edits it (the API's
 * refusals at their fields, focus on the first, the secret kept when left blank); a visitor sees its button
 * on the sign-in page and on a landing page, signs in at the provider from the landing page and
 * lands in the community as a member. Someone who signs up first with another person's address
 * through a provider not trusted for email loses the account when its owner signs in by code.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOidcIdp, type TestOidcIdp } from '../src/server/testing/oidc-idp';
import { describeE2e, startE2e, type E2e } from './harness';
import { call, codeOf } from './page-calls';

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
    await form.getByRole('button', { name: 'Add provider' }).click();
    await admin.getByRole('heading', { level: 2, name: 'Northfield University' }).waitFor();
    await admin.getByText(e2e.url('/api/sso/1/callback')).waitFor();
  });

  it('an admin edits the provider by keyboard: refusals at their fields, focus on the first, the secret kept', async () => {
    const edit = admin.getByRole('button', { name: 'Edit Northfield University' });
    await edit.focus();
    await admin.keyboard.press('Enter');
    const form = admin.getByRole('dialog', { name: 'Edit Northfield University' });
    const name = form.getByRole('textbox', { name: 'Name', exact: true });
    await name.waitFor();
    expect(await form.getByLabel('Client secret').inputValue()).toBe('');

    // Refused by the API: the name is empty and the issuer is no URL; focus goes to the name.
    e2e.allowBrowserErrors(/status of 400/);
    await name.fill('');
    await form.getByRole('textbox', { name: 'Issuer' }).fill('not a url');
    await form.getByRole('textbox', { name: 'Issuer' }).press('Enter');
    await form.getByText('Enter a name.').waitFor();
    await form.getByText('Enter a full URL, such as https://login.example.edu.').waitFor();
    await admin.waitForFunction((el) => el === document.activeElement, await name.elementHandle());
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await e2e.screenshot(admin, 'admin-sso-edit-errors');

    // Put right, trust switched on with Space, the secret left blank: saved, and sign-in still works (below).
    await admin.keyboard.type('Northfield University');
    await form.getByRole('textbox', { name: 'Issuer' }).fill(idp.issuer);
    await form.getByRole('textbox', { name: 'Scopes' }).fill('openid email profile');
    await form.getByRole('switch', { name: 'Trust this provider’s verified email addresses' }).focus();
    await admin.keyboard.press('Space');
    await form.getByRole('button', { name: 'Save changes' }).focus();
    await admin.keyboard.press('Enter');
    await admin.getByRole('status').getByText('The changes to Northfield University are saved.').waitFor();
    await admin.getByText('Trusted for email').waitFor();
    const list = await call<{ items: { trustEmail: boolean; oidc: { clientSecretSet: boolean; issuer: string } }[] }>(
      admin,
      'GET',
      '/api/admin/identity-providers',
    );
    expect(list.json.items[0]).toMatchObject({ trustEmail: true, oidc: { clientSecretSet: true, issuer: idp.issuer } });
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

  it('the Edit dialog with refused fields passes axe-core WCAG 2.1 A and AA, on a desktop and a phone', async () => {
    const found: string[] = [];
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const page = await e2e.newPage({ width, height, bypassCSP: true });
      await page.context().addCookies(await admin.context().cookies());
      await page.goto(e2e.url('/admin/sso'));
      await page.getByRole('button', { name: 'Edit Northfield University' }).click();
      const form = page.getByRole('dialog', { name: 'Edit Northfield University' });
      e2e.allowBrowserErrors(/status of 400/);
      await form.getByRole('textbox', { name: 'Unique ID claim' }).fill('');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByText('Enter the claim or attribute name.').waitFor();
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
      const result = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .include('[role=dialog]')
        .analyze();
      expect(result.passes.length, 'axe found the dialog').toBeGreaterThan(0);
      for (const v of result.violations)
        for (const node of v.nodes) found.push(`[${width}] ${v.id}: ${v.help} at ${node.target.join(' ')}`);
      await page.context().close();
    }
    expect(found).toEqual([]);
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

  it('an account made through an untrusted provider under someone else’s address is the owner’s after their code; the profile says why', async () => {
    const added = await call<{ id: number }>(admin, 'POST', '/api/admin/identity-providers', {
      kind: 'oidc',
      name: 'Northfield Guest Login',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      uniqueIdClaim: 'sub',
      trustEmail: false,
    });
    expect(added.status).toBe(201);
    const email = 'sam.owner@northfield.example.edu';
    idp.signInAs({ sub: 'guest-mallory', email, email_verified: true, given_name: 'Sam', family_name: 'Owner' });
    const squatter = await e2e.newPage();
    await squatter.goto(e2e.url('/join/robotics'));
    await squatter.getByRole('link', { name: 'Sign in with Northfield Guest Login' }).click();
    await squatter.getByText('Welcome to Robotics Lab!').waitFor();

    const owner = await e2e.newPage({ width: 1280, height: 800, bypassCSP: true });
    await owner.goto(e2e.url('/sign-in'));
    await owner.getByLabel('Email address').fill(email);
    await owner.getByRole('button', { name: 'Email me a code' }).click();
    await owner.getByLabel('6-digit code').fill(codeOf(await e2e.waitForEmail(email)));
    await owner.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    await owner.goto(e2e.url('/profile'));
    await owner.getByText('Northfield Guest Login was unlinked').waitFor();
    await owner.getByRole('link', { name: 'Link Northfield Guest Login' }).waitFor();
    await e2e.screenshot(owner, 'profile-sso-unlinked');
    const axe = await new AxeBuilder({ page: owner }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);
    // whoever came in through the removed link is signed out
    expect((await call<{ me: unknown }>(squatter, 'GET', '/api/session')).json.me).toBeNull();
    await owner.context().close();
    await squatter.context().close();
  });
});
