/**
 * Every screen meets WCAG 2.1 A and AA as axe-core checks it: each path of the web app's route
 * table (`src/web/route-paths.ts`) is opened as the kind of person it is for, on a desktop
 * (1280×800) and a phone (390×844), on a `convene demo` site, and so are the main open states
 * (the invite dialog, each Data Tools wizard step, the landing page's code step).
 *
 * A path without an entry in `checks` fails the run: adding a screen means adding one line here.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allPaths, type RoutePath } from '../src/web/route-paths';
import { describeE2e, startE2e, type E2e } from './harness';

/** Who opens a path: a visitor (not signed in), a member, a community's leader, a site admin. */
type Who = 'visitor' | 'member' | 'leader' | 'admin';

/** What the seeded site offers the paths' parameters. */
interface Seed {
  /** a community the leader leads, with its landing page on */
  readonly communityId: number;
  readonly slug: string;
  /** a pre-verified person (admin's person page) */
  readonly personId: number;
  readonly jobId: number;
  /** a feed (its page lists no runs) */
  readonly feedId: number;
  readonly signInLink: string;
  readonly inviteUrl: string;
  readonly unsubscribeUrl: string;
  /** a notification email's unsubscribe link (an account approved) */
  readonly notificationUnsubscribeUrl: string;
}

interface Check {
  readonly who: Who;
  /** the address to open (path and query) */
  readonly open: (seed: Seed) => string;
}

/** One line per path of the route table. */
const checks: Record<RoutePath, Check> = {
  '/sign-in': { who: 'visitor', open: () => '/sign-in' },
  '/auth/link/:token': { who: 'visitor', open: (s) => new URL(s.signInLink).pathname },
  '/join/:slug': { who: 'visitor', open: (s) => `/join/${s.slug}` },
  '/invite/:token': { who: 'visitor', open: (s) => new URL(s.inviteUrl).pathname },
  '/unsubscribe/:token': { who: 'visitor', open: (s) => new URL(s.unsubscribeUrl).pathname },
  '/notifications/unsubscribe/:token': {
    who: 'visitor',
    open: (s) => new URL(s.notificationUnsubscribeUrl).pathname,
  },
  '/sso/error': { who: 'visitor', open: () => '/sso/error?code=sso_state_mismatch' },
  '/': { who: 'member', open: () => '/' },
  '/communities': { who: 'member', open: () => '/communities' },
  '/communities/:id': { who: 'member', open: (s) => `/communities/${s.communityId}` },
  '/communities/:id/landing': { who: 'leader', open: (s) => `/communities/${s.communityId}/landing` },
  '/profile': { who: 'member', open: () => '/profile' },
  '/admin': { who: 'admin', open: () => '/admin' },
  '/admin/members': { who: 'admin', open: () => '/admin/members' },
  '/admin/members/:id': { who: 'admin', open: (s) => `/admin/members/${s.personId}` },
  '/admin/communities': { who: 'admin', open: () => '/admin/communities' },
  '/admin/data-tools': { who: 'admin', open: () => '/admin/data-tools' },
  '/admin/data-tools/new': { who: 'admin', open: () => '/admin/data-tools/new' },
  '/admin/data-tools/:id': { who: 'admin', open: (s) => `/admin/data-tools/${s.jobId}` },
  '/admin/emails': { who: 'admin', open: () => '/admin/emails' },
  '/admin/settings': { who: 'admin', open: () => '/admin/settings' },
  '/admin/tokens': { who: 'admin', open: () => '/admin/tokens' },
  '/admin/sso': { who: 'admin', open: () => '/admin/sso' },
  '/admin/webhooks': { who: 'admin', open: () => '/admin/webhooks' },
  '/admin/feeds': { who: 'admin', open: () => '/admin/feeds' },
  '/admin/feeds/:id': { who: 'admin', open: (s) => `/admin/feeds/${s.feedId}` },
  '*': { who: 'member', open: () => '/no-such-page' },
};

const viewports = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

/** Waits until the screen has loaded its data and stopped moving: no request in flight, no animation, no loader. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('.mantine-Loader-root').first().waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
}

/** Runs axe on what the page shows; answers each violation as "rule (impact): help — target: summary". */
async function violations(page: Page): Promise<string[]> {
  await settle(page);
  const result = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map(
      (node) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n      at ${node.target.join(' ')}: ${node.html.slice(0, 300)}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
    ),
  );
}

describeE2e('accessibility: every screen passes axe-core WCAG 2.1 A and AA', () => {
  let e2e: E2e;
  let seed: Seed;
  const pages = new Map<Who, Page>();

  async function signInWithCode(page: Page, email: string): Promise<void> {
    const askedAt = Date.now();
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const mail = await e2e.waitForEmail(
      email,
      (m) => m.receivedAt >= askedAt - 2_000 && /sign-in code/.test(m.subject),
    );
    await page.getByLabel('6-digit code').fill(codeOf(mail.text));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }

  /** Opens `path` as `who` at each size; answers the violations found, labelled by size. */
  async function check(who: Who, open: (page: Page) => Promise<void>): Promise<string[]> {
    const page = pages.get(who)!;
    const found: string[] = [];
    for (const size of viewports) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await open(page);
      for (const v of await violations(page)) found.push(`[${size.name} ${new URL(page.url()).pathname}] ${v}`);
    }
    return found;
  }

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    await e2e.runCli(['demo', '--people', '300', '--communities', '6', '--csv-rows', '0']);
    const adminLink = /https?:\/\/\S+\/auth\/link\/\S+/.exec(
      (await e2e.runCli(['admin', 'add', 'dean@example.edu'])).stdout,
    )?.[0];
    const signInLink = /https?:\/\/\S+\/auth\/link\/\S+/.exec(
      (await e2e.runCli(['admin', 'add', 'provost@example.edu'])).stdout,
    )?.[0];
    if (!adminLink || !signInLink) throw new Error('convene admin add printed no sign-in link');

    const [leaderRow] = e2e.query<{ email: string; communityId: number; slug: string }>(
      `SELECT p.email, c.id AS communityId, c.slug FROM membership m JOIN person p ON p.id = m.person_id
       JOIN community c ON c.id = m.community_id
       WHERE m.role = 'leader' AND m.state = 'joined' AND p.status = 'active' AND c.landing_enabled = 1
       ORDER BY c.id LIMIT 1`,
    );
    // A member (no leader anywhere) who holds an open invitation, so Home shows one.
    const [memberRow] = e2e.query<{ email: string }>(
      `SELECT p.email FROM person p WHERE p.status = 'active' AND p.is_admin = 0
       AND EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id AND m.state = 'invited')
       AND EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id AND m.state = 'joined')
       AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id AND m.role = 'leader')
       ORDER BY p.id LIMIT 1`,
    );
    const [preverified] = e2e.query<{ id: number }>(
      `SELECT id FROM person WHERE status = 'pre_verified' ORDER BY id LIMIT 1`,
    );
    expect(
      leaderRow && memberRow && preverified,
      'the demo site has a leader, a member and a pre-verified person',
    ).toBeTruthy();

    const visitor = await e2e.newPage({ bypassCSP: true });
    const admin = await e2e.newPage({ bypassCSP: true });
    const leader = await e2e.newPage({ bypassCSP: true });
    const member = await e2e.newPage({ bypassCSP: true });
    pages.set('visitor', visitor).set('admin', admin).set('leader', leader).set('member', member);
    await admin.goto(adminLink);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    await signInWithCode(leader, leaderRow.email);
    await signInWithCode(member, memberRow.email);

    // The landing page and its settings are checked with a logo, as its managers may give one.
    const logo = await admin.request.put(`/api/communities/${leaderRow.communityId}/landing/image`, {
      headers: { origin: e2e.baseUrl },
      multipart: {
        alt: 'Community crest',
        file: {
          name: 'crest.jpg',
          mimeType: 'image/jpeg',
          buffer: fs.readFileSync(new URL('../src/server/landing/test-images/logo.jpg', import.meta.url)),
        },
      },
    });
    expect(logo.ok(), await logo.text()).toBe(true);

    const invite = await admin.request.post(`/api/admin/people/${preverified.id}/invite-url`, {
      headers: { origin: e2e.baseUrl },
    });
    expect(invite.ok(), await invite.text()).toBe(true);
    const { inviteUrl } = (await invite.json()) as { inviteUrl: string };

    // Approving a pending person emails them; that email's unsubscribe link is a notification one.
    const [pendingRow] = e2e.query<{ id: number; email: string }>(
      `SELECT id, email FROM person WHERE status = 'pending' AND email IS NOT NULL ORDER BY id LIMIT 1`,
    );
    expect(pendingRow, 'the demo site has a pending person').toBeTruthy();
    const approved = await admin.request.post(`/api/admin/people/${pendingRow.id}/approve`, {
      headers: { origin: e2e.baseUrl },
      data: {},
    });
    expect(approved.ok(), await approved.text()).toBe(true);
    const approvedMail = await e2e.waitForEmail(pendingRow.email, (m) => /account is approved/.test(m.subject));
    const notificationUnsubscribeUrl = /https?:\/\/\S+\/notifications\/unsubscribe\/[\w-]+/.exec(
      approvedMail.text,
    )?.[0];
    expect(notificationUnsubscribeUrl, approvedMail.text).toBeDefined();

    const feed = await admin.request.post('/api/admin/feeds', {
      headers: { origin: e2e.baseUrl },
      data: {
        name: 'Nightly deactivations',
        type: 'deactivate',
        folder: 'deactivate',
        mapping: { keyColumn: 'Unique ID' },
      },
    });
    expect(feed.ok(), await feed.text()).toBe(true);
    const feedId = ((await feed.json()) as { feed: { id: number } }).feed.id;

    seed = {
      feedId,
      notificationUnsubscribeUrl: notificationUnsubscribeUrl!,
      communityId: leaderRow.communityId,
      slug: leaderRow.slug,
      personId: preverified.id,
      jobId: 0,
      signInLink,
      inviteUrl,
      unsubscribeUrl: '',
    };
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('has a check for every path of the route table', () => {
    const missing = allPaths.filter((path) => !(path in checks));
    expect(missing, 'add a line to `checks` in e2e/a11y.e2e.ts for each').toEqual([]);
  });

  it('the invite dialog, open and with its results', async () => {
    const found = await check('leader', async (page) => {
      await page.goto(e2e.url(`/communities/${seed.communityId}`));
      await page
        .getByRole('tab', { name: /^Members/ })
        .first()
        .click();
      await page.getByRole('button', { name: 'Invite members' }).click();
      await page.getByRole('dialog').waitFor();
    });
    // Inviting an address sends an invitation email, whose unsubscribe link the route check opens.
    const page = pages.get('leader')!;
    const recipient = 'new.alum@example.org';
    await page.getByRole('dialog').getByRole('textbox').first().fill(recipient);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Invite Members', exact: true }).click();
    await page.getByRole('dialog', { name: /^Invitations to/ }).waitFor();
    for (const v of await violations(page)) found.push(`[phone invite results] ${v}`);
    const mail = await e2e.waitForEmail(recipient);
    const unsubscribe = /https?:\/\/\S+\/unsubscribe\/[\w-]+/.exec(mail.text)?.[0];
    expect(unsubscribe, mail.text).toBeDefined();
    seed = { ...seed, unsubscribeUrl: unsubscribe! };
    expect(found).toEqual([]);
  });

  it('the Data Tools wizard, step by step', async () => {
    const page = pages.get('admin')!;
    const found: string[] = [];
    const axe = async (step: string) => {
      for (const v of await violations(page)) found.push(`[${step}] ${v}`);
    };
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('radio', { name: /Invite members to community/ }).click();
    await axe('type chosen');
    await page.getByRole('button', { name: 'Next: upload the file' }).click();
    await page.getByText('Drag a CSV file here').waitFor();
    await axe('upload');
    const [person] = e2e.query<{ unique_id: string }>(
      `SELECT unique_id FROM person WHERE status = 'active' AND unique_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await page.locator('input[type=file]').setInputFiles({
      name: 'spring-invites.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `Unique ID,Community ID\r\n${person.unique_id},${seed.communityId}\r\nU9999999,${seed.communityId}\r\n`,
      ),
    });
    await page.getByRole('heading', { name: 'Key field' }).waitFor();
    const jobId = Number(/\/admin\/data-tools\/(\d+)$/.exec(page.url())?.[1]);
    seed = { ...seed, jobId };
    await page.getByTestId('key-column').click();
    await page.getByRole('option', { name: 'Unique ID', exact: true }).click();
    await page.getByRole('radio', { name: /^Unique ID/ }).check();
    await page.getByTestId('field-communityColumn').click();
    await page.getByRole('option', { name: 'Community ID', exact: true }).click();
    await axe('map');
    await page.getByRole('button', { name: 'Next: check every row' }).click();
    await page.getByTestId('skip-reasons').waitFor();
    await axe('review');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { name: 'Row by row' }).waitFor();
    expect(found).toEqual([]);
  });

  it('the landing page’s code step', async () => {
    const found = await check('visitor', async (page) => {
      await page.goto(e2e.url(`/join/${seed.slug}`));
      await page.getByLabel('Email address').fill(`visitor-${Date.now()}-${page.viewportSize()?.width}@example.org`);
      await page.getByRole('button', { name: 'Join with my email' }).click();
      await page.getByLabel('6-digit code').waitFor();
    });
    expect(found).toEqual([]);
  });

  it('the New feed dialog and a feed’s upload token confirmation', async () => {
    const found = await check('admin', async (page) => {
      await page.goto(e2e.url('/admin/feeds'));
      await page.getByRole('button', { name: 'New feed' }).click();
      await page.getByRole('dialog', { name: 'New feed' }).getByRole('button', { name: 'Make feed' }).waitFor();
    });
    const page = pages.get('admin')!;
    await page.goto(e2e.url(`/admin/feeds/${seed.feedId}`));
    await page.getByRole('button', { name: 'New upload token' }).click();
    await page.getByRole('dialog', { name: 'Make a new upload token?' }).waitFor();
    for (const v of await violations(page)) found.push(`[new upload token] ${v}`);
    expect(found).toEqual([]);
  });

  it.each(allPaths.map((path) => [path] as const))('%s', async (path) => {
    const entry = checks[path];
    const found = await check(entry.who, async (page) => {
      await page.goto(e2e.url(entry.open(seed)));
    });
    expect(found).toEqual([]);
  });
});
