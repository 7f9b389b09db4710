/**
 * Site administration in a real browser, after `convene demo`: an admin works through every
 * Members tab, approves a pending person with a Unique ID that merges into a pre-verified record,
 * deactivates and reactivates someone, creates communities and makes someone a leader; a member
 * browses, joins a public community and asks to join a private one; the leader approves.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoEmailOf, demoStatusOf, demoUniqueIdOf } from '../src/server/demo/generate';
import { describeE2e, startE2e, type E2e } from './harness';

const adminEmail = 'dean@example.edu';
const demoPeople = 400;

function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

/** The i-th demo person in `status` (0-based among them). */
function demoIndex(status: string, nth = 0): number {
  let seen = 0;
  for (let i = 0; i < demoPeople; i++) if (demoStatusOf(i) === status && seen++ === nth) return i;
  throw new Error(`no demo person in ${status}`);
}

describeE2e('site administration', () => {
  let e2e: E2e;
  let admin: Page;

  async function signIn(email: string): Promise<Page> {
    const page = await e2e.newPage({ width: 1280, height: 900 });
    const askedAt = Date.now();
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(
      email,
      (m) => m.receivedAt >= askedAt - 2_000 && /sign-in code/.test(m.subject),
    );
    await page.getByLabel('6-digit code').fill(codeOf(`${mail.subject}\n${mail.text}`));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    return page;
  }

  /** Chooses a segment of a SegmentedControl (its radio inputs are visually hidden). */
  async function pick(page: Page, label: string): Promise<void> {
    await page
      .locator('.mantine-SegmentedControl-root label')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .click();
  }

  async function notice(page: Page, text: string | RegExp): Promise<void> {
    await page.getByText(text).first().waitFor();
  }

  /** Members → a tab → search → open the first person. */
  async function openPerson(tab: RegExp, q: string): Promise<void> {
    await admin.goto(e2e.url('/admin/members'));
    await admin.getByRole('tab', { name: tab }).click();
    await admin.getByLabel('Search members').fill(q);
    const table = admin.getByRole('table');
    await expect
      .poll(async () => (await table.getByRole('row').allInnerTexts()).filter((r) => r.includes(q)).length)
      .toBe(1);
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('link').first().click();
    await admin.waitForURL(/\/admin\/members\/\d+$/);
    await admin.getByText('Pre-verification ID', { exact: true }).waitFor();
  }

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    await e2e.runCli(['demo', '--people', String(demoPeople), '--communities', '6', '--csv-rows', '0']);
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage({ width: 1280, height: 900 });
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('works through every Members tab with counts', async () => {
    await admin.goto(e2e.url('/admin/members'));
    await admin.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
    for (const [tab, status] of [
      [/^Active/, 'Active'],
      [/^Pending/, 'Pending'],
      [/^Invited/, 'Invited'],
      [/^Pre-Verified/, 'Pre-verified'],
      [/^Inactive/, 'Inactive'],
    ] as const) {
      await admin.getByRole('tab', { name: tab }).click();
      const table = admin.getByRole('table', { name: `${status.replace('Pre-verified', 'Pre-Verified')} members` });
      await table.getByRole('row').nth(1).waitFor();
      // Every row of the tab carries the tab's status (the previous tab's rows may show while loading).
      await expect
        .poll(async () => [
          ...new Set(
            (await table.locator('tbody tr td:last-child').allInnerTexts()).map((b) => b.trim().toLowerCase()),
          ),
        ])
        .toEqual([status.toLowerCase()]);
      const count = await admin.getByRole('tab', { name: tab }).innerText();
      expect(Number(count.replace(/\D/g, ''))).toBeGreaterThan(0);
    }
    await admin.getByRole('tab', { name: /^Admins/ }).click();
    await admin.getByRole('table').getByText(adminEmail).waitFor();
    await admin.getByRole('tab', { name: /^Active/ }).click();
    await admin.getByRole('table').getByRole('row').nth(1).waitFor();
    await e2e.screenshot(admin, 'admin-members');
    const csv = await admin.request.get(e2e.url('/api/admin/people.csv?status=pending'));
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toContain('Profile ID,Unique ID,Pre-verification ID');
  });

  it('approves a pending person with a Unique ID that merges into the pre-verified record', async () => {
    const pending = demoIndex('pending', 0);
    const pre = demoIndex('pre_verified', 0);
    const uniqueId = demoUniqueIdOf(pre)!;
    await openPerson(/^Pending/, demoEmailOf(pending));
    await admin.getByRole('button', { name: 'Approve' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Approve this person' });
    await dialog.getByLabel('Unique ID (optional)').fill(uniqueId);
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await notice(admin, 'Approved.');
    // One person remains: the pre-verified record, now active, with the pending person's email.
    await admin.getByText(uniqueId).waitFor();
    await admin.getByText(demoEmailOf(pending)).waitFor();
    await admin.getByText('Active', { exact: true }).first().waitFor();
    await e2e.screenshot(admin, 'admin-person');
    const search = await admin.request.get(
      e2e.url(`/api/admin/people?status=active&q=${encodeURIComponent(uniqueId)}`),
    );
    expect((await search.json()).items).toHaveLength(1);
    const gone = await admin.request.get(
      e2e.url(`/api/admin/people?status=pending&q=${encodeURIComponent(demoEmailOf(pending))}`),
    );
    expect((await gone.json()).items).toHaveLength(0);
  });

  it('deactivates and reactivates someone', async () => {
    const who = demoEmailOf(demoIndex('active', 5));
    await openPerson(/^Active/, who);
    await admin.getByRole('button', { name: 'Deactivate' }).click();
    await admin
      .getByRole('dialog', { name: 'Deactivate this person?' })
      .getByRole('button', { name: 'Deactivate' })
      .click();
    await notice(admin, 'Deactivated.');
    await admin.getByRole('button', { name: 'Reactivate' }).click();
    await notice(admin, 'Reactivated.');
    await admin.getByRole('button', { name: 'Deactivate' }).waitFor();
  });

  it('creates communities, makes a member a leader; a member joins and asks; the leader approves', async () => {
    await admin.goto(e2e.url('/admin/communities'));
    for (const [name, privacy] of [
      ['Boston Alumni Circle', 'Public'],
      ['Founders Table', 'Private'],
    ] as const) {
      await admin.getByRole('button', { name: 'New community' }).click();
      const dialog = admin.getByRole('dialog', { name: 'New community' });
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('Headline').fill(`${name}: meet, share, help`);
      await dialog.getByLabel('Privacy', { exact: true }).first().click();
      await admin.getByRole('option', { name: privacy, exact: true }).click();
      await dialog.getByRole('button', { name: 'Create community' }).click();
      await notice(admin, new RegExp(`Created “${name}”`));
    }
    const table = admin.getByRole('table', { name: 'Communities' });
    await table.getByText('Founders Table', { exact: true }).waitFor();
    await e2e.screenshot(admin, 'admin-communities');
    const list = await (await admin.request.get(e2e.url('/api/admin/communities?q=Founders'))).json();
    const privateId: number = list.items[0].id;
    // The Community ID column shows the ID CSV files use.
    expect(
      (
        await table
          .getByRole('row', { name: /Founders Table/ })
          .getByRole('cell')
          .first()
          .innerText()
      ).trim(),
    ).toBe(String(privateId));

    // The future leader asks to join; the admin approves and makes them a leader.
    const leaderEmail = demoEmailOf(demoIndex('active', 1));
    const leader = await signIn(leaderEmail);
    await leader.goto(e2e.url(`/communities/${privateId}`));
    await leader.getByRole('button', { name: 'Ask to join' }).click();
    await notice(leader, /Request sent/);

    await admin.goto(e2e.url(`/communities/${privateId}?tab=members`));
    await pick(admin, 'Requests');
    await admin.getByRole('button', { name: /^Approve / }).click();
    await notice(admin, /joined\./);
    await pick(admin, 'Members');
    await admin.getByRole('button', { name: /^Make leader: / }).click();
    await notice(admin, /is now a leader/);
    await admin.goto(e2e.url(`/communities/${privateId}?tab=settings`));
    expect(await admin.getByTestId('community-id').innerText()).toBe(String(privateId));
    await e2e.screenshot(admin, 'community-settings');

    // A member browses, joins the public community and asks to join the private one.
    const member = await signIn(demoEmailOf(demoIndex('active', 2)));
    await member.goto(e2e.url('/communities'));
    const publicCard = member.locator('[data-testid^="community-card-"]', { hasText: 'Boston Alumni Circle' });
    await publicCard.getByRole('button', { name: 'Join' }).click();
    await notice(member, 'You joined.');
    const privateCard = member.locator(`[data-testid="community-card-${privateId}"]`);
    await privateCard.getByRole('button', { name: 'Ask to join' }).click();
    await notice(member, /Request sent/);
    await e2e.screenshot(member, 'communities-browse');

    // The leader approves the request from the Members tab.
    await leader.goto(e2e.url(`/communities/${privateId}?tab=members`));
    await pick(leader, 'Requests');
    await leader.getByRole('button', { name: /^Approve / }).click();
    await notice(leader, /joined\./);
    await pick(leader, 'Members');
    await leader.getByRole('table', { name: 'Members' }).getByRole('row').nth(2).waitFor();
    await e2e.screenshot(leader, 'community-members');

    await member.goto(e2e.url(`/communities/${privateId}`));
    await member.getByRole('button', { name: 'Leave' }).waitFor();
    // Page errors and CSP violations would show here; 401s (the sign-in page asking who is there) do not count.
    const errors = e2e.browserErrors.filter((e) => !e.includes('Failed to load resource'));
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
