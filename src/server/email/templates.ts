/**
 * The template registry's shape: name → template. A feature writes its templates in its own
 * folder and lists them in its module (`emailTemplates`); modules.ts gathers them and the sender
 * and the Email log are given the result. The name is what `queueEmail(…, { template })` stores
 * in the outbox row.
 */
import type { Config } from '../config.js';
import type { EmailTemplate, RenderedEmail } from './template.js';

/** Any template, as the registry holds it (payloads are checked by each template's own types). */
export type AnyEmailTemplate = EmailTemplate<never>;
export type EmailTemplateMap = Readonly<Record<string, AnyEmailTemplate | undefined>>;

export class UnknownTemplateError extends Error {}

/** The template of this name, or throws UnknownTemplateError. */
export function getEmailTemplate(name: string, templates: EmailTemplateMap): AnyEmailTemplate {
  const template = Object.hasOwn(templates, name) ? templates[name] : undefined;
  if (!template) throw new UnknownTemplateError(`no email template is registered as "${name}"`);
  return template;
}

/** Renders an outbox row's template with its payload (parsed from the row's JSON). */
export function renderEmail(
  name: string,
  payload: unknown,
  config: Config,
  templates: EmailTemplateMap,
): RenderedEmail {
  return getEmailTemplate(name, templates).render(payload as never, config);
}
