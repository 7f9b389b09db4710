/** What a template renders to. Everything user-supplied is escaped in HTML and never put in a header. */
import type { Config } from '../config.js';

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** e.g. List-Unsubscribe; values built only from our own URLs */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface EmailTemplate<P = Record<string, unknown>> {
  readonly name: string;
  /**
   * The body holds a secret (a sign-in code or link): the admin Email log never shows it, kept or
   * sent — an admin who could read another person's code in a kept email could sign in as them.
   */
  readonly sensitive?: boolean;
  /**
   * Payload fields that are secrets (a code, a sign-in link): the sender removes them from the
   * outbox row once the email is sent, kept or failed, so no secret outlives its one delivery.
   */
  readonly secrets?: readonly (keyof P & string)[];
  render(payload: P, config: Config): RenderedEmail;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEscapes[c]);
}

/** Escaped, with line breaks kept as <br>. */
export function textToHtml(value: string): string {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>\n');
}

// eslint-disable-next-line no-control-regex
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/** A subject line: one line, no control characters, bounded. */
export function headerSafe(value: string, max = 200): string {
  return value.replace(CONTROL_RUNS, ' ').trim().slice(0, max);
}
