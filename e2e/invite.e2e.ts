/**
 * Inviting from a community, in a real browser with a real SMTP peer: a leader opens the invite
 * dialog, picks an active member by typeahead, pastes three addresses (pre-verified, unknown,
 * invalid) and a message; the results follow the product's table; exactly two emails arrive,
 * each with the message; the member signs in, sees the invitation, joins and appears under
 * Members; the pre-verified person signs in and sees it too.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e, type ReceivedEmail } from './harness';
import { codeOf, call } from './page-calls';

const adminEmail = 'root@example.edu';
const leaderEmail = 'lena.leader@example.edu';
const memberEmail = 'ada.active@example.edu';
const preverifiedEmail = 'pat.preverified@example.edu';
const unknownEmail = 'new.person@example.org';
const message = 'Hello from the Alumni Choir!\nRehearsals are on Thursdays <b>at 7</b>.';

const isInvitation = (m: ReceivedEmail) => /invited you to join/.test(m.subject);

describeE2e('invite members from a community (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  let leader: Page;
  let communityId: number;
  let member: Page;
  let memberId: number;

  /** Signs a person in through /sign-in with the emailed code, in a fresh browser context. */
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

  /** Opens the community's Members tab as the leader. */
  async function openMembers(page: Page): Promise<void> {
    await page.goto(e2e.url(`/communities/${communityId}`));
    await page
      .getByRole('tab', { name: /^Members/ })
      .first()
      .click();
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
      name: 'Alumni Choir',
      headline: 'Singing together since 1962',
      description: 'All voices welcome.',
      privacy: 'private',
    });
    expect(created.status).toBe(201);
    communityId = created.json.id;
    for (const [email, firstName, lastName] of [
      [leaderEmail, 'Lena', 'Leader'],
      [memberEmail, 'Ada', 'Active'],
      [preverifiedEmail, 'Pat', 'Preverified'],
    ]) {
      expect((await call(admin, 'POST', '/api/admin/people', { email, firstName, lastName })).status).toBe(201);
    }
    // The leader and the member sign in once (pre-verified → active); Pat stays pre-verified.
    leader = await signIn(leaderEmail, { width: 1280, height: 1000 });
    // The member stays signed in (a second code within a minute would be refused by the send limit).
    member = await signIn(memberEmail, { width: 1100, height: 900 });
    const me = (await call<{ id?: number; me?: { id: number } }>(member, 'GET', '/api/me')).json;
    memberId = me.me?.id ?? (me.id as number);
    // The admin invites the leader, who joins, and is made the community's leader.
    const leaderMe = (await call<{ id?: number; me?: { id: number } }>(leader, 'GET', '/api/me')).json;
    const leaderId = leaderMe.me?.id ?? (leaderMe.id as number);
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
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('the leader invites by typeahead and pasted addresses; the results follow the product table', async () => {
    await openMembers(leader);
    await leader.getByRole('button', { name: 'Invite members' }).click();
    await leader.getByRole('dialog', { name: /Invite members to Alumni Choir/ }).waitFor();
    const dialog = leader.getByRole('dialog');

    const field = dialog.getByLabel('Add recipients');
    await field.fill('Ada');
    const option = dialog.getByRole('option', { name: /Ada Active/ });
    await option.waitFor();
    await e2e.screenshot(leader, 'invite-typeahead');
    await option.click();
    await field.fill(`${preverifiedEmail}, New Person <${unknownEmail}>; not-an-email`);
    await field.press('Enter');
    await expect.poll(() => dialog.getByTestId('recipient-chip').count()).toBe(4);
    expect(await dialog.locator('[data-kind="invalid"]').innerText()).toContain('not-an-email');
    expect(await dialog.getByTestId('recipient-count').innerText()).toBe('3 recipients (at most 250)');
    await dialog.getByLabel('Message (optional)').fill(message);
    expect(await dialog.getByLabel('Automatically send email invitations to new members').isChecked()).toBe(true);
    await e2e.screenshot(leader, 'invite-dialog');

    await dialog.getByRole('button', { name: 'Invite Members' }).click();
    const results = leader.getByTestId('invite-results');
    await results.waitFor();
    const reasonOf = async (email: string) => results.locator(`tr[data-email="${email}"]`).getAttribute('data-reason');
    expect(await reasonOf(memberEmail)).toBe('emailed');
    expect(await reasonOf(preverifiedEmail)).toBe('pre_verified');
    expect(await reasonOf(unknownEmail)).toBe('emailed');
    expect(await reasonOf('not-an-email')).toBe('invalid_email');
    const text = await results.innerText();
    expect(text).toContain('invited, no email: pre-verified — share their invite URL or use Data Tools');
    expect(text).toContain('skipped: invalid email');
    // What is not an email address is counted apart from the recipients, as the dialog counts them.
    await leader.getByText('3 recipients: 3 invited, 2 emails queued · 1 not an email address, skipped').waitFor();
    await e2e.screenshot(leader, 'invite-results');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The Invited list: who invited, how, and the email's state.
    await leader.getByText('Invited', { exact: true }).click();
    const invited = leader.getByRole('table', { name: 'Invited people' });
    await invited.getByText('pre-verified (no email)').waitFor();
    expect(await invited.getByRole('row').count()).toBe(4);
    expect(await invited.innerText()).toContain('Lena Leader');
    await e2e.screenshot(leader, 'invite-invited-list');
  });

  it('exactly two invitation emails arrive, each with the message', async () => {
    const toMember = await e2e.waitForEmail(memberEmail, isInvitation);
    const toUnknown = await e2e.waitForEmail(unknownEmail, isInvitation);
    // A stray third email would have been queued with the invitations: count once the outbox is empty.
    await e2e.waitForOutboxDrained();
    const invitations = e2e.smtp.messages.filter(isInvitation);
    expect(invitations.map((m) => m.envelopeTo.join(',')).sort()).toEqual([memberEmail, unknownEmail].sort());
    for (const mail of [toMember, toUnknown]) {
      expect(mail.subject).toBe('Lena Leader invited you to join Alumni Choir on Northfield University');
      expect(mail.text).toContain('Hello from the Alumni Choir!\nRehearsals are on Thursdays <b>at 7</b>.');
      expect(mail.html).toContain('Rehearsals are on Thursdays &lt;b&gt;at 7&lt;/b&gt;.');
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    }
    expect(toMember.text).toContain(e2e.url(`/communities/${communityId}`));
    // The join link names the invitation (the funnel's "opened") and carries the address in its fragment.
    const escaped = e2e.url('/sign-in').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    expect(toUnknown.text).toMatch(
      new RegExp(`${escaped}\\?inv=[\\w.-]+#email=${encodeURIComponent(unknownEmail).replace('.', '\\.')}`),
    );
  });

  it('the member, signed in, sees the invitation on home, joins, and appears under Members', async () => {
    const page = member;
    await page.goto(e2e.url('/'));
    const card = page.getByTestId('invitation-card').filter({ hasText: 'Alumni Choir' });
    await card.waitFor();
    expect(await card.innerText()).toContain('Singing together since 1962');
    expect(await card.innerText()).toContain('Lena Leader');
    await e2e.screenshot(page, 'invite-home');
    await card.getByRole('button', { name: 'Join' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'My communities' }).getByText('Alumni Choir').waitFor();

    await openMembers(leader);
    await leader.getByRole('tabpanel').getByText('Ada Active').first().waitFor();
    const members = await call<{ items: { personId: number }[] }>(
      leader,
      'GET',
      `/api/communities/${communityId}/members?state=joined`,
    );
    expect(members.json.items.map((m) => m.personId)).toContain(memberId);
    await page.context().close();
  });

  it('the pre-verified person signs in and sees the invitation too', async () => {
    const page = await signIn(preverifiedEmail);
    await page.getByTestId('invitation-card').filter({ hasText: 'Alumni Choir' }).waitFor();
    await page.context().close();
    expect(e2e.browserErrors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
  });
});
