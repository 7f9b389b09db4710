/**
 * Tables on a 390×844 phone keep their actions in view: a community's Members and Invited lists
 * (the buttons stay at the right edge while the table scrolls sideways), the admin's Members list
 * and a Data Tools job log. Each action is seen inside the screen before it is used, then used.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';

const phone = { width: 390, height: 844 };

function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

/** The element lies within the phone's width as the page shows it, with no sideways scroll. */
async function expectInView(target: Locator): Promise<void> {
  await target.waitFor();
  const box = await target.boundingBox();
  expect(box, 'the element has a box').not.toBeNull();
  expect(box!.x, 'left edge on screen').toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, 'right edge on screen').toBeLessThanOrEqual(phone.width);
}

describeE2e('tables on a phone keep their actions in view', () => {
  let e2e: E2e;
  let admin: Page;
  let leader: Page;
  let communityId: number;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    await e2e.runCli(['demo', '--people', '300', '--communities', '4', '--csv-rows', '0']);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(
      (await e2e.runCli(['admin', 'add', 'dean@example.edu'])).stdout,
    )?.[0];
    if (!link) throw new Error('convene admin add printed no link');
    admin = await e2e.newPage(phone);
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();

    // A leader of a community that has open invitations and plain members.
    const [row] = e2e.query<{ email: string; communityId: number }>(
      `SELECT p.email, m.community_id AS communityId FROM membership m JOIN person p ON p.id = m.person_id
       WHERE m.role = 'leader' AND m.state = 'joined' AND p.status = 'active' AND p.is_admin = 0
       AND EXISTS (SELECT 1 FROM membership i WHERE i.community_id = m.community_id AND i.state = 'invited')
       ORDER BY m.community_id LIMIT 1`,
    );
    communityId = row.communityId;
    leader = await e2e.newPage(phone);
    const askedAt = Date.now();
    await leader.goto(e2e.url('/sign-in'));
    await leader.getByLabel('Email address').fill(row.email);
    await leader.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(row.email, (m) => m.receivedAt >= askedAt - 2_000);
    await leader.getByLabel('6-digit code').fill(codeOf(mail.text));
    await leader.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it("a leader's Members list: Make leader is on screen, and works", async () => {
    await leader.goto(e2e.url(`/communities/${communityId}?tab=members`));
    const table = leader.getByRole('table', { name: 'Members' });
    const makeLeader = table.getByRole('button', { name: /^Make leader: / }).first();
    await expectInView(makeLeader);
    const name = (await makeLeader.getAttribute('aria-label'))!.replace('Make leader: ', '');
    await e2e.screenshot(leader, 'phone-community-members');
    await makeLeader.click();
    await leader.getByText(`${name} is now a leader.`).waitFor();
  });

  it('the Invited list: Resend and Revoke are on screen; Revoke works', async () => {
    await leader.goto(e2e.url(`/communities/${communityId}?tab=members`));
    await leader
      .locator('.mantine-SegmentedControl-root label')
      .filter({ hasText: /^Invited$/ })
      .click();
    const table = leader.getByRole('table', { name: 'Invited people' });
    await expectInView(table.getByRole('button', { name: 'Resend' }).first());
    const revoke = table.getByRole('button', { name: 'Revoke' }).first();
    await expectInView(revoke);
    await e2e.screenshot(leader, 'phone-invited-list');
    await revoke.click();
    // Revoke asks first; its confirm button is on screen on a phone too.
    const confirm = leader
      .getByRole('dialog', { name: 'Revoke this invitation?' })
      .getByRole('button', { name: 'Revoke' });
    await expectInView(confirm);
    await confirm.click();
    await leader.getByText(/^The invitation of .* is revoked\.$/).waitFor();
  });

  it("the admin's Members list: each person's link is on screen", async () => {
    await admin.goto(e2e.url('/admin/members'));
    const first = admin.getByRole('table').getByRole('link').first();
    await expectInView(first);
    await first.click();
    await admin.waitForURL(/\/admin\/members\/\d+$/);
  });

  it('a job log: the row filter and Download CSV are on screen', async () => {
    const [person] = e2e.query<{ unique_id: string }>(
      `SELECT unique_id FROM person WHERE status = 'active' AND unique_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await admin.goto(e2e.url('/admin/data-tools/new'));
    await admin.getByRole('radio', { name: /Invite members to community/ }).click();
    await admin.getByRole('button', { name: 'Next: upload the file' }).click();
    await admin.locator('input[type=file]').setInputFiles({
      name: 'phone.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `Unique ID,Community ID\r\n${person.unique_id},${communityId}\r\nU9999999,${communityId}\r\n`,
      ),
    });
    await admin.getByRole('heading', { name: 'Key field' }).waitFor();
    await admin.getByRole('radio', { name: /^Unique ID/ }).check();
    await admin.getByRole('button', { name: 'Next: check every row' }).click();
    await admin
      .locator('button:enabled')
      .filter({ hasText: /^Start$/ })
      .click();
    await admin.getByRole('heading', { name: 'Row by row' }).waitFor();
    await expectInView(admin.getByRole('link', { name: 'Download CSV' }));
    await expectInView(admin.getByTestId('results-filter'));
    await admin.getByTestId('results-table').waitFor();
    await e2e.screenshot(admin, 'phone-job-log');
  });
});
