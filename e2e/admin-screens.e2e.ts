/**
 * Admin screens in a real browser, after `convene demo`: the Email log searched by recipient and
 * filtered by kind and state; the Pending tab's "came from" and bulk approve; API tokens made
 * (shown once), used, and revoked after a confirmation.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';
import { call } from './page-calls';

const adminEmail = 'registrar@example.edu';

describeE2e('admin screens: email log, pending approvals, API tokens', () => {
  let e2e: E2e;
  let admin: Page;

  /** Chooses a segment of a SegmentedControl (its radio inputs are visually hidden). */
  async function pick(page: Page, label: string): Promise<void> {
    await page
      .locator('.mantine-SegmentedControl-root label')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .click();
  }

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    await e2e.runCli(['demo', '--people', '300', '--communities', '4', '--csv-rows', '0']);
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

  it('Email log: searches by recipient and filters by kind and state', async () => {
    for (const to of ['alpha.tester@example.org', 'beta.tester@example.org', 'alpha.other@example.net']) {
      expect((await call(admin, 'POST', '/api/admin/emails/test', { to })).status).toBe(202);
    }
    await e2e.waitForOutboxDrained();
    await admin.goto(e2e.url('/admin/emails'));
    await admin.getByRole('heading', { level: 1, name: 'Email log' }).waitFor();
    const rows = admin.getByRole('table', { name: 'Emails' }).locator('tbody tr');
    const recipients = async () => (await rows.locator('td:first-child').allInnerTexts()).map((t) => t.trim());

    await admin.getByLabel('Recipient').fill('ALPHA');
    await expect.poll(recipients).toEqual(['alpha.other@example.net', 'alpha.tester@example.org']);
    await admin.getByLabel('Recipient').fill('alpha.tester');
    await expect.poll(recipients).toEqual(['alpha.tester@example.org']);

    await admin.getByLabel('Kind', { exact: true }).first().click();
    await admin.getByRole('option', { name: 'test_email', exact: true }).click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('kind')).toBe('test_email');
    await pick(admin, 'Sent');
    await expect.poll(recipients).toEqual(['alpha.tester@example.org']);
    await e2e.screenshot(admin, 'email-log-filters');
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.getByLabel('Recipient').waitFor();
    await e2e.screenshot(admin, 'email-log-phone');
    await admin.setViewportSize({ width: 1280, height: 900 });

    await pick(admin, 'Failed');
    await admin.getByText('No emails match').waitFor();
    await pick(admin, 'All');
    await admin.getByLabel('Kind', { exact: true }).first().click();
    await admin.getByRole('option', { name: 'sign_in_code', exact: true }).click();
    await admin.getByText('No emails match').waitFor();
    await admin.getByLabel('Recipient').fill('');
    await admin.getByLabel('Kind', { exact: true }).first().click();
    await admin.getByRole('option', { name: 'test_email', exact: true }).click();
    await expect.poll(async () => (await recipients()).length).toBe(3);
  });

  it('Pending tab: says where each person came from, approves the selected ones and reports each', async () => {
    await admin.goto(e2e.url('/admin/members?tab=pending'));
    const table = admin.getByRole('table', { name: 'Pending members' });
    await table.locator('tbody tr').first().waitFor();
    await expect.poll(() => table.getByRole('columnheader', { name: 'Came from' }).count()).toBe(1);
    await table.getByText('Signed up on the site').first().waitFor();
    const pendingCount = async () =>
      Number((await admin.getByRole('tab', { name: /^Pending/ }).innerText()).replace(/\D/g, ''));
    const before = await pendingCount();
    expect(before).toBeGreaterThan(3);
    const boxes = table.locator('tbody').getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await boxes.nth(2).check();
    await admin.getByRole('button', { name: 'Approve 3 selected' }).waitFor();
    await e2e.screenshot(admin, 'admin-pending-approve');
    // On a phone the selection's button is still there to press.
    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.getByRole('button', { name: 'Approve 3 selected' }).waitFor();
    await e2e.screenshot(admin, 'admin-pending-approve-phone');
    await admin.setViewportSize({ width: 1280, height: 900 });
    await admin.getByRole('button', { name: 'Approve 3 selected' }).click();
    await admin.getByRole('status').getByText('Approved 3 people').waitFor();
    await expect.poll(pendingCount).toBe(before - 3);
    await admin.getByRole('button', { name: 'Approve selected' }).waitFor();
    expect(await admin.getByRole('button', { name: 'Approve selected' }).isDisabled()).toBe(true);

    await table.getByRole('checkbox', { name: 'Select every pending person shown' }).check();
    const shown = await boxes.count();
    await admin.getByRole('button', { name: `Approve ${shown} selected` }).waitFor();
  });

  it('API tokens: made with scopes and shown once, used, then revoked after a confirmation', async () => {
    await admin.goto(e2e.url('/admin/tokens'));
    await admin.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await admin.getByRole('button', { name: 'New token' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Nightly export');
    await dialog.getByRole('checkbox', { name: /^Data jobs/ }).check();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const token = (await dialog.getByTestId('new-token').innerText()).trim();
    expect(token).toMatch(/^cvn_/);
    await dialog.getByRole('button', { name: 'Copy token' }).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const row = admin
      .getByRole('table', { name: 'API tokens' })
      .locator('tbody tr')
      .filter({ hasText: 'Nightly export' });
    await row.getByText('Data jobs').waitFor();
    await row.getByText('active').waitFor();
    expect(await admin.getByText(token).count()).toBe(0);

    const use = () =>
      fetch(e2e.url('/api/admin/people?status=active&limit=1'), { headers: { authorization: `Bearer ${token}` } });
    expect((await use()).status).toBe(200);
    const write = await fetch(e2e.url('/api/admin/settings'), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ signupOpen: false }),
    });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('api_token_scope');
    await admin.reload();
    await expect.poll(async () => (await row.locator('td').nth(5).innerText()).trim()).not.toBe('Never');
    await e2e.screenshot(admin, 'admin-tokens');

    await row.getByRole('button', { name: 'Revoke token Nightly export' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await use();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('api_token_revoked');
    const listed = await e2e.runCli(['token', 'list']);
    expect(listed.stdout).toMatch(/\trevoked\tread,data_jobs\tregistrar@example\.edu\t.*Nightly export/);
    expect(listed.stdout).not.toContain(token);
  });
});
