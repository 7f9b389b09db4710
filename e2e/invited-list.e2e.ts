/**
 * Issue 19 in a real browser with the real SMTP peer: an admin emails the invitees of a finished
 * Data Tools invite job (reads the count, that pre-verified people are left out, the preview,
 * confirms; the peer receives the emails; the job's page shows them sent); a leader pages the
 * Invited list past 50, filters it, exports it (the downloaded CSV is checked), and revokes an
 * invitation then undoes it. Screenshots at 1280×800 and 390×844.
 *
 * The people and invitations are written set-based into the server's database (as a site with
 * thousands would have them); everything after that goes through the screens.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../src/server/db/db';
import { insertInvitations, insertLeader, insertPeople } from '../src/server/testing/bulk-people';
import { describeE2e, startE2e, type E2e } from './harness';
import { call, codeOf } from './page-calls';

const adminEmail = 'root@example.edu';
const leaderEmail = 'lena.leader@example.edu';
const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };

describeE2e('the Invited list and emailing a job’s invitees (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let leader: Page;
  let choir = 0;
  let club = 0;

  async function signIn(email: string): Promise<Page> {
    const page = await e2e.newPage(desktop);
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

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage(desktop);
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    const made = async (name: string) => {
      const res = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
        name,
        headline: `${name} of Northfield`,
        description: 'Alumni and friends.',
        privacy: 'private',
      });
      expect(res.status).toBe(201);
      return res.json.id;
    };
    choir = await made('Alumni Choir');
    club = await made('Rowing Club');
    const lena = await call<{ person: { id: number } }>(admin, 'POST', '/api/admin/people', {
      email: leaderEmail,
      firstName: 'Lena',
      lastName: 'Leader',
    });
    expect(lena.status).toBe(201);
    const handle = createDb(e2e.databaseUrl);
    try {
      const now = Date.now();
      await insertLeader(handle.db, choir, lena.json.person.id, now);
      // 120 invitations to the choir: open, declined, expired in turn; direct and Data Tools
      await insertPeople(handle.db, { prefix: 'CHOIR', count: 120, statuses: ['active', 'invited'], now });
      await insertInvitations(handle.db, {
        prefix: 'CHOIR',
        communityId: choir,
        invitedBy: lena.json.person.id,
        now,
        standings: [
          ['invited', null],
          ['left', 'decline'],
          ['removed', 'expire'],
        ],
        sources: ['direct', 'data_job'],
        emailStatuses: ['sent', 'not_sent'],
      });
      // the rowers a Data Tools job will invite: active, without an account, pre-verified in turn
      await insertPeople(handle.db, { prefix: 'ROW', count: 9, statuses: ['pre_verified', 'active', 'invited'], now });
    } finally {
      await handle.close();
    }
    leader = await signIn(leaderEmail);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('an admin emails the invitees of a finished invite job: count, preview, confirm, received, shown on the job', async () => {
    const csv = ['Unique ID,Community ID', ...Array.from({ length: 9 }, (_, i) => `ROW-${i + 1},${club}`)].join('\r\n');
    const origin = { origin: new URL(admin.url()).origin };
    const upload = await admin.request.post('/api/admin/data-jobs', {
      headers: origin,
      multipart: {
        type: 'invite_to_community',
        hasHeader: 'true',
        file: { name: 'rowers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) },
      },
    });
    expect(upload.status(), await upload.text()).toBe(201);
    const job = (await upload.json()) as { id: number };
    const mapped = await admin.request.put(`/api/admin/data-jobs/${job.id}/mapping`, {
      headers: origin,
      data: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    });
    expect(mapped.status(), await mapped.text()).toBe(200);
    const started = await admin.request.post(`/api/admin/data-jobs/${job.id}/start`, { headers: origin });
    expect(started.status(), await started.text()).toBe(200);
    await expect
      .poll(
        async () =>
          ((await (await admin.request.get(`/api/admin/data-jobs/${job.id}`)).json()) as { status: string }).status,
        {
          timeout: 60_000,
        },
      )
      .toBe('completed');

    await admin.goto(e2e.url(`/admin/data-tools/${job.id}`));
    const panel = admin.getByTestId('invitee-email-panel');
    await panel.getByRole('button', { name: 'Email these invitees' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Email these invitees' });
    await dialog.getByLabel('Emails per minute').fill('60');
    await dialog.getByTestId('invitee-email-count').filter({ hasText: '6 people will be emailed' }).waitFor();
    await dialog.getByText('3 pre-verified people will not be emailed: they get their invite URL instead.').waitFor();
    await dialog.getByTitle('Preview of the invitation email').waitFor();
    await e2e.screenshot(admin, 'invitee-email-preview');
    await dialog.getByRole('button', { name: 'Send 6 emails' }).click();
    await panel.getByText('6 emails queued').waitFor();
    await e2e.waitForOutboxDrained();
    // the active rowers (1, 4, 7) and those without an account (2, 5, 8); never the pre-verified (3, 6, 9)
    for (const i of [1, 2, 4, 5, 7, 8]) {
      const mail = await e2e.waitForEmail(`row-${i}@example.edu`);
      expect(mail.subject).toContain('Rowing Club');
    }
    expect(e2e.smtp.messagesTo('row-3@example.edu')).toEqual([]);
    await admin.reload();
    await admin.getByTestId('invitee-email-result').getByText('6 sent').waitFor();
    await e2e.screenshot(admin, 'invitee-email-result');
    await admin.setViewportSize(phone);
    await e2e.screenshot(admin, 'invitee-email-result-phone');
    await admin.setViewportSize(desktop);
  });

  it('a leader pages the Invited list past 50, filters it with counts, and exports what it shows', async () => {
    await leader.goto(e2e.url(`/communities/${choir}?tab=members&list=invited`));
    const table = leader.getByRole('table', { name: 'Invited people' });
    await table.waitFor();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(50);
    await leader.getByText('Showing 50 of 120').waitFor();
    await leader.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(100);
    await leader.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(120);
    await expect.poll(() => leader.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    await leader.getByText('Expired (40)').click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(40);
    await leader.locator('input[aria-label="Source"]').click();
    await leader.getByRole('option', { name: /Data Tools job \(20\)/ }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(20);
    await e2e.screenshot(leader, 'invited-list-filtered');

    const [download] = await Promise.all([
      leader.waitForEvent('download'),
      leader.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const file = await download.path();
    const lines = fs
      .readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'First name,Last name,Email,Invitation,Invited by,Invited at,Source,Email state,Emailed at,Expires at,Revoked at',
    );
    expect(lines).toHaveLength(21);
    expect(lines.slice(1).every((l) => l.includes(',expired,') && l.includes(',data_job,'))).toBe(true);

    await leader.setViewportSize(phone);
    await e2e.screenshot(leader, 'invited-list-filtered-phone');
    await leader.setViewportSize(desktop);
  });

  it('a leader revokes an invitation after confirming, and undoes it', async () => {
    await leader.goto(e2e.url(`/communities/${choir}?tab=members&list=invited`));
    await leader.getByText('Open (40)').click();
    const table = leader.getByRole('table', { name: 'Invited people' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(40);
    const revoke = table.getByRole('button', { name: /^Revoke the invitation of / }).first();
    const label = (await revoke.getAttribute('aria-label')) ?? '';
    const who = label.replace('Revoke the invitation of ', '');
    await revoke.click();
    const dialog = leader.getByRole('dialog', { name: 'Revoke this invitation?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    const undo = leader.getByTestId('revoke-undo');
    await undo.getByText(`The invitation of ${who} is revoked.`).waitFor();
    await leader.getByText('Open (39)').waitFor();
    await e2e.screenshot(leader, 'invited-revoke-undo');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await leader.getByText(`The invitation of ${who} is open again.`).waitFor();
    await leader.getByText('Open (40)').waitFor();
    await leader.getByText('Revoked (0)').waitFor();
  });
});
