/**
 * Data Tools and admin screens new admins tripped over, in a real browser: a semicolon file is
 * read as columns (the separator is detected, shown, and answered as `delimiter`), the job gets a
 * name in the review step, the downloaded log gives reasons in words; Copy invite URL asks before
 * replacing the earlier URL, and the welcome page's "Send me a code" sends the code (real SMTP peer).
 */
import fs from 'node:fs';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeE2e, startE2e, type E2e } from './harness';
import { codeOf } from './page-calls';

const adminEmail = 'root@example.edu';

async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u as string, {
        method: m as string,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [method, url, body] as const,
  ) as Promise<{ status: number; json: T }>;
}

describeE2e('data tools and invite URL fixes (browser)', () => {
  let e2e: E2e;
  let admin: Page;

  beforeAll(async () => {
    e2e = await startE2e({ env: { SITE_NAME: 'Northfield University' } });
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    admin = await e2e.newPage({ width: 1280, height: 1000 });
    await admin.goto(link);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
  });

  it('a semicolon file is read as columns, the job is named, and the log says its reasons in words', async () => {
    const community = await call<{ id: number }>(admin, 'POST', '/api/admin/communities', {
      name: 'Debate Society',
      headline: 'Motions on Fridays',
      description: 'All welcome.',
      privacy: 'public',
    });
    const person = await call<{ person: { id: number } }>(admin, 'POST', '/api/admin/people', {
      email: 'ada@example.edu',
      firstName: 'Ada',
      lastName: 'Lovelace',
      uniqueId: 'S-100',
    });
    expect(person.status).toBe(201);
    const page = admin;
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('radio', { name: /Invite members to community/ }).click();
    await page.getByRole('button', { name: 'Next: upload the file' }).click();
    await page.getByText('Drag a CSV file here').waitFor();
    await page.getByRole('combobox', { name: 'Columns are separated by' }).waitFor();
    const file = `Unique ID;Community ID\r\nS-100;${community.json.id}\r\nS-999;${community.json.id}\r\nS-100;6.0\r\n`;
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'export-semicolons.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('heading', { name: 'Key field' }).waitFor();
    expect(await page.getByTestId('job-delimiter').innerText()).toBe('semicolons');
    const jobId = Number(/\/admin\/data-tools\/(\d+)$/.exec(page.url())?.[1]);
    const job = await call<{ delimiter: string; columns: string[] }>(page, 'GET', `/api/admin/data-jobs/${jobId}`);
    expect(job.json).toMatchObject({ delimiter: ';', columns: ['Unique ID', 'Community ID'] });
    await e2e.screenshot(page, 'data-tools-3-map-semicolons');
    await page.getByRole('button', { name: 'Next: check every row' }).click();

    await page.getByRole('heading', { name: 'Dry run' }).waitFor();
    const reasons = page.getByTestId('skip-reasons');
    await reasons.getByText('Community ID must be a whole number').waitFor();
    await page.getByLabel('Job name (optional)').fill('Debate intake, spring');
    await e2e.screenshot(page, 'data-tools-4-review-named');
    // Pressing Start blurs the name field, which saves the name. The save is held, and the page has
    // rendered, before the button is released: a Start made busy (disabled) by that save would
    // swallow the click and the job would never start, as happened on a loaded machine.
    const held: Route[] = [];
    let holding = true;
    const namePatch = `**/api/admin/data-jobs/${jobId}`;
    await page.route(namePatch, (route) => {
      if (holding && route.request().method() === 'PATCH') held.push(route);
      else void route.continue();
    });
    const start = page.getByRole('button', { name: 'Start', exact: true });
    await start.hover();
    await page.mouse.down();
    await expect.poll(() => held.length).toBeGreaterThan(0);
    // two frames: the page has rendered whatever the save's start changes before the button is released
    await page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );
    await page.mouse.up();
    holding = false;
    for (const route of held.splice(0)) await route.continue();
    await expect
      .poll(
        async () => (await call<{ status: string; name: string }>(page, 'GET', `/api/admin/data-jobs/${jobId}`)).json,
      )
      .toMatchObject({ status: 'completed', name: 'Debate intake, spring' });

    await page.unroute(namePatch);
    await page.goto(e2e.url('/admin/data-tools'));
    await page.getByText('Debate intake, spring').waitFor();
    await page.goto(e2e.url(`/admin/data-tools/${jobId}`));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const log = fs
      .readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(log[0]).toBe('Row,Unique ID,Community ID,Outcome,Reason,Reason in words');
    expect(log).toContain('3,S-999,' + community.json.id + ',skipped,unknown_person,Unknown person ID');
    expect(log).toContain('4,S-100,6.0,skipped,invalid_community_id,Community ID must be a whole number');
  }, 120_000);

  it('Copy invite URL asks before replacing the earlier URL; the welcome page sends the code', async () => {
    const added = await call<{ person: { id: number }; inviteUrl: string }>(admin, 'POST', '/api/admin/people', {
      email: 'pat.pending@example.org',
      firstName: 'Pat',
      lastName: 'Preverified',
    });
    expect(added.status).toBe(201);
    const firstUrl = added.json.inviteUrl;
    await admin.goto(e2e.url(`/admin/members/${added.json.person.id}`));
    await admin.getByRole('button', { name: 'Copy invite URL' }).click();
    const ask = admin.getByRole('dialog', { name: 'Make a new invite URL?' });
    await ask.getByText(/stops the earlier URL from working/).waitFor();
    await e2e.screenshot(admin, 'person-invite-url-confirm');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    await admin.getByRole('button', { name: 'Copy invite URL' }).click();
    await admin.getByRole('button', { name: 'Make a new URL' }).click();
    const newUrl = await admin.getByTestId('invite-url').innerText();
    expect(newUrl).not.toBe(firstUrl);

    const visitor = await e2e.newPage({ width: 390, height: 844 });
    // the replaced URL answers 404, which the page shows in words
    e2e.allowBrowserErrors(/status of 404/);
    await visitor.goto(firstUrl);
    await visitor.getByText('This invite link does not work').waitFor();
    await visitor.goto(newUrl);
    const askedAt = Date.now();
    await visitor.getByRole('button', { name: 'Send me a code' }).click();
    await visitor.getByLabel('6-digit code').waitFor();
    await visitor.getByText(/We sent a 6-digit code to/).waitFor();
    const mail = await e2e.waitForEmail('pat.pending@example.org', (m) => m.receivedAt >= askedAt - 2_000);
    await visitor.getByLabel('6-digit code').fill(codeOf(mail));
    await visitor.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    await visitor.context().close();
  }, 120_000);

  it('a refused file or mapping says why and what to do: blank lines, a quote never closed, a column named twice', async () => {
    const page = admin;
    e2e.allowBrowserErrors(/status of 400/); // the refusals below
    await page.goto(e2e.url('/admin/data-tools/new'));
    await page.getByRole('radio', { name: /Deactivate/ }).click();
    await page.getByRole('button', { name: 'Next: upload the file' }).click();
    await page.getByText('Drag a CSV file here').waitFor();
    const fileInput = page.locator('input[type=file]');
    const refusal = page.getByTestId('upload-error');

    // A file of blank lines is empty, not "a header only".
    await fileInput.setInputFiles({
      name: 'blank.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('\r\n,,\r\n \r\n\r\n'),
    });
    await expect
      .poll(() => refusal.innerText())
      .toBe('The file is empty: every line is blank or holds only separators.');

    // A quote that never closes swallows the file: the message says where to look and what to do.
    const runaway = `Unique ID,Note\r\nU1,"starts here\r\n${'U2,more\r\n'.repeat(12_000)}`;
    await fileInput.setInputFiles({ name: 'runaway.csv', mimeType: 'text/csv', buffer: Buffer.from(runaway) });
    await expect.poll(() => refusal.innerText()).toMatch(/a double quote opened on or before line \d+ is never closed/);
    await page
      .getByRole('alert')
      .getByText(/^Line \d+$/)
      .waitFor();

    // Two columns with the same header: a mapping that names it is refused, naming both columns.
    await fileInput.setInputFiles({
      name: 'twice.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Unique ID,Email,Unique ID\r\nU1,a@example.org,U2\r\n'),
    });
    await page.getByRole('heading', { name: 'Key field' }).waitFor();
    const jobId = Number(/\/admin\/data-tools\/(\d+)$/.exec(page.url())?.[1]);
    const mapped = await call<{ error: { code: string; message: string } }>(
      page,
      'PUT',
      `/api/admin/data-jobs/${jobId}/mapping`,
      { keyColumn: 'Unique ID', keyType: 'unique_id' },
    );
    expect(mapped.status).toBe(400);
    expect(mapped.json.error.message).toMatch(/2 columns are named "unique id" \(columns 1 and 3\)/i);
  }, 120_000);
});
