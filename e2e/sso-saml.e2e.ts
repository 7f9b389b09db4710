/**
 * Single sign-on through a SAML 2.0 IdP in a real browser: the test IdP (samlify, on a loopback
 * port, its sign-in page on another site than Convene's) signs a student in; its page posts the
 * response across sites to Convene's ACS, and the student lands on the community's landing page,
 * joined.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { samlAttributes, TestSamlIdp } from '../src/server/testing/saml-idp';
import { describeE2e, startE2e, type E2e } from './harness';
import { call } from './page-calls';

const adminEmail = 'root@example.edu';
const student = {
  eppn: 'sam.student@northfield.edu',
  mail: 'Sam.Student@northfield.edu',
  givenName: 'Sam',
  sn: 'Student',
};

describeE2e('single sign-on through a SAML IdP (browser)', () => {
  let e2e: E2e;
  let idp: TestSamlIdp;
  let admin: Page;
  let providerId: number;
  let communityId: number;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    idp = await TestSamlIdp.start(() => Date.now(), { pageHost: 'localhost' });
    idp.nextUser = student;
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

  it('an admin adds the IdP from its metadata URL and opens a landing page', async () => {
    const provider = await call<{ id: number; saml: { acsUrl: string; spEntityId: string } }>(
      admin,
      'POST',
      '/api/admin/identity-providers',
      {
        kind: 'saml',
        name: 'Northfield University',
        metadataUrl: idp.metadataUrl,
        uniqueIdAttribute: samlAttributes.eduPersonPrincipalName,
        emailAttribute: samlAttributes.mail,
        firstNameAttribute: samlAttributes.givenName,
        lastNameAttribute: samlAttributes.sn,
        trustEmail: true,
      },
    );
    expect(provider.status).toBe(201);
    providerId = provider.json.id;
    expect(provider.json.saml.acsUrl).toBe(e2e.url(`/api/sso/${providerId}/acs`));
    const metadata = await fetch(provider.json.saml.spEntityId);
    expect(await metadata.text()).toContain(`Location="${e2e.url(`/api/sso/${providerId}/acs`)}"`);

    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Robotics Club',
      headline: 'Build, code, compete',
      description: 'Thursdays in the workshop.',
      privacy: 'public',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    const landing = await call(admin, 'PATCH', `/api/communities/${communityId}/landing`, {
      landingEnabled: true,
      landingPolicy: 'anyone',
    });
    expect(landing.status).toBe(200);
  });

  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`a student signs in at the IdP from the landing page and joins (${viewport.name})`, async () => {
      idp.nextUser = { ...student, eppn: `${viewport.name}.${student.eppn}`, mail: `${viewport.name}.${student.mail}` };
      const page = await e2e.newPage({ width: viewport.width, height: viewport.height });
      await page.goto(e2e.url('/join/robotics-club'));
      await page.getByRole('heading', { level: 1, name: 'Robotics Club' }).waitFor();
      const button = page.getByRole('link', { name: 'Sign in with Northfield University' });
      await button.waitFor();
      await e2e.screenshot(page, `sso-saml-landing-${viewport.name}`);
      await button.click();

      // The IdP's own page, on another site: it posts the signed response to Convene's ACS.
      await page.getByRole('heading', { name: 'Northfield University sign-in' }).waitFor();
      expect(new URL(page.url()).hostname).toBe('localhost');
      await page.getByRole('button', { name: 'Continue to the service' }).click();

      await page.waitForURL(/\/join\/robotics-club/);
      await page.getByText('Welcome to Robotics Club!').waitFor();
      await e2e.screenshot(page, `sso-saml-joined-${viewport.name}`);
      const me = await call<{ me: { email: string; status: string; firstName: string } | null }>(
        page,
        'GET',
        '/api/session',
      );
      expect(me.json.me).toMatchObject({
        email: `${viewport.name}.${student.mail}`.toLowerCase(),
        status: 'active',
        firstName: 'Sam',
      });
      const members = await call<{ items: unknown[] }>(
        admin,
        'GET',
        `/api/communities/${communityId}/members?state=joined`,
      );
      expect(JSON.stringify(members.json)).toContain(`${viewport.name}.${student.mail}`.toLowerCase());
      await page.context().close();
    });
  }
});
