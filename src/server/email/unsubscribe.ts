/**
 * Unsubscribe links that need no database. The token is the address encrypted (AES-256-GCM under
 * a key derived from the site secret, deterministic): opaque, so a forwarded email or a Referer does not show
 * whose link it is, and unforgeable, since the tag authenticates it. Links from before carried the
 * address in base64url with an HMAC (`<address>.<mac>`); they keep working.
 */
import crypto from 'node:crypto';
import { hmac, safeEqual } from '../crypto.js';
import type { Config } from '../config.js';

const purpose = 'unsubscribe';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function key(config: Config): Buffer {
  return Buffer.from(hmac(config.secret, 'unsubscribe_key', ''), 'hex');
}

export function unsubscribeToken(config: Config, email: string): string {
  const address = email.trim().toLowerCase();
  // A synthetic IV (an HMAC of the address, as in SIV): one address always gets the same link,
  // and an IV is never reused for a different address.
  const iv = Buffer.from(hmac(config.secret, 'unsubscribe_iv', address), 'hex').subarray(0, IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(config), iv);
  const sealed = Buffer.concat([cipher.update(address, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

/** The link for marketing emails (invitations): the web page on GET, one-click unsubscribe on POST. */
export function unsubscribeUrl(config: Config, email: string): string {
  return `${config.publicUrl}/unsubscribe/${unsubscribeToken(config, email)}`;
}

/** The address a token was made for, or undefined when the token is not genuine. */
export function emailOfUnsubscribeToken(config: Config, token: string): string | undefined {
  if (token.length > 600) return undefined;
  const address = token.includes('.') ? openLegacyToken(config, token) : openToken(config, token);
  return address?.includes('@') ? address : undefined;
}

function openToken(config: Config, token: string): string | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key(config), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** `<address in base64url>.<HMAC>`: the links of emails sent before tokens were encrypted. */
function openLegacyToken(config: Config, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const address = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
  return safeEqual(token.slice(dot + 1), hmac(config.secret, purpose, address).slice(0, 32)) ? address : undefined;
}

/** RFC 2369 + RFC 8058 headers: mail clients show an Unsubscribe button that POSTs to the link. */
export function unsubscribeHeaders(config: Config, email: string): Readonly<Record<string, string>> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(config, email)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
