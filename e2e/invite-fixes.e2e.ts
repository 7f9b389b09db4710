/**
 * What leaders tripped over in the invite dialog, in a real browser, on a site without SMTP_URL
 * (emails are kept): Outlook's "Last, First" names, kept emails in the Invited list and Resend,
 * Enter or Tab taking the first suggestion, a long list keeping the count and the button in
 * view, one vocabulary for counts, the close button's name and Esc, and a message typed with
 * sending off.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';
import { call } from './page-calls';

const adminEmail = 'root@example.edu';

describeE2e('invite dialog fixes (browser, no SMTP)', () => {
  let e2e: E2e;
  let admin: Page;
  let communityId: number;

  async function openDialog(page: Page, size?: { width: number; height: number }) {
    if (size) await page.setViewportSize(size);
    await page.goto(e2e.url(`/communities/${communityId}`));
    await page
      .getByRole('tab', { name: /^Members/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Invite members' }).click();
    await page.getByRole('dialog', { name: /Invite members to Harbour Sailing/ }).waitFor();
    // the title changes to "Invitations to …" with the results
    return page.getByRole('dialog');
  }

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University', SMTP_URL: '' } });
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage({ width: 1280, height: 800 });
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Harbour Sailing',
      headline: 'Wind and water',
      description: 'Weekend regattas.',
      privacy: 'private',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    const person = await call(admin, 'POST', '/api/admin/people', {
      email: 'grace.hopper@example.edu',
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    expect(person.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('the close button has a name, the recipients field has first focus, and Esc asks before losing recipients', async () => {
    const dialog = await openDialog(admin);
    await expect
      .poll(() => admin.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Add recipients');
    await dialog.getByRole('button', { name: 'Close the invite dialog' }).waitFor();
    await dialog.getByLabel('Add recipients').fill('a@example.org, b@example.org');
    await dialog.getByLabel('Add recipients').press('Enter');
    await expect.poll(() => dialog.getByTestId('recipient-chip').count()).toBe(2);
    await admin.keyboard.press('Escape');
    const confirm = dialog.getByRole('alertdialog');
    await confirm.getByText('Closing loses all 2 recipients.').waitFor();
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    expect(await dialog.getByTestId('recipient-chip').count()).toBe(2);
    await admin.keyboard.press('Escape');
    await dialog.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('typing a name and pressing Tab takes the first suggestion', async () => {
    const dialog = await openDialog(admin);
    const field = dialog.getByLabel('Add recipients');
    await field.pressSequentially('Grace');
    await dialog.getByRole('option', { name: /Grace Hopper/ }).waitFor();
    await field.press('Tab');
    await expect.poll(() => dialog.getByTestId('recipient-chip').allInnerTexts()).toEqual(['Grace Hopper']);
    expect(await dialog.locator('[data-kind="invalid"]').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Clear' }).click();
    expect(await dialog.getByTestId('recipient-chip').count()).toBe(0);
    await admin.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('on a phone, an address ending in a dot or with accents says why it will be skipped', async () => {
    const dialog = await openDialog(admin, { width: 390, height: 844 });
    const field = dialog.getByLabel('Add recipients');
    await field.fill('ada@example.org., josé@example.org, sam@example.org');
    await field.press('Enter');
    const invalid = dialog.locator('[data-kind="invalid"]');
    await expect.poll(() => invalid.count()).toBe(2);
    expect(await invalid.filter({ hasText: 'ada@example.org.' }).getAttribute('title')).toBe(
      'Not an email address (it ends with a dot): it will be skipped',
    );
    expect(await invalid.filter({ hasText: 'josé@example.org' }).getAttribute('title')).toMatch(
      /^Not an email address \(it has letters outside plain ASCII \(addresses with accents or other scripts are not supported\)\)/,
    );
    expect(await dialog.getByTestId('recipient-count').innerText()).toMatch(/^1 recipient/);
    expect(await dialog.getByTestId('invalid-count').innerText()).toBe('· 2 not an email address (will be skipped)');
    await e2e.screenshot(admin, 'invite-dialog-phone');
    await admin.keyboard.press('Escape');
    await dialog.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.setViewportSize({ width: 1280, height: 800 });
  });

  it('over 250 on a phone, the count, the error and the Invite button stay in view; Remove invalid and the counts agree', async () => {
    const page = admin;
    const dialog = await openDialog(page, { width: 390, height: 844 });
    const list = Array.from({ length: 255 }, (_, i) => `person${i}@example.org`);
    const field = dialog.getByLabel('Add recipients');
    await field.fill([...list, 'not-an-email', 'x@ex ample.org'].join(', '));
    await field.press('Enter');
    await dialog.getByText('At most 250 recipients per invitation: remove 5.').waitFor();
    expect(await dialog.getByTestId('recipient-count').innerText()).toBe('255 recipients (at most 250)');
    expect(await dialog.getByTestId('invalid-count').innerText()).toBe('· 2 not an email address (will be skipped)');
    const button = dialog.getByRole('button', { name: 'Invite Members' });
    // the dialog stays short: the button is a scroll away at most, not thousands of pixels
    const box = await dialog.boundingBox();
    const buttonBox = await button.boundingBox();
    expect(buttonBox!.y - box!.y).toBeLessThan(1_000);
    await e2e.screenshot(page, 'invite-dialog-over-limit-phone');
    await dialog.getByRole('button', { name: 'Remove invalid' }).click();
    expect(await dialog.locator('[data-kind="invalid"]').count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await e2e.screenshot(page, 'invite-dialog-over-limit');
    // Remove five, then invite: the results speak of the same recipients
    for (let i = 0; i < 5; i++) {
      await dialog
        .getByTestId('recipient-chip')
        .filter({ hasText: new RegExp(`^person${i}@example\\.org$`) })
        .locator('.mantine-Pill-remove')
        .click();
    }
    await field.fill('person10@example.org; not-an-email');
    await field.press('Enter');
    expect(await dialog.getByTestId('recipient-count').innerText()).toBe('250 recipients (at most 250)');
    await dialog.getByLabel('Automatically send email invitations to new members').uncheck();
    await button.click();
    await dialog.getByTestId('invite-results').waitFor();
    // person10 typed again is merged in the dialog already; the invalid entry is counted apart
    await dialog.getByText('250 recipients: 250 invited, 0 emails queued · 1 not an email address, skipped').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('"Smith, John" <…> creates John Smith; the kept email shows as kept and may be resent at once; a message typed with sending off is not kept', async () => {
    const dialog = await openDialog(admin);
    const field = dialog.getByLabel('Add recipients');
    await field.fill('"Smith, John" <john.smith@example.org>');
    await field.press('Enter');
    await dialog.getByLabel('Message (optional)').fill('Bring your own life jacket');
    await dialog.getByLabel('Automatically send email invitations to new members').uncheck();
    expect(await dialog.getByLabel('Message (optional)').isDisabled()).toBe(true);
    await dialog.getByText(/a message travels only in the invitation email, so none is kept/).waitFor();
    await dialog.getByRole('button', { name: 'Invite Members' }).click();
    const results = dialog.getByTestId('invite-results');
    await results.waitFor();
    expect(await results.innerText()).toContain('John Smith');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const people = await call<{ items: { firstName: string; lastName: string; email: string }[] }>(
      admin,
      'GET',
      `/api/communities/${communityId}/invitations?q=john.smith`,
    );
    expect(people.json.items.find((p) => p.email === 'john.smith@example.org')).toMatchObject({
      firstName: 'John',
      lastName: 'Smith',
    });

    // Resend emails it now (sending was off): without SMTP the email is kept, and the list says so.
    await admin.getByText('Invited', { exact: true }).click();
    const invited = admin.getByRole('table', { name: 'Invited people' });
    const row = invited.getByRole('row').filter({ hasText: 'john.smith@example.org' });
    await row.getByRole('button', { name: 'Resend' }).click();
    await admin.getByText('Invitation emailed again to john.smith@example.org.').waitFor();
    await e2e.waitForOutboxDrained();
    await admin.reload();
    await admin.getByText('Invited', { exact: true }).click();
    await row.getByText('kept, not sent').waitFor();
    expect(await row.getByRole('button', { name: 'Resend' }).isEnabled()).toBe(true);
    await e2e.screenshot(admin, 'invite-invited-list-kept');
    const log = await call<{ items: { to: string; state: string; id: number }[] }>(admin, 'GET', '/api/admin/emails');
    const kept = log.json.items.filter((m) => m.to === 'john.smith@example.org');
    expect(kept.map((m) => m.state)).toEqual(['kept']);
    const view = await call<{ text?: string; body?: string }>(admin, 'GET', `/api/admin/emails/${kept[0].id}`);
    expect(JSON.stringify(view.json)).not.toContain('life jacket');
  });
});
