/** The sign-in email: the 6-digit code and the one-time link, nothing else. */
import type { Config } from '../config.js';
import { type EmailTemplate, escapeHtml, headerSafe } from '../email/template.js';

export interface SignInCodeEmail {
  readonly code: string;
  /** built from PUBLIC_URL, never from a request's Host header */
  readonly link: string;
  readonly expiresInMinutes: number;
  /** set when the code was asked for on a community's landing page */
  readonly communityName: string | null;
}

function render(payload: SignInCodeEmail, config: Config) {
  const site = config.siteName;
  const code = String(payload.code);
  const link = String(payload.link);
  const minutes = Number(payload.expiresInMinutes) || 10;
  const purpose = payload.communityName ? `to join ${payload.communityName} on ${site}` : `to sign in to ${site}`;
  const subject = headerSafe(`${code} is your ${site} sign-in code`);
  const text = [
    `Your code ${purpose}:`,
    '',
    `    ${code}`,
    '',
    `Or open this link in the same browser: ${link}`,
    '',
    `The code and the link work once, for ${minutes} minutes, and only in the browser where you asked for them.`,
    'If you did not ask for this, ignore this email: nobody can sign in without the code.',
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; color: #1a1b1e; line-height: 1.5">
<p>Your code ${escapeHtml(purpose)}:</p>
<p style="font-size: 28px; font-weight: 700; letter-spacing: 6px; font-family: ui-monospace, monospace">${escapeHtml(code)}</p>
<p><a href="${escapeHtml(link)}" style="display: inline-block; padding: 10px 18px; background: #228be6; color: #fff; border-radius: 6px; text-decoration: none">Sign in</a></p>
<p style="color: #555">The code and the link work once, for ${minutes} minutes, and only in the browser where you asked for them.
If you did not ask for this, ignore this email: nobody can sign in without the code.</p>
</body></html>`;
  return { subject, html, text };
}

/** Sensitive: the admin Email log never shows its code and link. */
export const signInCodeTemplate: EmailTemplate<SignInCodeEmail> = {
  name: 'sign_in_code',
  sensitive: true,
  secrets: ['code', 'link'],
  render,
};
