/** Masking of personal data in log lines, used by services and by the HTTP logger alike. */

/** "jane.doe@example.edu" → "ja***@example.edu" */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return '***';
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/** Masks every email address inside a text (an SMTP server's reply names the recipient). */
export function maskEmailsIn(text: string): string {
  // Bounded repeats (RFC 5321 lengths) keep this linear on long texts such as a stack or a quoted value.
  return text.replace(/[^\s<>()[\]{},;:"'@]{1,64}@[^\s<>()[\]{},;:"'@]{1,255}/g, (address) => maskEmail(address));
}
