/** Cookie names and options: `__Host-` and `Secure` when served over https. */
import type { CookieSerializeOptions } from '@fastify/cookie';
import { type Config, isHttps } from '../config.js';

export function sessionCookieName(config: Config): string {
  return isHttps(config) ? '__Host-convene_session' : 'convene_session';
}

/** The attempt cookie binds a sign-in code or link to the browser that asked for it. */
export function attemptCookieName(config: Config): string {
  return isHttps(config) ? '__Host-convene_attempt' : 'convene_attempt';
}

export function cookieOptions(config: Config, maxAgeSeconds?: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(config), ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}
