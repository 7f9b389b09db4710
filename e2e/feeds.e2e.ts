/**
 * Admin → Feeds in a real browser: an admin adds a webhook endpoint for a receiver the test runs
 * (a node http server on loopback) and makes a feed in the UI; a file is put into the feed's folder
 * (renamed into place, as an SFTP upload finishes); the server's periodic look takes it, the Data
 * Tools job runs, the feed's page shows the finished run with its counts, and the receiver gets
 * `data_job.finished` and `feed.run_finished`, signed with the endpoint's secret (verified with the
 * `standardwebhooks` package). Then the feed is edited, its upload token renewed (the old one is
 * refused, the new one uploads a run), switched off and deleted. Screenshots: desktop 1280×800 and
 * phone 390×844.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/testing/webhook-receiver';
import { describeE2e, startE2e, type E2e } from './harness';

const adminEmail = 'feeds-admin@example.edu';

describeE2e('admin feeds', () => {
  let e2e: E2e;
  let receiver: WebhookReceiver;
  let feedsDir: string;

  async function signIn(size: { width: number; height: number }): Promise<Page> {
    const { stdout } = await e2e.runCli(['admin', 'add', adminEmail]);
    const link = /https?:\/\/\S+\/auth\/link\/\S+/.exec(stdout)?.[0];
    if (!link) throw new Error(stdout);
    const page = await e2e.newPage(size);
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    return page;
  }

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    feedsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-e2e-feeds-'));
    e2e = await startE2e({
      env: {
        WEBHOOK_ALLOW_LOOPBACK: 'true',
        SITE_NAME: 'Northfield University',
        FEEDS_DIR: feedsDir,
        // look every second; a file renamed into place is whole, so it need not stay unchanged for long
        FEED_SCAN_INTERVAL_MS: '1000',
        FEED_STABLE_MS: '0',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
    await receiver?.close();
    if (feedsDir) fs.rmSync(feedsDir, { recursive: true, force: true });
  });

  it('makes a feed and a webhook endpoint, runs a dropped file and tells the receiver, signed', async () => {
    const admin = await signIn({ width: 1280, height: 800 });

    // a webhook endpoint for the receiver, asking for the two events a feed's run makes
    await admin.goto(e2e.url('/admin/webhooks'));
    await admin.getByRole('button', { name: 'New endpoint' }).click();
    await admin.getByLabel('URL').fill(receiver.url);
    await admin.getByRole('checkbox', { name: /A Data Tools job finishes/ }).check();
    await admin.getByRole('checkbox', { name: /A feed run finishes/ }).check();
    await admin.getByRole('checkbox', { name: /Someone joins a community/ }).uncheck();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await admin.getByTestId('webhook-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await admin.getByRole('button', { name: 'Done' }).click();

    // the feed, through Admin → Feeds
    await admin.getByRole('navigation').getByRole('link', { name: 'Feeds' }).first().click();
    await admin.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();
    await admin.getByText('No feeds').waitFor();
    await admin.getByRole('button', { name: 'New feed' }).click();
    const dialog = admin.getByRole('dialog', { name: 'New feed' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Nightly pre-verify from Slate');
    await dialog.getByRole('textbox', { name: /^Folder/ }).fill('slate-preverify');
    // the job type is Pre-verify by default; its columns start as the usual header names
    expect(await dialog.getByRole('textbox', { name: /^Unique ID column/ }).inputValue()).toBe('Unique ID');
    await dialog.getByRole('textbox', { name: /^Hold for review above/ }).fill('50');
    await e2e.screenshot(admin, 'feed-create');
    await dialog.getByRole('button', { name: 'Make feed' }).click();
    const token = (await admin.getByTestId('feed-upload-token').innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    const uploadUrl = (await admin.getByTestId('feed-upload-url').innerText()).trim();
    expect(uploadUrl).toMatch(new RegExp(`^${e2e.baseUrl}/api/feeds/\\d+/files/`));
    await admin.getByRole('button', { name: 'Done' }).click();
    // the token is not shown again
    const table = admin.getByRole('table', { name: 'Feeds' });
    await table.getByRole('link', { name: 'Nightly pre-verify from Slate' }).waitFor();
    expect(await admin.content()).not.toContain(token);
    expect(await table.innerText()).toMatch(/Pre-verify[\s\S]*slate-preverify[\s\S]*On[\s\S]*Never/i);
    await e2e.screenshot(admin, 'feeds-list');

    // a file lands in the folder: written beside it, then renamed into place
    const folder = path.join(feedsDir, 'slate-preverify');
    fs.mkdirSync(folder, { recursive: true });
    const csv =
      'Unique ID,First Name,Last Name,Email\r\n' +
      'S1001,Grace,Hopper,grace.hopper@example.org\r\n' +
      'S1002,Alan,Turing,alan.turing@example.org\r\n' +
      'S1003,Katherine,Johnson,\r\n';
    const partial = path.join(feedsDir, 'incoming.part');
    fs.writeFileSync(partial, csv);
    fs.renameSync(partial, path.join(folder, 'people-2026-12-03.csv'));

    await table.getByRole('link', { name: 'Nightly pre-verify from Slate' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Nightly pre-verify from Slate' }).waitFor();
    const run = admin.getByRole('table', { name: 'Runs' }).getByTestId('feed-run').first();
    await run.waitFor();
    await expect.poll(() => run.innerText()).toMatch(/people-2026-12-03\.csv[\s\S]*Finished[\s\S]*3 pre-verified/i);
    await run.getByRole('link', { name: /^Job \d+$/ }).waitFor();
    await e2e.screenshot(admin, 'feed-runs');

    // the receiver gets both events, each request signed with the endpoint's secret
    await expect
      .poll(() =>
        receiver
          .delivered()
          .map((e) => e.type)
          .sort(),
      )
      .toEqual(['data_job.finished', 'feed.run_finished']);
    const webhook = new Webhook(secret);
    const events = receiver.requests
      .filter((r) => r.status === 204 || r.status === 200)
      .flatMap((r) => {
        const body = webhook.verify(r.body, r.headers) as {
          type: string;
          events?: { type: string; data: Record<string, unknown> }[];
          data?: Record<string, unknown>;
        };
        return body.type === 'batch' ? body.events! : [body as { type: string; data: Record<string, unknown> }];
      });
    const finished = events.find((e) => e.type === 'feed.run_finished')!;
    expect(finished.data).toMatchObject({
      feed: { name: 'Nightly pre-verify from Slate', type: 'preverify' },
      run: { fileName: 'people-2026-12-03.csv', status: 'finished' },
      outcomes: { created: 3 },
    });
    const jobId = (finished.data.dataJob as { id: number }).id;
    const job = events.find((e) => e.type === 'data_job.finished')!;
    expect(job.data).toMatchObject({ dataJobId: jobId, type: 'preverify', status: 'completed', rows: 3 });
    expect(job.data.totals).toMatchObject({ outcomes: { created: 3 } });
    // a request whose body was changed does not verify
    const [first] = receiver.requests;
    expect(() => webhook.verify(first!.body.replace('finished', 'started'), first!.headers)).toThrow();

    // the phone: the list, the form and the runs, actions within reach
    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(e2e.url('/admin/feeds'));
    await phone
      .getByRole('table', { name: 'Feeds' })
      .getByRole('link', { name: /Nightly pre-verify/ })
      .waitFor();
    await e2e.screenshot(phone, 'feeds-list-phone');
    await phone.getByRole('button', { name: 'New feed' }).click();
    await phone.getByRole('dialog', { name: 'New feed' }).getByRole('button', { name: 'Make feed' }).waitFor();
    await e2e.screenshot(phone, 'feed-create-phone');
    await phone.getByRole('button', { name: 'Cancel' }).click();
    await phone
      .getByRole('table', { name: 'Feeds' })
      .getByRole('link', { name: /Nightly pre-verify/ })
      .click();
    await phone.getByRole('table', { name: 'Runs' }).getByTestId('feed-run').first().waitFor();
    await phone.getByRole('button', { name: 'Switch off' }).waitFor();
    await e2e.screenshot(phone, 'feed-runs-phone');

    // edit: a new name
    await admin.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = admin.getByRole('dialog', { name: 'Edit the feed' });
    await edit.getByRole('textbox', { name: 'Name', exact: true }).fill('Slate nightly');
    await edit.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Slate nightly' }).waitFor();

    // a new upload token, after a confirmation: the old one stops working, the new one uploads
    await admin.getByRole('button', { name: 'New upload token' }).click();
    await admin
      .getByRole('dialog', { name: 'Make a new upload token?' })
      .getByRole('button', { name: 'Make a new token' })
      .click();
    const newToken = (await admin.getByTestId('feed-upload-token').innerText()).trim();
    expect(newToken).not.toBe(token);
    await admin.getByRole('button', { name: 'Done' }).click();
    const put = (bearer: string) =>
      fetch(uploadUrl.replace('<file name>', 'people-2026-12-04.csv'), {
        method: 'PUT',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/csv' },
        body: 'Unique ID,First Name,Last Name,Email\r\nS1004,Mary,Jackson,mary.jackson@example.org\r\n',
      });
    expect((await put(token)).status).toBe(401);
    expect((await put(newToken)).status).toBe(201);
    await expect
      .poll(() => admin.getByRole('table', { name: 'Runs' }).getByTestId('feed-run').first().innerText())
      .toMatch(/people-2026-12-04\.csv[\s\S]*Finished[\s\S]*1 pre-verified/i);

    // Look now: every folder is looked into at once; nothing new is there
    await admin.getByRole('button', { name: 'Look now' }).click();
    await admin.getByRole('status').filter({ hasText: '0 files taken' }).waitFor();

    // switch off, then delete (with its confirmation)
    await admin.getByRole('button', { name: 'Switch off' }).click();
    await admin.getByRole('button', { name: 'Switch on' }).waitFor();
    await admin.getByRole('button', { name: 'Delete', exact: true }).click();
    await admin.getByRole('dialog', { name: 'Delete this feed?' }).getByRole('button', { name: 'Delete feed' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();
    await admin.getByText('No feeds').waitFor();
  });
});
