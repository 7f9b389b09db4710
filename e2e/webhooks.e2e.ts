/**
 * Admin → Webhooks in a real browser: an admin adds an endpoint for a receiver the test runs (a
 * node http server), sees its secret once, an event is delivered to the receiver — signed with
 * that secret, verified with the `standardwebhooks` package — and the delivery log shows it.
 * Screenshots: desktop 1280×800 and phone 390×844.
 */
import type { Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/testing/webhook-receiver';
import { describeE2e, startE2e, type E2e } from './harness';

const adminEmail = 'webhooks-admin@example.edu';

describeE2e('admin webhooks', () => {
  let e2e: E2e;
  let receiver: WebhookReceiver;

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
    e2e = await startE2e({ env: { WEBHOOK_ALLOW_LOOPBACK: 'true', SITE_NAME: 'Northfield University' } });
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
    await receiver?.close();
  });

  it('adds an endpoint, shows the secret once, delivers a signed event and lists it in the delivery log', async () => {
    const admin = await signIn({ width: 1280, height: 800 });
    await admin.goto(e2e.url('/admin/webhooks'));
    await admin.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await admin.getByRole('button', { name: 'New endpoint' }).click();
    await admin.getByLabel('URL').fill(receiver.url);
    await admin.getByRole('checkbox', { name: /A person is created/ }).check();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await admin.getByTestId('webhook-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await admin.getByRole('button', { name: 'Done' }).click();
    // the secret is not shown again
    const table = admin.getByRole('table', { name: 'Webhook endpoints' });
    await table.getByText(receiver.url).waitFor();
    expect(await admin.content()).not.toContain(secret);

    // an event: a new person (made by the CLI, on the server's database)
    await e2e.runCli(['admin', 'add', 'new-person@example.edu']);
    await expect.poll(() => receiver.delivered().length).toBe(1);
    const [request] = receiver.requests;
    const verified = new Webhook(secret).verify(request!.body, request!.headers) as {
      type: string;
      events: { type: string; data: { email: string } }[];
    };
    expect(verified.type).toBe('batch');
    expect(verified.events.map((e) => [e.type, e.data.email])).toEqual([['person.created', 'new-person@example.edu']]);

    await table.getByRole('button', { name: 'Delivery log' }).click();
    const log = admin.getByRole('table', { name: 'Deliveries' });
    const row = log.getByTestId('delivery-row').first();
    await expect.poll(() => row.innerText()).toMatch(/person\.created[\s\S]*delivered[\s\S]*204[\s\S]*ms/i);
    await e2e.screenshot(admin, 'admin-webhooks');

    // replay: the same event again, as a second delivery
    await row.getByRole('button', { name: /Replay/ }).click();
    await expect.poll(() => receiver.delivered().length).toBe(2);
    expect(receiver.delivered()[1]!.id).toBe(receiver.delivered()[0]!.id);
    await expect.poll(() => log.getByTestId('delivery-row').count()).toBe(2);

    const phone = await signIn({ width: 390, height: 844 });
    await phone.goto(e2e.url('/admin/webhooks'));
    await phone.getByRole('table', { name: 'Webhook endpoints' }).getByRole('button', { name: 'Delivery log' }).click();
    await phone.getByRole('table', { name: 'Deliveries' }).getByTestId('delivery-row').first().waitFor();
    await e2e.screenshot(phone, 'admin-webhooks-phone');
  });
});
