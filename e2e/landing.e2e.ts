/**
 * A community's landing page, in a real browser with a real SMTP peer: a leader switches it on
 * and copies the link; a stranger joins with an emailed code and their name; a pre-verified
 * person joins and becomes active; an existing member joins through the emailed link.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e, type ReceivedEmail } from './harness';
import { codeOf, call } from './page-calls';

const adminEmail = 'root@example.edu';
const crest = fs.readFileSync(new URL('../src/server/landing/test-images/logo.jpg', import.meta.url));
const leaderEmail = 'lee.leader@example.edu';

function linkOf(mail: ReceivedEmail): string {
  const match = /https?:\/\/\S+\/join\/\S+#link=[\w-]+/.exec(mail.text);
  if (!match) throw new Error(`No landing link in: ${mail.text}`);
  return match[0];
}

describeE2e('landing page (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let communityId: number;
  let landingLink: string;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
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
  });

  /** Enters an email on the landing page and waits for the code email that follows. */
  async function askForCode(page: Page, email: string): Promise<ReceivedEmail> {
    const askedAt = Date.now();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Join with my email' }).click();
    await page.getByLabel('6-digit code').waitFor();
    return e2e.waitForEmail(email, (m) => m.receivedAt >= askedAt - 2_000 && /Chess Club/.test(m.text));
  }

  it('a leader switches the page on and copies its link', async () => {
    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Chess Club',
      headline: 'Open games every Monday',
      description: 'Beginners welcome. Boards provided.\nBring a friend.',
      privacy: 'public',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    const leader = await call<{ person: { id: number } }>(admin, 'POST', '/api/admin/people', {
      email: leaderEmail,
      firstName: 'Lee',
      lastName: 'Leader',
    });
    expect(leader.status).toBe(201);

    // The leader signs in, joins the (public) community, and the admin makes them its leader.
    const page = await e2e.newPage({ width: 1100, height: 1500 });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(leaderEmail);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByLabel('6-digit code').fill(codeOf(await e2e.waitForEmail(leaderEmail)));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    expect((await call(page, 'POST', `/api/communities/${communityId}/join`)).status).toBe(200);
    expect(
      (await call(admin, 'POST', `/api/communities/${communityId}/leaders/${leader.json.person.id}`)).status,
    ).toBeLessThan(300);

    // The community's Settings tab holds the landing section.
    await page.goto(e2e.url(`/communities/${communityId}`));
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Landing page', level: 2 }).waitFor();
    const toggle = page.getByRole('switch', { name: 'Landing page on' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click({ force: true });
    await page.getByText('The landing page is on').waitFor();
    expect(await toggle.isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    landingLink = await page.evaluate(() => navigator.clipboard.readText());
    expect(landingLink).toBe(e2e.url('/join/chess-club'));
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const png = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { type: res.headers.get('content-type'), head: [...new Uint8Array(await res.arrayBuffer()).slice(1, 4)] };
    }, `/api/communities/${communityId}/landing/qr.png`);
    expect(png).toEqual({ type: 'image/png', head: [0x50, 0x4e, 0x47] });
    await page
      .getByRole('button', { name: /close/i })
      .first()
      .click()
      .catch(() => undefined);
    await page.getByText('The landing page is on').waitFor({ state: 'hidden' });

    // A logo or cover image: a file that is not an image is refused in words; a JPEG is taken.
    const card = page.getByTestId('landing-image-card');
    await card.getByText('No image yet').waitFor();
    const fileInput = card.locator('input[type=file]');
    e2e.allowBrowserErrors(/status of 415/); // the SVG's refusal
    await fileInput.setInputFiles({
      name: 'crest.png',
      mimeType: 'image/png',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    });
    await card.getByRole('alert').getByText('That file is not a PNG, JPEG or WebP image').waitFor();
    await card.getByLabel('Image description (alt text)').fill('Chess Club crest: a knight on a blue shield');
    await fileInput.setInputFiles({ name: 'crest.jpg', mimeType: 'image/jpeg', buffer: crest });
    await card.getByText('Image saved. It now shows on the landing page.').waitFor();
    await card.getByText('JPEG · 240 × 120 pixels').waitFor();
    await card.getByRole('img', { name: 'Chess Club crest: a knight on a blue shield' }).waitFor();
    await page.mouse.move(0, 0);
    await e2e.screenshot(page, 'landing-settings');
    await page.setViewportSize({ width: 390, height: 844 });
    await card.getByRole('button', { name: 'Replace image' }).waitFor();
    await e2e.screenshot(page, 'landing-settings-image-phone');
    await page.context().close();

    // Admitting people new to the site without approval creates site accounts: an admin's choice.
    const opened = await call<{ landingPolicy: string }>(admin, 'PATCH', `/api/communities/${communityId}/landing`, {
      landingPolicy: 'anyone',
    });
    expect(opened).toMatchObject({ status: 200, json: { landingPolicy: 'anyone' } });
  });

  it('a stranger opens the link, gets a code by email, gives their name and lands in the community', async () => {
    const stranger = 'sky.stranger@example.org';
    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(landingLink);
    await page.getByRole('heading', { level: 1, name: 'Chess Club' }).waitFor();
    await page.getByText('Open games every Monday').waitFor();
    await page.getByText('Northfield University').waitFor();
    // The leader's image, loaded, with its description for screen readers.
    const image = page.getByRole('img', { name: 'Chess Club crest: a knight on a blue shield' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    await e2e.screenshot(page, 'landing-page');
    const desktop = await e2e.newPage({ width: 1280, height: 800 });
    await desktop.goto(landingLink);
    await desktop.getByRole('img', { name: 'Chess Club crest: a knight on a blue shield' }).waitFor();
    await e2e.screenshot(desktop, 'landing-page-desktop');
    await desktop.context().close();

    const mail = await askForCode(page, stranger);
    expect(page.url()).not.toContain('sky.stranger');
    await e2e.screenshot(page, 'landing-code');
    // Asking a new person's name is an answer (200, next: profile), so the browser logs no error.
    await page.getByLabel('6-digit code').fill(codeOf(mail));
    await page.getByLabel('First name').fill('Sky');
    await page.getByLabel('Last name').fill('Stranger');
    await e2e.screenshot(page, 'landing-name');
    await page.getByRole('button', { name: 'Join Chess Club' }).click();
    await page.getByText('Welcome to Chess Club!').waitFor();
    await e2e.screenshot(page, 'landing-joined');

    const me = await call<{ email: string; status: string; firstName: string } | { me: { email: string } }>(
      page,
      'GET',
      '/api/me',
    );
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.json)).toContain(stranger);
    await page.getByRole('link', { name: 'Open Chess Club' }).click();
    await page.waitForURL(`**/communities/${communityId}`);
    const members = await call<{ items: { email?: string; firstName?: string }[] }>(
      admin,
      'GET',
      `/api/communities/${communityId}/members?state=joined`,
    );
    expect(JSON.stringify(members.json)).toContain('Sky');

    // A second visit, still signed in: one press, no new code, no second membership.
    await page.goto(landingLink);
    await page.getByText('You are signed in as').waitFor();
    await page.getByRole('button', { name: 'Join Chess Club' }).click();
    await page.getByText('You are a member of Chess Club').waitFor();
    await page.context().close();
  });

  it('a pre-verified person does the same and becomes active', async () => {
    const email = 'pat.preverified@example.edu';
    const created = await call<{ person: { id: number; status: string } }>(admin, 'POST', '/api/admin/people', {
      email,
      firstName: 'Pat',
      lastName: 'Preverified',
    });
    const person = created.json.person;
    expect(person.status).toBe('pre_verified');
    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(landingLink);
    const mail = await askForCode(page, email);
    await page.getByLabel('6-digit code').fill(codeOf(mail));
    await page.getByText('Welcome to Chess Club!').waitFor();
    const after = await call<{ status: string } | { person: { status: string } }>(
      admin,
      'GET',
      `/api/admin/people/${person.id}`,
    );
    expect('person' in after.json ? after.json.person.status : after.json.status).toBe('active');
    await page.context().close();
  });

  it('an existing member just joins, here through the emailed link and its Continue button', async () => {
    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(landingLink);
    const mail = await askForCode(page, adminEmail);
    const link = linkOf(mail);
    expect(link.startsWith(e2e.url('/join/chess-club#link='))).toBe(true);
    // The email client opens the link in a new tab of the same browser.
    const tab = await page.context().newPage();
    await tab.goto(link);
    await tab.getByText('You opened the link from your email').waitFor();
    // Opening the link joined nobody and signed nobody in.
    expect((await call(tab, 'GET', '/api/me')).status).toBe(401);
    expect(tab.url()).not.toContain('#link=');
    await e2e.screenshot(tab, 'landing-link-continue');
    await tab.getByRole('button', { name: 'Continue' }).click();
    await tab.getByText('Welcome to Chess Club!').waitFor();

    await page.context().close();
  });

  it('the settings screen shows the page numbers', async () => {
    const page = await admin.context().newPage();
    await page.setViewportSize({ width: 1100, height: 1500 });
    await page.goto(e2e.url(`/communities/${communityId}?tab=settings`));
    const totals = page.getByRole('list', { name: 'Landing page totals' });
    await totals.waitFor();
    // 6 page loads (stranger twice, on a desktop, pre-verified, member, link tab); 3 codes; 3 verified; 3 joined; 1 new person
    await expect
      .poll(async () => (await totals.innerText()).replace(/\s+/g, ' '))
      .toBe('6 Visits 3 Codes sent 3 Verified 3 Joined 1 New people');
    await page.getByRole('table', { name: /by day/ }).waitFor();
    await e2e.screenshot(page, 'landing-settings-numbers');

    // The image is removable; the page then shows the name and words only.
    const card = page.getByTestId('landing-image-card');
    await card.getByRole('button', { name: 'Remove image' }).click();
    await card.getByText('Image removed.').waitFor();
    const visitor = await e2e.newPage({ width: 390, height: 844 });
    await visitor.goto(landingLink);
    await visitor.getByRole('heading', { level: 1, name: 'Chess Club' }).waitFor();
    expect(await visitor.getByTestId('landing-image').count()).toBe(0);
    await visitor.context().close();
    await page.close();
  });

  it('a new address keeps the old one working; a switched-off page answers with a friendly "not available"', async () => {
    const renamed = await call<{ slug: string }>(admin, 'PATCH', `/api/admin/communities/${communityId}`, {
      slug: 'chess',
    });
    expect(renamed.json.slug).toBe('chess');
    const page = await e2e.newPage({ width: 390, height: 844 });
    await page.goto(landingLink);
    await page.waitForURL('**/join/chess');
    await page.getByRole('heading', { level: 1, name: 'Chess Club' }).waitFor();

    e2e.allowBrowserErrors(/status of 404/); // the switched-off page's answer
    expect(
      (await call(admin, 'PATCH', `/api/admin/communities/${communityId}`, { landingEnabled: false })).status,
    ).toBe(200);
    await page.goto(e2e.url('/join/chess'));
    await page.getByRole('heading', { name: 'This page is not available' }).waitFor();
    await page.context().close();
    // 404 (the page is off) and 415 (the leader's SVG, refused on purpose) are answers, not
    // faults; nothing else was logged.
    expect(e2e.browserErrors.filter((e) => !/status of (404|415)/.test(e))).toEqual([]);
  });
});
