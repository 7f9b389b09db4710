/** To every active admin: a webhook endpoint was turned off after a day of failed deliveries. */
import { type EmailTemplate, escapeHtml, headerSafe } from '../email/template.js';

export interface WebhookDisabledPayload extends Record<string, unknown> {
  readonly endpointId: number;
  readonly url: string;
  readonly failingSince: number;
  readonly lastError: string;
}

export const webhookDisabledEmail: EmailTemplate<WebhookDisabledPayload> = {
  name: 'webhook_disabled',
  render(p, config) {
    const link = `${config.publicUrl}/admin/webhooks`;
    const since = new Date(p.failingSince).toISOString().replace('T', ' ').slice(0, 16);
    const lines = [
      `Every delivery to the webhook endpoint ${p.url} has failed since ${since} UTC, so ${config.siteName} turned it off.`,
      `The last error: ${p.lastError}`,
      'Its events are kept. Once the receiver works again, turn the endpoint back on in Admin → Webhooks; the waiting events are then sent in order.',
      link,
    ];
    return {
      subject: headerSafe(`Webhook endpoint turned off: ${p.url}`),
      text: lines.join('\n\n'),
      html: lines
        .map((l) =>
          l === link ? `<p><a href="${escapeHtml(link)}">Admin → Webhooks</a></p>` : `<p>${escapeHtml(l)}</p>`,
        )
        .join('\n'),
    };
  },
};
