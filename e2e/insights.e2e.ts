/**
 * The invitation funnel in a real browser with a real SMTP peer: an invitation email's join link
 * names its invitation, and opening it (before signing in) counts as "opened"; the invitee signs
 * in and joins; an admin opens the community's Insights tab (numbers, charts and their tables),
 * a Data Tools job's funnel and the dashboard's, each passing axe-core's WCAG 2.1 A and AA
 * checks, with screenshots on a desktop and a phone.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataJobFunnelAnswer, InsightsAnswer } from '../src/shared/insights';
import { describeE2e, startE2e, type E2e } from './harness';
import { call, codeOf } from './page-calls';

const adminEmail = 'root@example.edu';
const memberEmail = 'nia.new@example.edu';
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

/** axe-core's WCAG 2.1 A and AA violations on what the page shows, once nothing moves. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((node) => `${v.id}: ${v.help} at ${node.target.join(' ')}`));
}

describeE2e('the invitation funnel (browser)', () => {
  let e2e: E2e;
  let admin: Page;
  const ids = { choir: 0, ana: 0, ben: 0, cy: 0 };

  async function person(email: string, firstName: string, lastName: string): Promise<number> {
    const made = await call<{ person: { id: number } }>(admin, 'POST', '/api/admin/people', {
      email,
      firstName,
      lastName,
    });
    expect(made.status).toBe(201);
    return made.json.person.id;
  }

  /** Signs `email` in on `page` with the emailed code. */
  async function signIn(page: Page, email: string): Promise<void> {
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
  }

  const insights = async () =>
    (await call<InsightsAnswer>(admin, 'GET', `/api/communities/${ids.choir}/insights`)).json.funnel;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage(desktop);
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    const created = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Alumni Choir',
      headline: 'Singing together since 1962',
      description: 'All voices welcome.',
      privacy: 'invite_only',
    });
    expect(created.status).toBe(201);
    ids.choir = created.json.id;
    ids.ana = await person('ana.alto@example.edu', 'Ana', 'Alto');
    ids.ben = await person('ben.bass@example.edu', 'Ben', 'Bass');
    ids.cy = await person('cy.tenor@example.edu', 'Cy', 'Tenor');
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('the join link counts its opening; the invitee signs in and joins; an admin reads the Insights tab', async () => {
    const invited = await call<{ summary: { invited: number } }>(
      admin,
      'POST',
      `/api/communities/${ids.choir}/invitations`,
      { emails: `Nia New <${memberEmail}>`, sendEmail: true },
    );
    expect(invited.json.summary.invited).toBe(1);
    const quiet = await call<{ summary: { invited: number } }>(
      admin,
      'POST',
      `/api/communities/${ids.choir}/invitations`,
      { personIds: [ids.ana], sendEmail: false },
    );
    expect(quiet.json.summary.invited).toBe(1);
    const mail = await e2e.waitForEmail(memberEmail, (m) => /invited you to join Alumni Choir/.test(m.subject));
    const joinLink = /https?:\/\/\S+\?inv=[\w.]+(#\S*)?/.exec(mail.text)?.[0];
    expect(joinLink).toBeDefined();
    await expect.poll(async () => (await insights()).delivered).toBe(1);

    // Nia, new to the site, opens the link on a phone: the page asks to sign in, and the opening is counted.
    const member = await e2e.newPage(phone);
    await member.goto(joinLink as string);
    await expect.poll(async () => (await insights()).opened).toBe(1);
    await signIn(member, memberEmail);
    expect((await call(member, 'POST', `/api/communities/${ids.choir}/join`, {})).status).toBe(200);
    expect(await insights()).toEqual({
      invited: 2,
      emailed: 1,
      delivered: 1,
      opened: 1,
      signedIn: 1,
      joined: 1,
      declined: 0,
      expired: 0,
      revoked: 0,
    });

    await admin.goto(e2e.url(`/communities/${ids.choir}`));
    await admin.getByRole('tab', { name: 'Insights' }).click();
    const section = admin.getByRole('region', { name: 'Invitations', exact: true });
    await section.waitFor();
    await expect.poll(() => admin.getByTestId('community-funnel-joined').textContent()).toBe('1');
    expect(await admin.getByTestId('community-funnel-invited').textContent()).toBe('2');
    await admin.getByRole('img', { name: /Bar chart of invitations per step: Invited 2, Email sent 1/ }).waitFor();
    await admin.getByRole('img', { name: /Line chart of invitations and joins per week/ }).waitFor();
    await admin.locator('.recharts-surface').first().waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    // the weeks as a table: the charts' text alternative
    await admin.getByText('Per week, as a table').click();
    await admin.getByRole('table', { name: 'Invitations per week' }).waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    const csv = await admin.request.get(`/api/communities/${ids.choir}/insights.csv`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split('\r\n')[1]).toBe('Total,,,2,1,1,1,1,1,0,0,0');
    await e2e.screenshot(admin, 'community-insights');
    await admin.setViewportSize(phone);
    await admin.locator('.recharts-surface').first().waitFor();
    await e2e.screenshot(admin, 'community-insights-phone');
    await admin.setViewportSize(desktop);
    await member.context().close();
  });

  it('an admin reads a Data Tools job’s funnel and the dashboard’s', async () => {
    const origin = new URL(admin.url()).origin;
    const upload = await admin.request.post('/api/admin/data-jobs', {
      headers: { origin },
      multipart: {
        type: 'invite_to_community',
        hasHeader: 'true',
        file: {
          name: 'choir-invites.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(`Profile ID,Community ID\r\n${ids.ben},${ids.choir}\r\n${ids.cy},${ids.choir}\r\n`),
        },
      },
    });
    expect(upload.status(), await upload.text()).toBe(201);
    const job = (await upload.json()) as { id: number };
    const mapped = await admin.request.put(`/api/admin/data-jobs/${job.id}/mapping`, {
      headers: { origin },
      data: { keyColumn: 'Profile ID', keyType: 'profile_id', communityColumn: 'Community ID' },
    });
    expect(mapped.status(), await mapped.text()).toBe(200);
    const started = await admin.request.post(`/api/admin/data-jobs/${job.id}/start`, { headers: { origin } });
    expect(started.status(), await started.text()).toBe(200);
    await expect
      .poll(async () => (await call<{ status: string }>(admin, 'GET', `/api/admin/data-jobs/${job.id}`)).json.status)
      .toBe('completed');
    const funnel = await call<DataJobFunnelAnswer>(admin, 'GET', `/api/admin/data-jobs/${job.id}/funnel`);
    expect(funnel.json.funnel).toMatchObject({ invited: 2, emailed: 0, joined: 0 });

    await admin.goto(e2e.url(`/admin/data-tools/${job.id}`));
    await admin.getByRole('region', { name: 'What became of these invitations' }).waitFor();
    await expect.poll(() => admin.getByTestId('job-funnel-invited').textContent()).toBe('2');
    await admin.locator('.recharts-surface').first().waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await e2e.screenshot(admin, 'data-job-funnel');
    await admin.setViewportSize(phone);
    await e2e.screenshot(admin, 'data-job-funnel-phone');
    await admin.setViewportSize(desktop);

    await admin.goto(e2e.url('/admin'));
    const site = admin.getByRole('region', { name: 'Invitations', exact: true });
    await site.waitFor();
    await expect.poll(() => admin.getByTestId('site-funnel-invited').textContent()).toBe('4');
    await admin.getByRole('table', { name: 'Invitation funnel per community' }).getByText('Alumni Choir').waitFor();
    await admin.locator('.recharts-surface').first().waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await e2e.screenshot(admin, 'admin-dashboard-funnel');
    await admin.setViewportSize(phone);
    await e2e.screenshot(admin, 'admin-dashboard-funnel-phone');
    await admin.setViewportSize(desktop);
  });
});
