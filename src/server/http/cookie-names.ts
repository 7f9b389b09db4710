/**
 * The names of the cookies that carry a credential: the session, and the attempt cookie that
 * binds a sign-in code or link to the browser that asked for it. `__Host-` over https. They live
 * in http/ because the CSRF check must know which requests ride on a credential cookie.
 */
import { type Config, isHttps } from '../config.js';

export function sessionCookieName(config: Config): string {
  return isHttps(config) ? '__Host-convene_session' : 'convene_session';
}

export function attemptCookieName(config: Config): string {
  return isHttps(config) ? '__Host-convene_attempt' : 'convene_attempt';
}
