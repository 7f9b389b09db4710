/**
 * CSRF defence. No state changes on GET. An unsafe request must come from the site's own pages:
 * an `Origin` other than `PUBLIC_URL`'s origin is refused whatever `Sec-Fetch-Site` says (a
 * sibling subdomain is "same-site" and its requests carry our `SameSite=Lax` cookies). A request
 * that rides on one of our cookies and has no Origin must have a Referer on our origin instead.
 * Requests that carry their own credential and no cookie pass: API tokens (a browser cannot add
 * an Authorization header across sites without CORS, which this app never grants) and routes
 * marked `csrf: false` (RFC 8058 one-click unsubscribe, posted by mail providers' servers).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { attemptCookieName, sessionCookieName } from './cookie-names.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerCsrf(app: FastifyInstance): void {
  const check = csrfCheck(app.ctx.config);
  app.addHook('onRequest', async (request) => {
    if (SAFE.has(request.method) || request.routeOptions.config?.csrf === false) return;
    if (request.headers.authorization) return;
    if (!check(request)) throw new AppError('csrf_rejected');
  });
}

/** Whether an unsafe, cookie-or-anonymous request may go on. */
export function csrfCheck(config: Config): (request: FastifyRequest) => boolean {
  const publicOrigin = new URL(config.publicUrl).origin;
  const cookieNames = [sessionCookieName(config), attemptCookieName(config)];
  return (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined) return origin === publicOrigin;
    if (request.headers['sec-fetch-site'] === 'cross-site') return false;
    const referer = request.headers.referer;
    if (referer !== undefined) return originOf(referer) === publicOrigin;
    return !cookieNames.some((name) => request.cookies[name] !== undefined);
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
