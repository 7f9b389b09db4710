/**
 * Keyboard only, on a `convene demo` site: a visitor joins from a landing page, a member joins an
 * invitation on Home, an admin runs a Data Tools job through the wizard and a leader invites from
 * the invite dialog — with Tab, Enter, Space and typing, never a click. Each Tab lands on something
 * with a visible focus ring, each new step's heading takes the focus, and errors are announced.
 */
import type { FileChooser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';

function codeOf(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`No 6-digit code in: ${text}`);
  return match[1];
}

/** The focused element: its accessible-ish name (label, aria-label or text), tag and whether its focus shows. */
async function focused(page: Page): Promise<{ name: string; tag: string; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: '', tag: 'body', visible: false };
    const labelled = el.getAttribute('aria-labelledby');
    const name =
      el.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
      el.textContent ??
      '';
    // a field inside a wrapper (chips input) shows its ring on the wrapper
    const style = getComputedStyle(el.closest('.mantine-Input-input') ?? el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return { name: name.trim(), tag: el.tagName.toLowerCase(), visible: ring };
  });
}

/** Presses Tab until the focused element's name matches; every stop on the way must show its focus. */
async function tabTo(page: Page, name: RegExp, options: { readonly max?: number; readonly back?: boolean } = {}) {
  for (let i = 0; i < (options.max ?? 60); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now.tag !== 'body') expect(now.visible, `focus on <${now.tag}> "${now.name}" is visible`).toBe(true);
    if (name.test(now.name)) return;
  }
  throw new Error(`Tab never reached ${name} (last: "${(await focused(page)).name}")`);
}

/**
 * Presses Enter on the focused drop zone until Chromium reports its file chooser. The press opens
 * the chooser synchronously (react-dropzone clicks its file input in the keydown handler), but
 * headless Chromium now and then drops the chooser of a screen that has only just painted (the
 * PaintHolding race, playwright#28023); a person would press Enter again, and so does the test.
 */
async function openFileChooserByKeyboard(page: Page): Promise<FileChooser> {
  let take: (c: FileChooser) => void = () => undefined;
  const opened = new Promise<FileChooser>((resolve) => (take = resolve));
  page.on('filechooser', take);
  try {
    for (let press = 1; press <= 3; press++) {
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('csv-dropzone');
      await page.keyboard.press('Enter');
      // whichever comes first: the chooser this press opened, or 15 s without one
      const chooser = await Promise.race([
        opened,
        page.waitForEvent('filechooser', { timeout: 15_000 }).catch(() => undefined),
      ]);
      if (chooser) return chooser;
    }
  } finally {
    page.off('filechooser', take);
  }
  throw new Error('Enter on the drop zone never opened the file chooser (3 presses)');
}

/** The focus is on a heading that reads `name`. */
async function expectHeadingFocused(page: Page, name: RegExp): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`))
    .toMatch(new RegExp(`^H[1-6] ${name.source}`));
}

describeE2e('keyboard only', () => {
  let e2e: E2e;
  let admin: Page;
  let slug: string;
  let communityName: string;
  let communityId: number;
  let leaderEmail: string;

  async function signInByKeyboard(email: string): Promise<Page> {
    const page = await e2e.newPage();
    const askedAt = Date.now();
    await page.goto(e2e.url('/sign-in'));
    await tabTo(page, /^Email address/);
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    const mail = await e2e.waitForEmail(
      email,
      (m) => m.receivedAt >= askedAt - 2_000 && /sign-in code/.test(m.subject),
    );
    await page.getByLabel('6-digit code').waitFor();
    await page.keyboard.type(codeOf(mail.text));
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    return page;
  }

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    await e2e.runCli(['demo', '--people', '300', '--communities', '6', '--csv-rows', '0']);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(
      (await e2e.runCli(['admin', 'add', 'dean@example.edu'])).stdout,
    )?.[0];
    if (!link) throw new Error('convene admin add printed no link');
    admin = await e2e.newPage();
    await admin.goto(link);
    await tabTo(admin, /^Continue$/);
    await admin.keyboard.press('Enter');
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    const [community] = e2e.query<{ id: number; slug: string; name: string; leader: string }>(
      `SELECT c.id, c.slug, c.name, p.email AS leader FROM community c
       JOIN membership m ON m.community_id = c.id AND m.role = 'leader' AND m.state = 'joined'
       JOIN person p ON p.id = m.person_id AND p.status = 'active'
       WHERE c.landing_enabled = 1 ORDER BY c.id LIMIT 1`,
    );
    ({ slug, name: communityName, id: communityId, leader: leaderEmail } = community);
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('a member joins from a landing page: email, a wrong code announced, the right code, welcome', async () => {
    const [person] = e2e.query<{ email: string }>(
      `SELECT email FROM person p WHERE status = 'active' AND is_admin = 0
       AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id AND m.community_id = ?)
       ORDER BY id LIMIT 1`,
      communityId,
    );
    const page = await e2e.newPage();
    await page.goto(e2e.url(`/join/${slug}`));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await tabTo(page, /^Email address/);
    await page.keyboard.type(person.email);
    const askedAt = Date.now();
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /Check your email/);
    const mail = await e2e.waitForEmail(person.email, (m) => m.receivedAt >= askedAt - 2_000);
    const code = codeOf(mail.text);

    // A wrong code is announced: the error is an alert.
    await tabTo(page, /6-digit code/);
    e2e.allowBrowserErrors(/status of 400/);
    await page.keyboard.type(code === '000000' ? '111111' : '000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/code/i);

    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type(code);
    await expectHeadingFocused(page, new RegExp(`Welcome to ${communityName}`));
    await tabTo(page, new RegExp(`^Open ${communityName}$`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: communityName }).waitFor();
  });

  it('a member joins an invitation on Home', async () => {
    const [member] = e2e.query<{ email: string; name: string }>(
      `SELECT p.email, c.name FROM person p JOIN membership m ON m.person_id = p.id AND m.state = 'invited'
       JOIN community c ON c.id = m.community_id
       WHERE p.status = 'active' AND p.is_admin = 0 ORDER BY p.id LIMIT 1`,
    );
    const page = await signInByKeyboard(member.email);
    const card = page.getByRole('region', { name: 'Recommended Communities' }).getByText(member.name).first();
    await card.waitFor();
    // The first invitation's Join (cards are in the order the query above does not know): join the one reached first.
    await tabTo(page, /^Join /);
    const joining = (await focused(page)).name.replace(/^Join /, '');
    await page.keyboard.press('Enter');
    await page.getByText(`You joined ${joining}.`).first().waitFor();
  });

  it('an admin runs a Data Tools job through the wizard', async () => {
    const page = admin;
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('heading', { level: 1, name: 'New Job' }).waitFor();
    await tabTo(page, /Invite members to community/);
    await page.keyboard.press('Space');
    await tabTo(page, /^Next: upload the file$/);
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /Step 2 of 6: Upload/);

    const [person] = e2e.query<{ unique_id: string }>(
      `SELECT unique_id FROM person WHERE status = 'active' AND unique_id IS NOT NULL ORDER BY id LIMIT 1`,
    );
    await tabTo(page, /Drag a CSV file here/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('csv-dropzone');
    const chooser = await openFileChooserByKeyboard(page);
    await chooser.setFiles({
      name: 'keyboard.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`Unique ID,Community ID\r\n${person.unique_id},${communityId}\r\n`),
    });
    await expectHeadingFocused(page, /Step 3 of 6: Map fields/);
    await expect.poll(() => page.getByTestId('key-column').inputValue()).toBe('Unique ID');
    await expect.poll(() => page.getByTestId('field-communityColumn').inputValue()).toBe('Community ID');
    await tabTo(page, /^Unique ID/);
    await page.keyboard.press('Space');
    await tabTo(page, /^Next: check every row$/);
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /Step 4 of 6: Review/);
    // Start is enabled once the dry run has checked every row.
    await page
      .locator('button:enabled')
      .filter({ hasText: /^Start$/ })
      .waitFor();
    await tabTo(page, /^Start$/);
    await page.keyboard.press('Enter');
    await expectHeadingFocused(page, /Step (5 of 6: Run|6 of 6: Log)/);
    await page.getByRole('heading', { name: 'Row by row' }).waitFor();
  });

  it('a leader invites from the dialog; the dialog keeps the focus and Esc closes it', async () => {
    const page = await signInByKeyboard(leaderEmail);
    await page.goto(e2e.url(`/communities/${communityId}`));
    await page.getByRole('heading', { level: 1, name: communityName }).waitFor();
    // The tabs are one stop (the current one); arrow keys move between them.
    await tabTo(page, /^About$/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focused(page).then((f) => f.name)).toMatch(/^Members/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Invite members$/);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await tabTo(page, /^Add recipients$/);
    await page.keyboard.type('keyboard.alum@example.org');
    await page.keyboard.press('Enter');
    await tabTo(page, /^Invite Members$/);
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /^Invitations to/ }).waitFor();
    await e2e.waitForEmail('keyboard.alum@example.org');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });
});
