/** Sign-in routes: ask for a code, verify it (or a link), sign out, who am I. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  meSchema,
  sessionAnswer,
  signedInAnswer,
  signInCodeAnswer,
  signInCodeBody,
  signInLinkBody,
  verifyCodeBody,
} from '../../shared/auth.js';
import { bodyErrors, errorResponses, okSchema } from '../../shared/api.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { requireCaller } from '../http/caller.js';
import {
  attemptTokenOf,
  clearAttemptCookie,
  clearSessionCookie,
  issueAttemptCookie,
  setSessionCookie,
} from './cookies.js';
import { loadMe } from './me.js';
import { endSession } from './session.service.js';
import { codeRequestAnswer, requestSignInCode } from './sign-in-code.service.js';
import { type SignedIn, signInWithCode, signInWithLink } from './sign-in.service.js';

/** Replaces whatever session the browser had with the new one, and forgets the sign-in attempt. */
async function finishSignIn(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, signedIn: SignedIn) {
  if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
  setSessionCookie(reply, ctx.config, signedIn.session.token);
  clearAttemptCookie(reply, ctx.config);
  return { me: await loadMe(ctx.db, signedIn.person) };
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post(
    '/api/auth/code',
    {
      schema: {
        tags: ['auth'],
        summary: 'Email a sign-in code and link (the same answer for every address)',
        body: signInCodeBody,
        response: { 200: signInCodeAnswer, ...errorResponses(...bodyErrors, 429) },
      },
    },
    async (request, reply) => {
      const attemptToken = issueAttemptCookie(request, reply, ctx.config);
      return codeRequestAnswer(
        await requestSignInCode(ctx, { email: request.body.email, ip: request.ip, attemptToken }),
      );
    },
  );

  app.post(
    '/api/auth/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with the emailed code (same browser)',
        body: verifyCodeBody,
        response: { 200: signedInAnswer, ...errorResponses(...bodyErrors, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await signInWithCode(
        ctx,
        {
          email: request.body.email,
          code: request.body.code,
          attemptToken: attemptTokenOf(request, ctx.config),
        },
        request.headers['user-agent'],
      );
      return finishSignIn(ctx, request, reply, signedIn);
    },
  );

  app.post(
    '/api/auth/link',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a one-time link token (the Continue page posts it)',
        body: signInLinkBody,
        response: { 200: signedInAnswer, ...errorResponses(...bodyErrors, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = await signInWithLink(
        ctx,
        {
          token: request.body.token,
          attemptToken: attemptTokenOf(request, ctx.config),
        },
        request.headers['user-agent'],
      );
      return finishSignIn(ctx, request, reply, signedIn);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends the session)',
        response: { 200: okSchema, ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
      clearSessionCookie(reply, ctx.config);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in person',
        response: { 200: meSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => loadMe(ctx.db, requireCaller(request).person),
  );

  app.get(
    '/api/session',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is asking: the signed-in person, or null for a visitor who is not signed in',
        response: { 200: sessionAnswer, ...errorResponses(403) },
      },
    },
    async (request) => ({ me: request.caller ? await loadMe(ctx.db, request.caller.person) : null }),
  );
};
