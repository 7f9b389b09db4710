/**
 * The invitation lifecycle in a real browser with a real SMTP peer: an admin sets the invitation
 * expiry and reminder schedule (and meets the API's validation message); a member, on a phone,
 * opens the public face of an invite-only community from a home card, hides that invitation with
 * "Not now" and brings it back, and declines another after confirming, then declines the first
 * from the community's own page; the leader sees "declined" in the Invited list, sees an
 * invitation that ran out as "expired" and extends it; a leader switches reminders off in the
 * invite dialog; a member who follows an expired invitation reads so on the community's page.
 *
 * Each open state (a refused setting, hidden invitations unfolded, the decline dialog, an expired
 * row) passes axe-core's WCAG 2.1 A and AA checks.
 *
 * Time cannot be moved in a running server: the expired invitation is made by setting its expiry
 * a millisecond in the past in the server's database and queueing the expiry sweep, which the
 * server's worker then runs as it would after the time had passed.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb } from '../src/server/db/db';
import { enqueueJob } from '../src/server/jobs/queue.repository';
import { setOpenInvitationExpiry } from '../src/server/memberships/index';
import { waitFor } from '../src/server/testing/wait-for';
import type { InvitedMembersPage } from '../src/shared/invitations';
import type { SiteSettings } from '../src/shared/site-settings';
import { describeE2e, startE2e, type E2e } from './harness';
import { codeOf, call } from './page-calls';

const DAY = 24 * 60 * 60 * 1000;
const adminEmail = 'root@example.edu';
const leaderEmail = 'lena.leader@example.edu';
const memberEmail = 'mo.member@example.edu';
const staleEmail = 'sam.stale@example.edu';
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 900 };

/** axe-core's WCAG 2.1 A and AA violations on what the page shows, once nothing moves. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((node) => `${v.id}: ${v.help} at ${node.target.join(' ')}`));
}

describeE2e('the invitation lifecycle (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let leader: Page;
  let member: Page;
  const ids = { choir: 0, chess: 0, leader: 0, member: 0, stale: 0 };

  async function signIn(email: string, size: { width: number; height: number }): Promise<Page> {
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

  async function community(name: string, privacy: string, headline: string, description: string): Promise<number> {
    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name,
      headline,
      description,
      privacy,
    });
    expect(created.status).toBe(201);
    return created.json.id;
  }

  async function person(email: string, firstName: string, lastName: string): Promise<number> {
    const made = await call<{ person: { id: number } }>(admin, 'POST', '/api/admin/people', {
      email,
      firstName,
      lastName,
    });
    expect(made.status).toBe(201);
    return made.json.person.id;
  }

  async function invite(page: Page, communityId: number, body: Record<string, unknown>): Promise<void> {
    const res = await call<{ summary: { invited: number } }>(
      page,
      'POST',
      `/api/communities/${communityId}/invitations`,
      body,
    );
    expect(res.status).toBe(200);
    expect(res.json.summary.invited).toBe(1);
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

    ids.choir = await community(
      'Alumni Choir',
      'invite_only',
      'Singing together since 1962',
      'All voices welcome. Rehearsals on Thursdays.',
    );
    ids.chess = await community('Chess Club', 'private', 'Openings, endgames and tea', 'Weekly games for all levels.');
    ids.leader = await person(leaderEmail, 'Lena', 'Leader');
    ids.member = await person(memberEmail, 'Mo', 'Member');
    ids.stale = await person(staleEmail, 'Sam', 'Stale');

    // Lena leads the Chess Club: invited without email, joins, is made its leader.
    leader = await signIn(leaderEmail, desktop);
    await invite(admin, ids.chess, { personIds: [ids.leader], sendEmail: false });
    expect((await call(leader, 'POST', `/api/communities/${ids.chess}/join`, {})).status).toBe(200);
    expect((await call(admin, 'POST', `/api/communities/${ids.chess}/leaders/${ids.leader}`, {})).status).toBeLessThan(
      300,
    );
    // Mo signs in on a phone (pre-verified → active) before the invitations, so they are emailed.
    member = await signIn(memberEmail, phone);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('an admin sets the invitation expiry and reminders; the API’s validation message shows under the field', async () => {
    await admin.goto(e2e.url('/admin/settings'));
    await admin.getByRole('heading', { level: 1, name: 'Site settings' }).waitFor();
    const expiry = admin.getByLabel('Days an invitation stays open');
    expect(await expiry.inputValue()).toBe('30');
    expect(await admin.getByLabel('Reminder days').inputValue()).toBe('3, 10');

    const refused = await call<{ error: { code: string; details: { path: string; message: string }[] } }>(
      admin,
      'PATCH',
      '/api/admin/settings',
      { invitationExpiryDays: 0 },
    );
    expect(refused.json.error.code).toBe('validation_failed');
    // this call and the form's save below are refused on purpose
    e2e.allowBrowserErrors(/status of 400/);
    const apiMessage = refused.json.error.details[0]?.message ?? '';
    await expiry.fill('0');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    const status = admin.getByTestId('settings-status');
    await status.getByText(`invitationExpiryDays: ${apiMessage}`).waitFor();
    // the API's message, under the field it is about
    expect(await expiry.getAttribute('aria-invalid')).toBe('true');
    await admin.getByText(apiMessage, { exact: true }).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    expect((await call<SiteSettings>(admin, 'GET', '/api/admin/settings')).json.invitationExpiryDays).toBe(30);

    await expiry.fill('14');
    await admin.getByLabel('Reminder days').fill('2, 7');
    await admin.getByLabel('Remind before the invitation expires').uncheck({ force: true });
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await status.getByText('Settings saved.').waitFor();
    await expect
      .poll(() => admin.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('settings-status');
    await e2e.screenshot(admin, 'site-settings');
    const saved = (await call<SiteSettings>(admin, 'GET', '/api/admin/settings')).json;
    expect(saved).toMatchObject({ invitationExpiryDays: 14, reminderDays: [2, 7], reminderBeforeExpiryDays: null });

    await admin.reload();
    expect(await admin.getByLabel('Days an invitation stays open').inputValue()).toBe('14');
    expect(await admin.getByLabel('Reminder days').inputValue()).toBe('2, 7');
    expect(await admin.getByLabel('Remind before the invitation expires').isChecked()).toBe(false);
    await admin.setViewportSize(phone);
    await e2e.screenshot(admin, 'site-settings-phone');
    await admin.setViewportSize(desktop);
  });

  it('a member opens an invite-only community’s public face, hides its invitation and gets it back', async () => {
    await invite(admin, ids.choir, { emails: memberEmail, sendEmail: true });
    await invite(leader, ids.chess, { emails: memberEmail, sendEmail: true });
    const mail = await e2e.waitForEmail(memberEmail, (m) => /invited you to join Alumni Choir/.test(m.subject));
    expect(mail.text).toContain(e2e.url(`/communities/${ids.choir}`));

    await member.goto(e2e.url('/'));
    const recommended = member.getByRole('region', { name: 'Recommended Communities' });
    const choir = recommended.getByRole('article', { name: 'Invitation to Alumni Choir' });
    await choir.waitFor();
    await recommended.getByRole('article', { name: 'Invitation to Chess Club' }).waitFor();
    expect(await choir.textContent()).toContain('Invite-only');
    await e2e.screenshot(member, 'invitations-home-phone');

    // The name leads to the community's public face, before joining.
    await choir.getByRole('link', { name: 'Alumni Choir' }).click();
    await member.getByRole('heading', { level: 1, name: 'Alumni Choir' }).waitFor();
    const face = (await member.locator('main').textContent()) ?? '';
    for (const words of ['Singing together since 1962', 'All voices welcome.', 'Invite-only', '0 members'])
      expect(face).toContain(words);
    await member.getByRole('button', { name: 'Join', exact: true }).waitFor();
    await e2e.screenshot(member, 'community-invitee-phone');
    await member.goBack();

    await choir.getByRole('button', { name: 'Not now: hide the invitation to Alumni Choir' }).click();
    await choir.waitFor({ state: 'detached' });
    await member
      .getByTestId('invitations-status')
      .getByText(/Alumni Choir is hidden/)
      .waitFor();
    // focus moves on to the next card's name
    await expect.poll(() => member.evaluate(() => document.activeElement?.textContent)).toBe('Chess Club');

    const hiddenSection = member.getByRole('region', { name: 'Hidden invitations' });
    await hiddenSection.getByRole('button', { name: 'Show hidden invitations (1)' }).click();
    const hiddenCard = hiddenSection.getByRole('article', { name: 'Invitation to Alumni Choir' });
    await hiddenCard.waitFor();
    await e2e.screenshot(member, 'invitations-hidden-phone');
    expect(await axeViolations(member)).toEqual([]);
    expect(
      (await call<{ invitations: unknown[] }>(member, 'GET', '/api/me/recommended-communities?hidden=true')).json
        .invitations,
    ).toHaveLength(1);

    await hiddenCard.getByRole('button', { name: 'Show again: the invitation to Alumni Choir' }).click();
    await hiddenCard.waitFor({ state: 'detached' });
    await member
      .getByTestId('hidden-invitations-status')
      .getByText(/back under Recommended Communities/)
      .waitFor();
    await recommended.getByRole('article', { name: 'Invitation to Alumni Choir' }).waitFor();
  });

  it('a member declines an invitation after confirming; the leader sees it declined', async () => {
    const recommended = member.getByRole('region', { name: 'Recommended Communities' });
    const chess = recommended.getByRole('article', { name: 'Invitation to Chess Club' });
    await chess.getByRole('button', { name: 'Decline the invitation to Chess Club' }).click();
    const dialog = member.getByRole('dialog', { name: 'Decline the invitation to Chess Club?' });
    await dialog.getByText(/Declining ends this invitation/).waitFor();
    await e2e.screenshot(member, 'invitations-decline-phone');
    expect(await axeViolations(member)).toEqual([]);
    await dialog.getByRole('button', { name: 'Keep the invitation' }).click();
    await dialog.waitFor({ state: 'detached' });
    await chess.waitFor();

    await chess.getByRole('button', { name: 'Decline the invitation to Chess Club' }).click();
    await dialog.getByRole('button', { name: 'Decline invitation' }).click();
    await chess.waitFor({ state: 'detached' });
    await member.getByTestId('invitations-status').getByText('You declined the invitation to Chess Club.').waitFor();
    await recommended.getByRole('article', { name: 'Invitation to Alumni Choir' }).waitFor();
    await member.setViewportSize(desktop);
    await e2e.screenshot(member, 'invitations-home');
    await member.setViewportSize(phone);

    await leader.goto(e2e.url(`/communities/${ids.chess}`));
    await leader.getByRole('tab', { name: /^Members/ }).click();
    await leader.getByText('Invited', { exact: true }).click();
    const row = leader.getByRole('table', { name: 'Invited people' }).getByRole('row').filter({ hasText: 'Mo Member' });
    await row.getByText('declined', { exact: true }).waitFor();
    expect(await row.getAttribute('data-invitation')).toBe('declined');
  });

  it('from the community’s page, where the invitation email leads, a member declines and lands on home, told so', async () => {
    // the page's own refresh after the decline, and the check below, find the community closed
    e2e.allowBrowserErrors(/status of 404/);
    await member.goto(e2e.url(`/communities/${ids.choir}`));
    await member.getByRole('heading', { level: 1, name: 'Alumni Choir' }).waitFor();
    await member.getByRole('button', { name: 'Not now: hide the invitation to Alumni Choir' }).click();
    await member
      .getByTestId('community-status')
      .getByText(/Alumni Choir is hidden/)
      .waitFor();
    await member.getByRole('button', { name: 'Show again: the invitation to Alumni Choir' }).waitFor();

    await member.getByRole('button', { name: 'Decline the invitation to Alumni Choir' }).click();
    const dialog = member.getByRole('dialog', { name: 'Decline the invitation to Alumni Choir?' });
    await dialog.getByText(/you will need a new invitation/).waitFor();
    await dialog.getByRole('button', { name: 'Decline invitation' }).click();
    await member.waitForURL(e2e.url('/'));
    await member.getByTestId('home-status').getByText('You declined the invitation to Alumni Choir.').waitFor();
    // an invite-only community's page is closed to someone who declined
    const face = await call<{ error: { code: string } }>(member, 'GET', `/api/communities/${ids.choir}`);
    expect(face.status).toBe(404);
    expect(
      (await call<{ invitations: unknown[] }>(member, 'GET', '/api/me/recommended-communities?hidden=true')).json
        .invitations,
    ).toEqual([]);
  });

  it('a leader sees an invitation that ran out as expired and extends it for the site’s period', async () => {
    await invite(leader, ids.chess, { personIds: [ids.stale], sendEmail: false, expiresInDays: 1 });
    // Its day passes: the expiry is set a millisecond in the past and the sweep is queued.
    const handle = createDb(e2e.databaseUrl);
    try {
      const now = Date.now();
      expect(
        await setOpenInvitationExpiry(handle.db, ids.chess, ids.stale, now - 1, now, {
          reminderDays: [],
          reminderBeforeExpiryDays: null,
        }),
      ).toBe(true);
      await enqueueJob(handle.db, 'invitations.expire', {}, now, { dedupeKey: 'invitations.expire', maxAttempts: 3 });
    } finally {
      await handle.close();
    }
    const invitedUrl = `/api/communities/${ids.chess}/invitations`;
    const standingOfSam = async () =>
      (await call<InvitedMembersPage>(leader, 'GET', invitedUrl)).json.items.find((i) => i.personId === ids.stale);
    await waitFor(async () => (await standingOfSam())?.invitation === 'expired', {
      what: 'the worker to expire Sam’s invitation',
    });

    await leader.reload();
    await leader.getByRole('tab', { name: /^Members/ }).click();
    await leader.getByText('Invited', { exact: true }).click();
    const table = leader.getByRole('table', { name: 'Invited people' });
    const row = table.getByRole('row').filter({ hasText: 'Sam Stale' });
    await row.getByText('expired', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Re-issue the invitation of Sam Stale' }).waitFor();
    await e2e.screenshot(leader, 'invited-list-expired');
    expect(await axeViolations(leader)).toEqual([]);

    const asked = Date.now();
    await row.getByRole('button', { name: 'Extend the invitation of Sam Stale' }).click();
    await leader
      .getByTestId('invited-status')
      .getByText(/The invitation of Sam Stale is open again, until/)
      .waitFor();
    await row.getByText('open', { exact: true }).waitFor();
    await expect
      .poll(() => leader.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('invited-status');
    const extended = await standingOfSam();
    expect(extended?.invitation).toBe('open');
    // the admin's 14 days, from the moment of the click
    expect(extended?.expiresAt).toBeGreaterThanOrEqual(asked + 14 * DAY);
    expect(extended?.expiresAt).toBeLessThanOrEqual(Date.now() + 14 * DAY);
    await leader.setViewportSize(phone);
    await e2e.screenshot(leader, 'invited-list-phone');
  });

  it('a leader switches reminders off in the invite dialog; the batch is sent with reminders: false', async () => {
    const quietEmail = 'quinn.quiet@example.edu';
    await leader.setViewportSize(desktop);
    await leader.goto(e2e.url(`/communities/${ids.chess}`));
    await leader.getByRole('tab', { name: /^Members/ }).click();
    await leader.getByRole('button', { name: 'Invite members' }).click();
    const dialog = leader.getByRole('dialog', { name: /Invite members to Chess Club/ });
    await dialog.waitFor();
    const field = dialog.getByLabel('Add recipients');
    await field.fill(quietEmail);
    await field.press('Enter');
    await expect.poll(() => dialog.getByTestId('recipient-chip').count()).toBe(1);

    const sendEmail = dialog.getByLabel('Automatically send email invitations to new members');
    const reminders = dialog.getByRole('switch', { name: 'Send reminders' });
    expect(await reminders.isChecked()).toBe(true);
    // the switch is there only while the invitations are emailed
    await sendEmail.uncheck({ force: true });
    await reminders.waitFor({ state: 'detached' });
    await sendEmail.check({ force: true });
    await reminders.uncheck({ force: true });
    expect(await reminders.isChecked()).toBe(false);
    await e2e.screenshot(leader, 'invite-dialog-reminders-off');

    const sent = leader.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith(`/api/communities/${ids.chess}/invitations`),
    );
    await dialog.getByRole('button', { name: 'Invite Members' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ sendEmail: true, reminders: false });
    await leader.getByTestId('invite-results').waitFor();
    await e2e.waitForEmail(quietEmail, (m) => /invited you to join Chess Club/.test(m.subject));
    // the invitation was emailed, and no reminder is scheduled for it
    const handle = createDb(e2e.databaseUrl);
    try {
      const row = await handle.db
        .selectFrom('membership as m')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['m.state', 'm.next_reminder_at'])
        .where('p.email', '=', quietEmail)
        .where('m.community_id', '=', ids.chess)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: 'invited', next_reminder_at: null });
    } finally {
      await handle.close();
    }
    // answered, the dialog shows the results under its new title
    await leader
      .getByRole('dialog', { name: 'Invitations to Chess Club' })
      .getByRole('button', { name: 'Done' })
      .click();
  });

  it('a member who follows an invitation that expired reads so on the community’s page, and may still join', async () => {
    const film = await community('Film Society', 'public', 'Cinema on Fridays', 'Screenings and talks, all welcome.');
    await invite(admin, film, { emails: memberEmail, sendEmail: true });
    await e2e.waitForEmail(memberEmail, (m) => /invited you to join Film Society/.test(m.subject));
    // Its time passes: the expiry is set a millisecond in the past and the sweep is queued.
    const handle = createDb(e2e.databaseUrl);
    try {
      const now = Date.now();
      const schedule = { reminderDays: [], reminderBeforeExpiryDays: null };
      expect(await setOpenInvitationExpiry(handle.db, film, ids.member, now - 1, now, schedule)).toBe(true);
      await enqueueJob(handle.db, 'invitations.expire', {}, now, { dedupeKey: 'invitations.expire', maxAttempts: 3 });
    } finally {
      await handle.close();
    }
    await waitFor(
      async () =>
        (await call<{ myInvitationExpired: boolean }>(member, 'GET', `/api/communities/${film}`)).json
          .myInvitationExpired,
      { what: 'the worker to expire Mo’s invitation to the Film Society' },
    );

    await member.setViewportSize(desktop);
    await member.goto(e2e.url(`/communities/${film}`));
    await member.getByRole('heading', { level: 1, name: 'Film Society' }).waitFor();
    const notice = member.getByTestId('invitation-expired');
    await notice.getByText('This invitation has expired').waitFor();
    expect(await notice.innerText()).toContain(
      'Your invitation to Film Society ran out before it was answered. Film Society is open to you: you can still join it.',
    );
    await member.getByRole('button', { name: 'Join', exact: true }).waitFor();
    expect(await axeViolations(member)).toEqual([]);
    await e2e.screenshot(member, 'community-invitation-expired');
    await member.setViewportSize(phone);
    await notice.waitFor();
    await e2e.screenshot(member, 'community-invitation-expired-phone');
  });

  it('a member whose invitation expired joins an invite-only community through its landing page', async () => {
    const quiz = await community('Quiz Night', 'invite_only', 'Questions on Thursdays', 'Teams of four, all ages.');
    expect((await call(admin, 'PATCH', `/api/admin/communities/${quiz}`, { landingEnabled: true })).status).toBe(200);
    const { slug } = (await call<{ slug: string }>(admin, 'GET', `/api/communities/${quiz}`)).json;
    await invite(admin, quiz, { personIds: [ids.member], sendEmail: false });
    const handle = createDb(e2e.databaseUrl);
    try {
      const now = Date.now();
      const schedule = { reminderDays: [], reminderBeforeExpiryDays: null };
      expect(await setOpenInvitationExpiry(handle.db, quiz, ids.member, now - 1, now, schedule)).toBe(true);
      await enqueueJob(handle.db, 'invitations.expire', {}, now, { dedupeKey: 'invitations.expire', maxAttempts: 3 });
    } finally {
      await handle.close();
    }
    e2e.allowBrowserErrors(/status of 404/); // the community's answer to an invitation that expired
    await waitFor(
      async () =>
        (await call<{ error?: { code: string } }>(member, 'GET', `/api/communities/${quiz}`)).json.error?.code ===
        'invitation_expired',
      { what: 'the worker to expire Mo’s invitation to Quiz Night' },
    );

    await member.setViewportSize(phone);
    await member.goto(e2e.url(`/join/${slug}`));
    await member.getByRole('heading', { level: 1, name: 'Quiz Night' }).waitFor();
    await member.getByRole('button', { name: 'Join Quiz Night' }).click();
    await member.getByText('Welcome to Quiz Night!').waitFor();
    await e2e.screenshot(member, 'landing-joined-after-expiry-phone');
    expect((await call<{ myState: string }>(member, 'GET', `/api/communities/${quiz}`)).json.myState).toBe('joined');
  });
});
