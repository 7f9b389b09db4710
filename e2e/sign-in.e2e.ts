/** Signing in, in a real browser: the first admin's printed link, the emailed 6-digit code, and the Email log. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';

const adminEmail = 'root@example.edu';

/** The 6-digit code in a sign-in email. */
function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

async function expectSignedInHome(page: Page) {
  await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Home' }).waitFor();
  await nav.getByRole('link', { name: 'Communities' }).first().waitFor();
}

describeE2e('sign-in (browser)', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('the link printed by `convene admin add` shows a Continue page, and Continue signs the first admin in', async () => {
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    expect(link, stdout).toBeDefined();

    const page = await e2e.newPage();
    await page.goto(link!);
    await page.getByRole('heading', { name: 'Continue signing in' }).waitFor();
    // Opening the link (a GET, as a mail scanner would) did not sign anyone in.
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await e2e.screenshot(page, 'link-continue');

    await page.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome(page);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('group', { name: 'Admin' }).getByRole('link', { name: 'Email log' }).waitFor();
    await page.getByRole('button', { name: `Account: ${adminEmail}` }).waitFor();

    // The admin dashboard counts people per status (this admin is the only one, active).
    await page.getByRole('group', { name: 'Admin' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('link', { name: 'Admins 1' }).waitFor();
    await page.getByRole('link', { name: 'Active 1' }).waitFor();
    await page.getByText('No data jobs yet.', { exact: false }).waitFor();
    await e2e.screenshot(page, 'admin-dashboard');

    // The link works once (the refused second use is an error answer, which the browser logs).
    e2e.allowBrowserErrors(/status of 40[01]/);
    const again = await e2e.newPage();
    await again.goto(link!);
    await again.getByRole('button', { name: 'Continue' }).click();
    await again.getByRole('alert').getByText('This sign-in link does not work').waitFor();
    await again.context().close();
    await page.context().close();
  });

  it('a person signs in with the 6-digit code from the email, sees Home and the navigation, and signs out', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/sign-in'));
    await page.getByText('Northfield University').first().waitFor();
    await e2e.screenshot(page, 'sign-in');

    await page.getByLabel('Email address').fill(adminEmail);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const mail = await e2e.waitForEmail(adminEmail, (m) => /sign-in code/.test(m.subject));
    const code = codeOf(mail.text);
    await e2e.screenshot(page, 'sign-in-code');

    // A wrong code is refused with a clear message, and the right one still works afterwards; the
    // refusal, and /api/me asked after signing out, are error answers the browser logs.
    e2e.allowBrowserErrors(/status of 400/, /status of 401/);
    const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`;
    await page.getByLabel('6-digit code').fill(wrong);
    await page.getByRole('alert').getByText('That code is not right').waitFor();
    await e2e.screenshot(page, 'sign-in-code-wrong');

    await page.getByLabel('6-digit code').fill(code);
    await expectSignedInHome(page);
    await e2e.screenshot(page, 'home');
    await page.setViewportSize({ width: 390, height: 844 });
    await e2e.screenshot(page, 'home-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
    await page.context().close();
  });

  it('a signed-out visit to an admin page goes through sign-in and comes back to the Email log', async () => {
    // Another admin: a second code to the first one inside a minute would not be sent (resend interval).
    const opsEmail = 'ops@example.edu';
    await e2e.runCli(['admin', 'add', opsEmail]);
    const page = await e2e.newPage();
    await page.goto(e2e.url('/admin/emails'));
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/emails');

    await page.getByLabel('Email address').fill(opsEmail);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(opsEmail, (m) => /sign-in code/.test(m.subject));
    await page.getByLabel('6-digit code').fill(codeOf(mail.text));

    await page.getByRole('heading', { level: 1, name: 'Email log' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/emails');
    const table = page.getByRole('table', { name: 'Emails' });
    await table.getByText(adminEmail).first().waitFor();

    // A test email goes out through SMTP, shows in the log, and its text can be read.
    await page.getByRole('button', { name: 'Send a test email' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
    await e2e.waitForEmail(opsEmail, (m) => /test email/i.test(m.subject));
    await page.getByRole('button', { name: 'Refresh' }).click();
    const testRow = table
      .getByRole('row')
      .filter({ hasText: /Test email/i })
      .first();
    await testRow.getByText('Sent').waitFor();
    await e2e.screenshot(page, 'email-log');

    await testRow.getByRole('button', { name: /^View email to/ }).click();
    await page.getByRole('dialog').getByLabel('Email text').waitFor();
    await e2e.screenshot(page, 'email-view');
    await page.context().close();
  });

  it('a member who is not an admin sees no Admin navigation, and admin pages say so', async () => {
    // An admin pre-verifies the member through the API (the Members screen is another spec's).
    const { stdout } = await e2e.runCli(['admin', 'add', 'registrar@example.edu']);
    const admin = await e2e.newPage();
    await admin.goto(/https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)![0]);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await expectSignedInHome(admin);
    const created = await admin.evaluate(async () => {
      const response = await fetch('/api/admin/people', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'mia@example.edu', firstName: 'Mia', lastName: 'Member' }),
      });
      return response.status;
    });
    expect(created).toBe(201);
    await admin.context().close();

    const page = await e2e.newPage();
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill('mia@example.edu');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail('mia@example.edu', (m) => /sign-in code/.test(m.subject));
    await page.getByLabel('6-digit code').fill(codeOf(mail.text));
    await page.getByRole('heading', { level: 1, name: 'Welcome, Mia' }).waitFor();
    await page.getByRole('button', { name: 'Account: Mia Member' }).waitFor();
    expect(await page.getByRole('group', { name: 'Admin' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Email log' }).count()).toBe(0);

    await page.goto(e2e.url('/admin/emails'));
    await page.getByRole('heading', { name: 'Admins only' }).waitFor();
    await page.context().close();
  });

  it('an address the site does not know is told why it cannot sign in', async () => {
    const page = await e2e.newPage();
    const stranger = 'stranger@example.org';
    e2e.allowBrowserErrors(/status of 403/); // the refusal
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(stranger);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(stranger, (m) => /sign-in code/.test(m.subject));
    await page.getByLabel('6-digit code').fill(codeOf(mail.text));
    await page
      .getByRole('alert')
      .getByText(/waiting for approval|does not accept new sign-ups/)
      .waitFor();
    await page.getByRole('button', { name: 'Use a different email' }).click();
    expect(await page.getByLabel('Email address').inputValue()).toBe(stranger);
    await page.context().close();
  });

  it('unknown paths show the 404 page, and no page broke the CSP or threw', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/no/such/page'));
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    await page.context().close();
    expect(e2e.browserErrors.filter((e) => !/status of 40[0-9]/.test(e))).toEqual([]);
  });
});
