/**
 * Webhooks out (Standard Webhooks): endpoints as site settings, events queued by other features
 * in their own transactions (`queueWebhookEvents`, webhook-event.repository.ts), the sender the
 * worker runs, and the admin's delivery log and replay.
 */
import type { FeatureModule } from '../module.js';
import { startWebhookSender } from './sender.js';
import { deleteDeliveredBefore } from './webhook.repository.js';
import { webhookDisabledEmail } from './webhook-disabled.email.js';
import { webhookRoutes } from './webhook.routes.js';

/** Delivered rows are kept this long in the delivery log. */
const deliveredKeptMs = 30 * 24 * 60 * 60_000;

export const webhooksModule: FeatureModule = {
  name: 'webhooks',
  routes: webhookRoutes,
  emailTemplates: { webhook_disabled: webhookDisabledEmail },
  backgroundLoops: [{ name: 'webhook sender', start: (ctx) => startWebhookSender(ctx) }],
  cleanup: async (ctx) => ({
    webhookDeliveries: await deleteDeliveredBefore(ctx.db, ctx.clock.now() - deliveredKeptMs),
  }),
  authzRows: async () => (await import('./webhooks.authz.js')).authzRows,
};
