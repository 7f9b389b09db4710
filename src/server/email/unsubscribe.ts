/**
 * Unsubscribe links that need no database: the token is the address (base64url) and an HMAC of
 * it under the site secret, so a link cannot be forged for another address.
 */
import { hmac, safeEqual } from '../crypto.js';
import type { Config } from '../config.js';

const purpose = 'unsubscribe';

function signature(config: Config, address: string): string {
  return hmac(config.secret, purpose, address).slice(0, 32);
}

export function unsubscribeToken(config: Config, email: string): string {
  const address = email.trim().toLowerCase();
  return `${Buffer.from(address, 'utf8').toString('base64url')}.${signature(config, address)}`;
}

/** The link for marketing emails (invitations): the web page on GET, one-click unsubscribe on POST. */
export function unsubscribeUrl(config: Config, email: string): string {
  return `${config.publicUrl}/unsubscribe/${unsubscribeToken(config, email)}`;
}

/** The address a token was made for, or undefined when the token is not genuine. */
export function emailOfUnsubscribeToken(config: Config, token: string): string | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || token.length > 600) return undefined;
  const address = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
  if (!address.includes('@')) return undefined;
  return safeEqual(token.slice(dot + 1), signature(config, address)) ? address : undefined;
}

/** RFC 2369 + RFC 8058 headers: mail clients show an Unsubscribe button that POSTs to the link. */
export function unsubscribeHeaders(config: Config, email: string): Readonly<Record<string, string>> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(config, email)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
