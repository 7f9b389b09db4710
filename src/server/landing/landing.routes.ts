/** Landing page routes: the public page and its flow, and the settings, QR codes and numbers for leaders. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import multipart from '@fastify/multipart';
import {
  bodyErrors,
  csvResponse,
  errorResponses,
  idParams,
  imageResponse,
  okSchema,
  signedInErrors,
  uploadedImageResponse,
} from '../../shared/api.js';
import { signInCodeAnswer } from '../../shared/auth.js';
import {
  landingEmailInput,
  landingLinkInput,
  landingSlugParams,
  landingPageSchema as pageAnswer,
  landingResultSchema as resultAnswer,
  landingVisitAnswerSchema as visitAnswer,
  type LandingProfileNeeded,
  landingSettingsInput,
  landingSettingsSchema as settingsAnswer,
  landingStatsSchema as statsAnswer,
  landingVerifyInput,
  landingImageSchema as imageAnswer,
  landingLimits,
} from '../../shared/landing.js';
import { requireCaller } from '../http/caller.js';
import { csvLine } from '../http/csv.js';
import { attemptTokenOf, clearAttemptCookie, issueAttemptCookie, setSessionCookie } from '../auth/cookies.js';
import { endSession } from '../auth/session.service.js';
import { codeRequestAnswer } from '../auth/sign-in-code.service.js';
import {
  followLandingLink,
  joinLandingSignedIn,
  type LandingVisit,
  requestLandingCode,
  verifyLandingCode,
} from './landing-flow.service.js';
import { findMovedLandingSlug, viewLandingPage } from './landing-page.service.js';
import {
  getLandingSettings,
  getLandingStats,
  renderLandingQr,
  updateLandingSettings,
} from './landing-settings.service.js';
import { flushLandingCounts } from './landing-counters.js';
import { readPublicLandingImage, removeLandingImage, setLandingImage } from './landing-image.service.js';
import { readImageUpload } from './image-upload.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

const manageErrors = errorResponses(...signedInErrors, 404);

/** Signs the browser in when the visit did (replacing any earlier session) and forgets the attempt. */
async function finishVisit(request: FastifyRequest, reply: FastifyReply, visit: LandingVisit | LandingProfileNeeded) {
  // The names are still needed: the attempt (and its code or link) stays for the next try.
  if ('next' in visit) return visit;
  const { ctx } = request.server;
  if (visit.signedIn) {
    if (request.caller?.sessionId) await endSession(ctx, request.caller.sessionId);
    setSessionCookie(reply, ctx.config, visit.signedIn.session.token);
  }
  clearAttemptCookie(reply, ctx.config);
  return visit.result;
}

export const landingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('onClose', async () => {
    await flushLandingCounts(ctx);
  });

  // The page itself is the web app's; an old slug (a printed QR code) moves to the current one.
  app.get('/join/:slug', { schema: { hide: true, params: landingSlugParams } }, async (request, reply) => {
    const moved = await findMovedLandingSlug(ctx, request.params.slug);
    if (moved) return reply.redirect(`/join/${moved}`, 301);
    return reply.callNotFound();
  });

  app.get(
    '/api/landing/:slug',
    {
      schema: {
        tags: ['landing'],
        summary: 'A community landing page (the same for every visitor; an old slug answers with the current one)',
        params: landingSlugParams,
        response: { 200: pageAnswer, ...errorResponses(404) },
      },
    },
    async (request) => viewLandingPage(ctx, request.params.slug),
  );

  app.post(
    '/api/landing/:slug/code',
    {
      schema: {
        tags: ['landing'],
        summary: 'Email a 6-digit code and a sign-in link (the same answer for every address)',
        params: landingSlugParams,
        body: landingEmailInput,
        response: { 200: signInCodeAnswer, ...errorResponses(...bodyErrors, 404, 429) },
      },
    },
    async (request, reply) => {
      const attemptToken = issueAttemptCookie(request, reply, ctx.config);
      return codeRequestAnswer(
        await requestLandingCode(ctx, request.params.slug, {
          email: request.body.email,
          ip: request.ip,
          attemptToken,
        }),
      );
    },
  );

  app.post(
    '/api/landing/:slug/verify',
    {
      schema: {
        tags: ['landing'],
        summary:
          "Verify the code; sign in and join (answers next: 'profile' when the names are needed: send them with the same code)",
        params: landingSlugParams,
        body: landingVerifyInput,
        response: { 200: visitAnswer, ...errorResponses(...bodyErrors, 404, 429) },
      },
    },
    async (request, reply) => {
      const visit = await verifyLandingCode(
        ctx,
        request.params.slug,
        { ...request.body, attemptToken: attemptTokenOf(request, ctx.config) },
        request.headers['user-agent'],
      );
      return finishVisit(request, reply, visit);
    },
  );

  app.post(
    '/api/landing/:slug/link',
    {
      schema: {
        tags: ['landing'],
        summary: "Follow the emailed link: the page's Continue button posts its token (GET never signs in)",
        params: landingSlugParams,
        body: landingLinkInput,
        response: { 200: visitAnswer, ...errorResponses(...bodyErrors, 404, 429) },
      },
    },
    async (request, reply) => {
      const visit = await followLandingLink(
        ctx,
        request.params.slug,
        { ...request.body, attemptToken: attemptTokenOf(request, ctx.config) },
        request.headers['user-agent'],
      );
      return finishVisit(request, reply, visit);
    },
  );

  app.post(
    '/api/landing/:slug/join',
    {
      schema: {
        tags: ['landing'],
        summary: 'Join from the page while signed in (no new code needed)',
        params: landingSlugParams,
        response: { 200: resultAnswer, ...errorResponses(...signedInErrors, 404) },
      },
    },
    async (request) => joinLandingSignedIn(ctx, request.params.slug, requireCaller(request).person),
  );

  app.get(
    '/api/communities/:id/landing',
    {
      schema: {
        tags: ['landing'],
        summary: "Landing page settings (admins and the community's leaders)",
        params: idParams,
        response: { 200: settingsAnswer, ...manageErrors },
      },
    },
    async (request) => getLandingSettings(ctx, requireCaller(request), request.params.id),
  );

  app.patch(
    '/api/communities/:id/landing',
    {
      schema: {
        tags: ['landing'],
        summary: "Change the landing page settings (admins and the community's leaders)",
        params: idParams,
        body: landingSettingsInput,
        response: { 200: settingsAnswer, ...errorResponses(...signedInErrors, ...bodyErrors, 404, 409) },
      },
    },
    async (request) => updateLandingSettings(ctx, requireCaller(request), request.params.id, request.body),
  );

  app.get(
    '/api/communities/:id/landing/stats',
    {
      schema: {
        tags: ['landing'],
        summary: 'Landing page numbers: visits, codes sent, verified, joined, new people',
        params: idParams,
        response: { 200: statsAnswer, ...manageErrors },
      },
    },
    async (request) => getLandingStats(ctx, requireCaller(request), request.params.id),
  );

  // The logo or cover image: one file and its description; one byte over the limit tells
  // "too large" from "just fits".
  await app.register(multipart, {
    limits: { fileSize: landingLimits.imageMaxBytes + 1, files: 1, fields: 2, fieldSize: 1_000, parts: 3 },
  });

  app.put(
    '/api/communities/:id/landing/image',
    {
      schema: {
        tags: ['landing'],
        summary:
          'Upload the landing page’s logo or cover image: multipart fields file (PNG, JPEG or WebP, at most 2 MB) and alt (its description; blank: the community’s name)',
        consumes: ['multipart/form-data'],
        params: idParams,
        response: { 200: imageAnswer, ...errorResponses(...signedInErrors, ...bodyErrors, 404, 413, 415) },
      },
    },
    async (request) => setLandingImage(ctx, requireCaller(request), request.params.id, () => readImageUpload(request)),
  );

  app.delete(
    '/api/communities/:id/landing/image',
    {
      schema: {
        tags: ['landing'],
        summary: 'Remove the landing page’s image',
        params: idParams,
        response: { 200: okSchema, ...manageErrors },
      },
    },
    async (request) => {
      await removeLandingImage(ctx, requireCaller(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/landing/:slug/image',
    {
      schema: {
        tags: ['landing'],
        summary:
          'The landing page’s image (while the page is on). Under its versioned address (?v= from the page) it is cached for a year',
        params: landingSlugParams,
        querystring: z.object({ v: z.string().max(20).optional() }),
        response: {
          200: uploadedImageResponse('The image'),
          304: z.null().describe('Not modified: the copy the browser holds (If-None-Match) is current'),
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const image = await readPublicLandingImage(ctx, request.params.slug);
      const etag = `"${image.version}"`;
      reply
        .header('x-content-type-options', 'nosniff')
        .header('etag', etag)
        // The versioned address never changes its bytes; any other asks again each time.
        .header(
          'cache-control',
          request.query.v === image.version ? 'public, max-age=31536000, immutable' : 'public, no-cache',
        );
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      return reply.type(image.content_type).header('content-length', image.bytes.length).send(image.bytes);
    },
  );

  app.get(
    '/api/communities/:id/landing/stats.csv',
    {
      schema: {
        tags: ['landing'],
        summary: 'Landing page numbers as CSV: the totals, then one line per day (last 30 days, UTC)',
        params: idParams,
        response: { 200: csvResponse('Day, Visits, Codes sent, Verified, Joined, New people'), ...manageErrors },
      },
    },
    async (request, reply) => {
      const stats = await getLandingStats(ctx, requireCaller(request), request.params.id);
      const columns = ['visits', 'codesSent', 'verified', 'joined', 'peopleCreated'] as const;
      const body = [
        csvLine(['Day', 'Visits', 'Codes sent', 'Verified', 'Joined', 'New people']),
        csvLine(['Total', ...columns.map((c) => stats.totals[c])]),
        ...stats.days.map((d) => csvLine([d.day, ...columns.map((c) => d[c])])),
      ].join('');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="landing-${request.params.id}-numbers.csv"`)
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );

  for (const format of ['png', 'svg'] as const) {
    app.get(
      `/api/communities/:id/landing/qr.${format}`,
      {
        schema: {
          tags: ['landing'],
          summary: `The landing page link as a QR code (${format.toUpperCase()})`,
          params: idParams,
          response: {
            200: imageResponse('The QR code', format === 'png' ? 'image/png' : 'image/svg+xml'),
            ...manageErrors,
          },
        },
      },
      async (request, reply) => {
        const qr = await renderLandingQr(ctx, requireCaller(request), request.params.id, format);
        return reply
          .type(format === 'png' ? 'image/png' : 'image/svg+xml')
          .header('content-disposition', `attachment; filename="join-${qr.slug}.${format}"`)
          .header('cache-control', 'private, no-store')
          .send(qr.body);
      },
    );
  }
};
