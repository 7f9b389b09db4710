/**
 * Notification routes: a person's own settings (`GET`/`PATCH /api/me/notifications`), and a
 * kind's unsubscribe link — the web page is GET /notifications/unsubscribe/:token (the SPA); mail
 * clients' one-click POST goes to the same URL (RFC 8058), and the page posts to the API.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bodyErrors, errorResponses, signedInErrors } from '../../shared/api.js';
import {
  myNotificationsSchema,
  notificationSettingsPatchSchema,
  notificationUnsubscribeParams,
  notificationUnsubscribeStatusSchema,
} from '../../shared/notifications.js';
import { acceptOneClickForms } from '../email/one-click.js';
import { requireCaller } from '../http/caller.js';
import {
  getMyNotifications,
  getNotificationUnsubscribeStatus,
  unsubscribeFromNotifications,
  updateMyNotifications,
} from './notification-settings.service.js';

const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['notifications'];
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary: 'My notification settings, and the kinds that concern me',
        response: { 200: myNotificationsSchema, ...errorResponses(...signedInErrors) },
      },
    },
    async (request) => getMyNotifications(ctx, requireCaller(request)),
  );

  app.patch(
    '/api/me/notifications',
    {
      schema: {
        tags,
        summary: 'Set how I get some kinds of notification (at once, in a daily digest, or off)',
        body: notificationSettingsPatchSchema,
        response: { 200: myNotificationsSchema, ...errorResponses(...signedInErrors, ...bodyErrors) },
      },
    },
    async (request) => updateMyNotifications(ctx, requireCaller(request), request.body),
  );
};

const unsubscribeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['notifications'];
  acceptOneClickForms(app);
  const post = {
    config: { csrf: false },
    schema: {
      tags,
      params: notificationUnsubscribeParams,
      body: z.unknown().optional(),
      response: { 200: notificationUnsubscribeStatusSchema, ...errorResponses(404, 413, 415) },
    },
  };

  app.get(
    '/api/notifications/unsubscribe/:token',
    {
      schema: {
        tags,
        params: notificationUnsubscribeParams,
        response: { 200: notificationUnsubscribeStatusSchema, ...errorResponses(404) },
        summary: 'Which notifications this link is for, and whether they are off',
      },
    },
    async (request) => getNotificationUnsubscribeStatus(ctx, request.params.token),
  );

  app.post(
    '/api/notifications/unsubscribe/:token',
    { ...post, schema: { ...post.schema, summary: 'Turn off the notifications this link is for' } },
    async (request) => unsubscribeFromNotifications(ctx, request.params.token),
  );

  app.post('/notifications/unsubscribe/:token', { ...post, schema: { ...post.schema, hide: true } }, async (request) =>
    unsubscribeFromNotifications(ctx, request.params.token),
  );
};

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(settingsRoutes);
  await app.register(unsubscribeRoutes);
};
