/** Resolves request.caller from an API token (Authorization: Bearer) or the session cookie. */
import type { FastifyInstance } from 'fastify';
import { resolveApiToken } from './api-token.service.js';
import { sessionCookieName } from './cookies.js';
import { resolveSession } from './session.service.js';
import { AppError } from '../errors.js';

export function registerAuthHook(app: FastifyInstance): void {
  const { ctx } = app;
  const cookieName = sessionCookieName(ctx.config);
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    request.caller = null;
    const auth = request.routeOptions.config?.ownAuthorization === true ? undefined : request.headers.authorization;
    if (auth) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const person = match ? await resolveApiToken(ctx, match[1]) : undefined;
      if (!person) throw new AppError('unauthenticated', 'The API token is not valid.');
      request.caller = { person, via: 'token', sessionId: null };
      return;
    }
    const token = request.cookies[cookieName];
    if (!token) return;
    const found = await resolveSession(ctx, token);
    if (found) request.caller = { person: found.person, via: 'session', sessionId: found.sessionId };
  });
}
