/**
 * The SAML routes of single sign-on: the ACS the IdP posts to (a cross-site form post, so it is
 * let through the CSRF check and reads urlencoded bodies), the same-site `complete` step that
 * checks the browser's cookie and signs in, and the SP metadata for the IdP's admin.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, idParams } from '../../shared/api.js';
import { findIdentityProvider } from './sso.repository.js';
import { samlSettingsOf } from './saml-adapter.js';
import { acceptSamlResponse, completedSamlLogin } from './saml-acs.service.js';
import { samlSpMetadata } from './saml/index.js';
import { errorRedirect, finishSso } from './sso.service.js';
import { browserTokenOf, callerId, codeOf, seeOther, sendFinished } from './sso.routes.js';
import { notFound } from '../errors.js';

/** A SAML response with its signatures is a few kilobytes; a megabyte is more than any IdP sends. */
const ACS_BODY_LIMIT = 1024 * 1024;

export const samlRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: ACS_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.post(
    '/api/sso/:id/acs',
    {
      // The IdP's page posts here from its own origin: the response's signature, its
      // InResponseTo and the browser cookie checked at `complete` stand in for the CSRF check.
      config: { csrf: false },
      bodyLimit: ACS_BODY_LIMIT,
      schema: {
        tags: ['sso'],
        summary: 'The SAML assertion consumer service (HTTP-POST binding): checks the response, then on to complete',
        params: idParams,
        body: z.object({
          SAMLResponse: z.string().min(1).max(ACS_BODY_LIMIT),
          RelayState: z.string().max(200).optional(),
        }),
        response: { ...seeOther, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const to = await acceptSamlResponse(ctx, request.params.id, {
        samlResponse: request.body.SAMLResponse,
        relayState: request.body.RelayState,
      });
      return reply.redirect(to, 303);
    },
  );

  app.get(
    '/api/sso/:id/complete',
    {
      schema: {
        tags: ['sso'],
        summary: 'After the SAML ACS: checks this browser started the sign-in, then signs in and goes on',
        params: idParams,
        querystring: z.object({ login: z.string().max(200).optional() }),
        response: { 302: z.unknown().meta({ description: 'To a page of this site' }), ...errorResponses() },
      },
    },
    async (request, reply) => {
      let completed;
      try {
        completed = await completedSamlLogin(
          ctx,
          request.params.id,
          request.query.login,
          browserTokenOf(request, ctx.config),
        );
      } catch (error) {
        return reply.redirect(errorRedirect(undefined, codeOf(error)), 302);
      }
      const finished = await finishSso(
        ctx,
        completed.login,
        completed.answer,
        callerId(request),
        request.headers['user-agent'],
      );
      return sendFinished(ctx, request, reply, finished, 302);
    },
  );

  app.get(
    '/api/sso/:id/metadata',
    {
      schema: {
        tags: ['sso'],
        summary: 'The SAML SP metadata of this site for one identity provider (its entity ID is this URL)',
        params: idParams,
        response: { 200: z.string().meta({ description: 'SAML 2.0 metadata (XML)' }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const provider = await findIdentityProvider(ctx.db, request.params.id);
      if (!provider || provider.kind !== 'saml') throw notFound('Identity provider');
      return reply
        .type('application/samlmetadata+xml; charset=utf-8')
        .send(samlSpMetadata(samlSettingsOf(ctx, provider)));
    },
  );
};
