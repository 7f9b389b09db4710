/**
 * What new people tripped over when joining, in a real browser with a real SMTP peer: the
 * invitation email's link fills in the landing page's email field; a second request for a code
 * from another browser says what happened and when to ask again, and then works; with only
 * DATA_DIR set, the SQLite database is DATA_DIR/convene.db.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';
import { codeOf, call } from './page-calls';

const adminEmail = 'root@example.edu';
const inviteeEmail = 'nina.new@example.org';

describeE2e('joining: invitation links and code requests (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let communityId: number;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage();
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Rowing Club',
      headline: 'Early mornings on the river',
      description: 'All levels.',
      privacy: 'public',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    const landing = await call(admin, 'PATCH', `/api/communities/${communityId}/landing`, {
      landingEnabled: true,
      landingPolicy: 'anyone',
    });
    expect(landing.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it("the invitation email's link opens the landing page with the address in the email field", async () => {
    const invited = await call<{ results: { reason: string }[] }>(
      admin,
      'POST',
      `/api/communities/${communityId}/invitations`,
      { emails: `Nina New <${inviteeEmail}>`, sendEmail: true },
    );
    expect(invited.json.results[0].reason).toBe('emailed');
    const mail = await e2e.waitForEmail(inviteeEmail, (m) => /invited you to join/.test(m.subject));
    const link = /https?:\/\/\S+\/join\/rowing-club(\?inv=[\w.-]+)?#email=\S+/.exec(mail.text)?.[0];
    // The link names the invitation (the funnel's "opened"); the address rides in the fragment.
    expect(link?.replace(/\?inv=[\w.-]+/, '')).toBe(
      e2e.url(`/join/rowing-club#email=${encodeURIComponent(inviteeEmail)}`),
    );
    expect(link).toMatch(/\?inv=[\w.-]+#/);

    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(link as string);
    const field = page.getByLabel('Email address');
    await expect.poll(() => field.inputValue()).toBe(inviteeEmail);
    // the address leaves the address bar once read
    expect(new URL(page.url()).hash).toBe('');
    await e2e.screenshot(page, 'landing-from-invitation-phone');
    await page.context().close();
  });

  it('a second request for a code from another browser says what happened, and the wait, and then works', async () => {
    const email = 'two.browsers@example.org';
    const laptop = await e2e.newPage();
    const askedAt = Date.now();
    await laptop.goto(e2e.url('/join/rowing-club'));
    await laptop.getByLabel('Email address').fill(email);
    await laptop.getByRole('button', { name: 'Join with my email' }).click();
    await laptop.getByLabel('6-digit code').waitFor();
    await laptop.getByText(/We sent a 6-digit code to/).waitFor();
    const first = await e2e.waitForEmail(email, (m) => m.receivedAt >= askedAt - 2_000);

    const phone = await e2e.newPage({ width: 390, height: 844 });
    await phone.goto(e2e.url('/join/rowing-club'));
    await phone.getByLabel('Email address').fill(email);
    await phone.getByRole('button', { name: 'Join with my email' }).click();
    const note = phone.getByRole('status').filter({ hasText: 'A code was just sent for another browser' });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/works only there[\s\S]*ask for a new code for this browser in \d+ seconds/);
    expect(await phone.getByText(/^We sent a 6-digit code/).count()).toBe(0);
    await e2e.screenshot(phone, 'landing-code-other-browser-phone');
    const resend = phone.getByRole('button', { name: /^Send a code to this browser/ });
    expect(await resend.isDisabled()).toBe(true);

    // The first browser's code still works there.
    await laptop.getByLabel('6-digit code').fill(codeOf(first));
    await laptop.getByLabel('6-digit code').waitFor({ state: 'detached' });

    // Once the minute is over, the phone asks for its own code, and that one works on the phone.
    await resend.waitFor({ state: 'visible' });
    await expect.poll(() => resend.isEnabled(), { timeout: 75_000, interval: 1_000 }).toBe(true);
    const askedAgainAt = Date.now();
    await resend.click();
    await phone.getByText(/We sent a 6-digit code to/).waitFor();
    const second = await e2e.waitForEmail(email, (m) => m.receivedAt >= askedAgainAt - 2_000);
    expect(codeOf(second)).not.toBe(codeOf(first));
    await phone.getByLabel('6-digit code').fill(codeOf(second));
    await phone.getByLabel('6-digit code').waitFor({ state: 'detached' });
    await laptop.context().close();
    await phone.context().close();
  }, 150_000);

  it('with only DATA_DIR set, the SQLite database is DATA_DIR/convene.db', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-data-dir-'));
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-cwd-'));
    try {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir };
      const bin = path.resolve('bin', 'convene.js');
      const { stdout } = await promisify(execFile)(process.execPath, [bin, 'admin', 'add', 'data.dir@example.edu'], {
        env,
        cwd,
      });
      expect(stdout).toMatch(/\/auth\/link\//);
      expect(fs.existsSync(path.join(dataDir, 'convene.db'))).toBe(true);
      expect(fs.readdirSync(cwd)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
