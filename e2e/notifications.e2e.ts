/**
 * Notifications in a real browser with a real SMTP peer: a leader chooses to hear of join
 * requests at once on their profile page; a person who was added by address alone (no name) is
 * invited by the profile page to add one, adds it, and asks to join; the leader gets the email,
 * follows its link and approves; the person gets the approval email. The leader then turns join
 * request emails off from the email's unsubscribe link, and the profile page shows it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';
import { codeOf, call } from './page-calls';

const adminEmail = 'root@example.edu';
const leaderEmail = 'lena.leader@example.edu';
const askerEmail = 'sam.nameless@example.edu';

describeE2e('notifications and the profile page (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let leader: Page;
  let asker: Page;
  let communityId: number;

  async function signIn(email: string, size = { width: 1280, height: 900 }): Promise<Page> {
    const page = await e2e.newPage(size);
    const askedAt = Date.now();
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(
      email,
      (m) => m.receivedAt >= askedAt - 2_000 && /sign-in code/.test(m.subject),
    );
    await page.getByLabel('6-digit code').fill(codeOf(mail));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    return page;
  }

  async function idOf(page: Page): Promise<number> {
    const me = (await call<{ id?: number; me?: { id: number } }>(page, 'GET', '/api/me')).json;
    return me.me?.id ?? (me.id as number);
  }

  /** Opens the profile page from the user menu. */
  async function openProfile(page: Page, item: string | RegExp): Promise<void> {
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('menuitem', { name: item }).click();
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
  }

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
      headline: 'On the river at dawn',
      description: 'Beginners welcome.',
      privacy: 'private',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    expect(
      (await call(admin, 'POST', '/api/admin/people', { email: leaderEmail, firstName: 'Lena', lastName: 'Leader' }))
        .status,
    ).toBe(201);
    // Invited by address alone (to another community, without an email): no name.
    const other = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Boathouse News',
      headline: 'What is on',
      description: '',
      privacy: 'public',
    });
    expect(other.status).toBe(201);
    expect(
      (
        await call(admin, 'POST', `/api/communities/${other.json.id}/invitations`, {
          emails: askerEmail,
          sendEmail: false,
        })
      ).status,
    ).toBe(200);

    leader = await signIn(leaderEmail, { width: 1280, height: 1000 });
    const leaderId = await idOf(leader);
    expect(
      (
        await call(admin, 'POST', `/api/communities/${communityId}/invitations`, {
          personIds: [leaderId],
          sendEmail: false,
        })
      ).status,
    ).toBe(200);
    expect((await call(leader, 'POST', `/api/communities/${communityId}/join`, {})).status).toBe(200);
    expect((await call(admin, 'POST', `/api/communities/${communityId}/leaders/${leaderId}`, {})).status).toBeLessThan(
      300,
    );
    asker = await signIn(askerEmail, { width: 390, height: 844 });
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('a leader chooses to hear of join requests at once on their profile page', async () => {
    await leader.reload();
    await openProfile(leader, 'Profile and notifications');
    const joinRequests = leader.getByRole('radiogroup', { name: /Requests to join my communities/ });
    await expect(joinRequests.getByRole('radio', { name: 'Daily digest' }).isChecked()).resolves.toBe(true);
    await joinRequests.getByRole('radio', { name: 'At once' }).check();
    await e2e.screenshot(leader, 'profile-desktop');
    await leader.getByRole('button', { name: 'Save notification settings' }).click();
    await leader.getByText('Your notification settings are saved.').waitFor();
    expect(
      (await call<{ settings: Record<string, string> }>(leader, 'GET', '/api/me/notifications')).json.settings,
    ).toMatchObject({ joinRequests: 'immediate' });
  });

  it('a person without a name is asked to add one, adds it, and is shown by it', async () => {
    await openProfile(asker, 'Add your name');
    await asker.getByText(`people see your email address (${askerEmail})`).waitFor();
    await e2e.screenshot(asker, 'profile-phone');
    await asker.getByLabel('First name').fill('Sam');
    await asker.getByLabel('Last name').fill('Rower');
    await asker.getByRole('button', { name: 'Save name' }).click();
    await asker.getByText('Your name is saved.').waitFor();
    await asker.getByRole('button', { name: 'Account: Sam Rower' }).waitFor();
    await expect(asker.getByText('Add your name', { exact: true }).count()).resolves.toBe(0);
  });

  it('a leader gets the join request email, follows it and approves; the person gets the approval email', async () => {
    const askedAt = Date.now();
    await asker.goto(e2e.url(`/communities/${communityId}`));
    await asker.getByRole('button', { name: 'Ask to join' }).click();
    await asker.getByText('Your request to join is waiting for a leader.').waitFor();

    const notice = await e2e.waitForEmail(
      leaderEmail,
      (m) => m.receivedAt >= askedAt - 2_000 && m.subject === 'Sam Rower asked to join Rowing Club',
    );
    const link = new RegExp(`${e2e.baseUrl}/communities/${communityId}\\?tab=members&list=requested`).exec(
      notice.text,
    )?.[0];
    expect(link, notice.text).toBeDefined();
    await leader.goto(link!);
    await leader.getByRole('table', { name: 'Join requests' }).waitFor();
    await e2e.screenshot(leader, 'join-request-from-email');
    await leader.getByRole('button', { name: 'Approve Sam Rower' }).click();
    await leader.getByText('No open requests').waitFor();

    const approved = await e2e.waitForEmail(askerEmail, (m) => m.subject === 'You are now a member of Rowing Club');
    expect(approved.text).toContain(`${e2e.baseUrl}/communities/${communityId}`);
    expect(approved.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    // The leader stops join request emails from the email's own link; the profile page shows it.
    const unsubscribe = /^<(.+)>$/.exec(notice.headers['list-unsubscribe'])?.[1];
    expect(unsubscribe).toMatch(/\/notifications\/unsubscribe\//);
    await leader.goto(unsubscribe!);
    await leader.getByText('“Requests to join my communities” emails').first().waitFor();
    await leader.getByRole('button', { name: 'Unsubscribe' }).click();
    await leader.getByText('You are unsubscribed').waitFor();
    await e2e.screenshot(leader, 'notification-unsubscribe');
    await leader.goto(e2e.url('/profile'));
    const joinRequests = leader.getByRole('radiogroup', { name: /Requests to join my communities/ });
    await joinRequests.getByRole('radio', { name: 'Off' }).waitFor();
    await expect(joinRequests.getByRole('radio', { name: 'Off' }).isChecked()).resolves.toBe(true);
    // 401s are the signed-out check of the sign-in pages
    expect(e2e.browserErrors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
