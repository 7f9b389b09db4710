/**
 * Resolves request.caller from an API token (Authorization: Bearer) or the session cookie, and
 * refuses a token's request that its scopes do not cover (`api-token.policy.ts`).
 */
import type { FastifyInstance } from 'fastify';
import { tokenAllows } from './api-token.policy.js';
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
      const found = match ? await resolveApiToken(ctx, match[1]) : undefined;
      if (!found) throw new AppError('unauthenticated', 'The API token is not valid.');
      const routeScope = request.routeOptions.config.tokenScope;
      if (!tokenAllows(found.scopes, { method: request.method, routeScope })) throw new AppError('api_token_scope');
      request.caller = { person: found.person, via: 'token', sessionId: null, tokenId: found.tokenId };
      return;
    }
    const token = request.cookies[cookieName];
    if (!token) return;
    const session = await resolveSession(ctx, token);
    if (session)
      request.caller = { person: session.person, via: 'session', sessionId: session.sessionId, tokenId: null };
  });
}
