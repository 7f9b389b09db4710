/**
 * CSRF defence for cookie-authenticated requests: no state change on GET; unsafe methods are
 * refused when the browser says the request is cross-site (Sec-Fetch-Site), with an Origin check
 * as fallback for browsers that do not send it. Bearer-token requests carry no cookie and pass.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerCsrf(app: FastifyInstance): void {
  const publicOrigin = new URL(app.ctx.config.publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (SAFE.has(request.method) || request.routeOptions.config?.csrf === false) return;
    if (request.headers.authorization) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site === 'cross-site') throw new AppError('cross_site_request');
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      const host = request.headers.host;
      const sameHost = host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
      if (origin !== publicOrigin && !sameHost) throw new AppError('cross_site_request');
    } else if (origin === 'null') {
      throw new AppError('cross_site_request');
    }
  });
}
