/**
 * Single sign-on routes: the admins' provider settings, the browser's way through a provider
 * (start → provider → callback or ACS → complete), the SP metadata, and a person's links.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bodyErrors, errorResponses, idParams, okSchema, signedInErrors } from '../../shared/api.js';
import {
  identityProviderBody,
  identityProviderList,
  identityProviderPatch,
  identityProviderSchema,
  myLinksAnswer,
  ssoStartQuery,
} from '../../shared/sso.js';
import { cookieOptions, setSessionCookie } from '../auth/cookies.js';
import { endSession } from '../auth/session.service.js';
import type { Config } from '../config.js';
import { isHttps } from '../config.js';
import type { AppContext } from '../context.js';
import { randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { requireAdmin, requireCaller } from '../http/caller.js';
import { myLinks, unlinkProvider } from './links.service.js';
import { createProvider, listProviders, removeProvider, updateProvider } from './providers.service.js';
import {
  errorRedirect,
  finishSso,
  pendingLoginFor,
  profileFromOidcCallback,
  type SsoFinished,
  startSso,
} from './sso.service.js';

const SSO_COOKIE_SECONDS = 15 * 60;
const tokenShape = /^[A-Za-z0-9_-]{22,64}$/;

export function ssoCookieName(config: Config): string {
  return isHttps(config) ? '__Host-convene_sso' : 'convene_sso';
}

export function browserTokenOf(request: FastifyRequest, config: Config): string | undefined {
  const value = request.cookies[ssoCookieName(config)];
  return value && tokenShape.test(value) ? value : undefined;
}

/** A redirect answer (303 after a POST, 302 otherwise), described for the API document. */
const redirect = { 302: z.unknown().meta({ description: 'To the provider, or to a page of this site' }) };
const seeOther = { 303: z.unknown().meta({ description: 'To a page of this site' }) };

export function codeOf(error: unknown): AppError['code'] {
  if (error instanceof AppError) return error.code;
  throw error;
}

export const ssoRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const adminErrors = errorResponses(...signedInErrors, 404);

  app.get(
    '/api/admin/identity-providers',
    {
      schema: {
        tags: ['sso'],
        summary: 'Identity providers for single sign-on (admins; never the client secret)',
        response: { 200: identityProviderList, ...adminErrors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { items: await listProviders(ctx) };
    },
  );
  app.post(
    '/api/admin/identity-providers',
    {
      schema: {
        tags: ['sso'],
        summary: 'Add an OpenID Connect or SAML 2.0 identity provider (admins)',
        body: identityProviderBody,
        response: { 201: identityProviderSchema, ...adminErrors, ...errorResponses(...bodyErrors, 502) },
      },
    },
    async (request, reply) => {
      const caller = requireAdmin(request);
      return reply.code(201).send(await createProvider(ctx, caller, request.body));
    },
  );
  app.patch(
    '/api/admin/identity-providers/:id',
    {
      schema: {
        tags: ['sso'],
        summary: 'Change an identity provider (admins); a new clientSecret replaces the old one',
        params: idParams,
        body: identityProviderPatch,
        response: { 200: identityProviderSchema, ...adminErrors, ...errorResponses(...bodyErrors, 502) },
      },
    },
    async (request) => updateProvider(ctx, requireAdmin(request), request.params.id, request.body),
  );
  app.delete(
    '/api/admin/identity-providers/:id',
    {
      schema: {
        tags: ['sso'],
        summary: 'Remove an identity provider and its people’s links (admins)',
        params: idParams,
        response: { 200: okSchema, ...adminErrors },
      },
    },
    async (request) => {
      await removeProvider(ctx, requireAdmin(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/sso/:id/start',
    {
      schema: {
        tags: ['sso'],
        summary: 'Go to the identity provider to sign in (or, with intent=link, to link an account)',
        params: idParams,
        querystring: ssoStartQuery,
        response: { ...redirect, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const browserToken = browserTokenOf(request, ctx.config) ?? randomToken(16);
      reply.setCookie(ssoCookieName(ctx.config), browserToken, cookieOptions(ctx.config, SSO_COOKIE_SECONDS));
      try {
        const url = await startSso(ctx, request.params.id, {
          ...request.query,
          personId: request.caller?.via === 'session' ? request.caller.person.id : null,
          browserToken,
        });
        return reply.redirect(url, 302);
      } catch (error) {
        const back = request.query.landing ? `/join/${encodeURIComponent(request.query.landing)}` : undefined;
        return reply.redirect(errorRedirect(undefined, codeOf(error), back), 302);
      }
    },
  );

  app.get(
    '/api/sso/:id/callback',
    {
      schema: {
        tags: ['sso'],
        summary: 'The OpenID Connect redirect URI: redeems the code, then signs in and goes on',
        params: idParams,
        querystring: z.object({ state: z.string().max(200).optional() }).passthrough(),
        response: { ...redirect, ...errorResponses() },
      },
    },
    async (request, reply) => {
      let login;
      try {
        login = await pendingLoginFor(ctx, request.params.id, request.query.state, browserTokenOf(request, ctx.config));
      } catch (error) {
        return reply.redirect(errorRedirect(undefined, codeOf(error)), 302);
      }
      let answer;
      try {
        answer = { profile: await profileFromOidcCallback(ctx, login, new URL(request.url, ctx.config.publicUrl)) };
      } catch (error) {
        answer = { error: { code: codeOf(error) } };
      }
      const finished = await finishSso(ctx, login, answer, callerId(request), request.headers['user-agent']);
      return sendFinished(ctx, request, reply, finished, 302);
    },
  );

  app.get(
    '/api/me/sso',
    {
      schema: {
        tags: ['sso'],
        summary: 'The identity provider accounts linked to the signed-in person, and those they may link',
        response: { 200: myLinksAnswer, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => myLinks(ctx, requireCaller(request).person.id),
  );
  app.delete(
    '/api/me/sso/:id',
    {
      schema: {
        tags: ['sso'],
        summary: 'Unlink the signed-in person’s account at this identity provider',
        params: idParams,
        response: { 200: okSchema, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => {
      await unlinkProvider(ctx, requireCaller(request).person.id, request.params.id);
      return { ok: true as const };
    },
  );
};

export function callerId(request: FastifyRequest): number | null {
  return request.caller?.via === 'session' ? request.caller.person.id : null;
}

/** Sets the new session (replacing the browser's old one) and goes where the sign-in leads. */
export async function sendFinished(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  finished: SsoFinished,
  status: 302 | 303,
) {
  if (finished.signedIn) {
    if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
    setSessionCookie(reply, ctx.config, finished.signedIn.session.token);
  }
  return reply.redirect(finished.redirect, status);
}

export { seeOther };
