/**
 * Unsubscribe links that need no database. The token is the address encrypted (AES-256-GCM under
 * a key derived from the site secret, deterministic): opaque, so a forwarded email or a Referer does not show
 * whose link it is, and unforgeable, since the tag authenticates it. Links from before carried the
 * address in base64url with an HMAC (`<address>.<mac>`); they keep working. `sealLinkToken`
 * makes the same kind of token for other links (a notification kind's unsubscribe).
 */
import crypto from 'node:crypto';
import { hmac, safeEqual } from '../crypto.js';
import type { Config } from '../config.js';

const unsubscribePurpose = 'unsubscribe';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function key(config: Config, purpose: string): Buffer {
  return Buffer.from(hmac(config.secret, `${purpose}_key`, ''), 'hex');
}

/**
 * Seals `text` for a link: deterministic (one text, one token) and authenticated. Each purpose
 * has its own key, so a token made for one purpose never opens as another.
 */
export function sealLinkToken(config: Config, purpose: string, text: string): string {
  // A synthetic IV (an HMAC of the text, as in SIV): one text always gets the same link, and an
  // IV is never reused for a different text.
  const iv = Buffer.from(hmac(config.secret, `${purpose}_iv`, text), 'hex').subarray(0, IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(config, purpose), iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The text a token of this purpose was sealed from, or undefined when it is not genuine. */
export function openLinkToken(config: Config, purpose: string, token: string): string | undefined {
  if (token.length > 600) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key(config, purpose), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function unsubscribeToken(config: Config, email: string): string {
  return sealLinkToken(config, unsubscribePurpose, email.trim().toLowerCase());
}

/** The link for marketing emails (invitations): the web page on GET, one-click unsubscribe on POST. */
export function unsubscribeUrl(config: Config, email: string): string {
  return `${config.publicUrl}/unsubscribe/${unsubscribeToken(config, email)}`;
}

/** The address a token was made for, or undefined when the token is not genuine. */
export function emailOfUnsubscribeToken(config: Config, token: string): string | undefined {
  if (token.length > 600) return undefined;
  const address = token.includes('.')
    ? openLegacyToken(config, token)
    : openLinkToken(config, unsubscribePurpose, token);
  return address?.includes('@') ? address : undefined;
}

/** `<address in base64url>.<HMAC>`: the links of emails sent before tokens were encrypted. */
function openLegacyToken(config: Config, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const address = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
  return safeEqual(token.slice(dot + 1), hmac(config.secret, unsubscribePurpose, address).slice(0, 32))
    ? address
    : undefined;
}

/** RFC 2369 + RFC 8058 headers: mail clients show an Unsubscribe button that POSTs to the link. */
export function unsubscribeHeaders(config: Config, email: string): Readonly<Record<string, string>> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(config, email)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
