/**
 * The template registry: name → template. A feature writes its template in its own folder
 * (e.g. auth/sign-in-code.email.ts) and adds one line here, e.g. `sign_in_code: signInCodeEmail,`.
 * The name is what `queueEmail(…, { template })` stores in the outbox row.
 */
import type { Config } from '../config.js';
import type { EmailTemplate, RenderedEmail } from './template.js';
import { signInCodeTemplate } from '../auth/sign-in.email.js';
import { testEmail } from './test-email.template.js';
import { communityInvitationTemplate } from '../invitations/invitation-email.js';

/** Any template, as the registry holds it (payloads are checked by each template's own types). */
export type AnyEmailTemplate = EmailTemplate<never>;
export type EmailTemplateMap = Readonly<Record<string, AnyEmailTemplate | undefined>>;

export const emailTemplates: EmailTemplateMap = {
  test_email: testEmail,
  sign_in_code: signInCodeTemplate,
  community_invitation: communityInvitationTemplate,
};

export class UnknownTemplateError extends Error {}

/** The template of this name, or throws UnknownTemplateError. */
export function getEmailTemplate(name: string, templates: EmailTemplateMap = emailTemplates): AnyEmailTemplate {
  const template = Object.hasOwn(templates, name) ? templates[name] : undefined;
  if (!template) throw new UnknownTemplateError(`no email template is registered as "${name}"`);
  return template;
}

/** Renders an outbox row's template with its payload (parsed from the row's JSON). */
export function renderEmail(
  name: string,
  payload: unknown,
  config: Config,
  templates: EmailTemplateMap = emailTemplates,
): RenderedEmail {
  return getEmailTemplate(name, templates).render(payload as never, config);
}
