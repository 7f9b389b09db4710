/** "Test email": lets an admin check that the site's email settings deliver. */
import { type EmailTemplate, headerSafe, textToHtml } from './template.js';

export interface TestEmailPayload {
  /** who asked for it (shown in the body) */
  readonly requestedBy?: string;
}

export const testEmail: EmailTemplate<TestEmailPayload> = {
  name: 'test_email',
  render(payload, config) {
    const text = [
      `This is a test email from ${config.siteName} (${config.publicUrl}).`,
      payload.requestedBy ? `It was sent at the request of ${payload.requestedBy}.` : '',
      'If you can read this, email delivery works.',
    ]
      .filter(Boolean)
      .join('\n\n');
    return {
      subject: headerSafe(`Test email from ${config.siteName}`),
      text,
      html: `<p>${text.split('\n\n').map(textToHtml).join('</p>\n<p>')}</p>`,
    };
  },
};
