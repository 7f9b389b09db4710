/** Admin → Webhooks: the endpoints (site settings), their delivery log and replay. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bodyErrors, errorResponses, idParams, okSchema, signedInErrors } from '../../shared/api.js';
import {
  webhookCreateSchema,
  webhookDeliveryPageSchema,
  webhookDeliveryParams,
  webhookDeliveryQuerySchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
  webhookListSchema,
  webhookPatchSchema,
  webhookWithSecretSchema,
} from '../../shared/webhooks.js';
import { requireAdmin } from '../http/caller.js';
import {
  createWebhook,
  listWebhookDeliveries,
  listWebhooks,
  removeWebhook,
  replayWebhookDelivery,
  rotateWebhookSecret,
  updateWebhook,
} from './webhook.service.js';

export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const errors = errorResponses(...signedInErrors);
  const withBody = errorResponses(...signedInErrors, ...bodyErrors);
  const with404 = errorResponses(...signedInErrors, 404);

  app.get(
    '/api/admin/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook endpoints (admins)',
        response: { 200: webhookListSchema, ...errors },
      },
    },
    async (request) => {
      requireAdmin(request);
      return { endpoints: await listWebhooks(ctx) };
    },
  );
  app.post(
    '/api/admin/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint (admins); answers its secret, this once',
        body: webhookCreateSchema,
        response: { 201: webhookWithSecretSchema, ...withBody },
      },
    },
    async (request, reply) => {
      const created = await createWebhook(ctx, requireAdmin(request), request.body);
      return reply.code(201).send(created);
    },
  );
  app.patch(
    '/api/admin/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook endpoint, or turn it on or off (admins)',
        params: idParams,
        body: webhookPatchSchema,
        response: { 200: webhookEndpointSchema, ...withBody, ...with404 },
      },
    },
    async (request) => updateWebhook(ctx, requireAdmin(request), request.params.id, request.body),
  );
  app.delete(
    '/api/admin/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Delete a webhook endpoint and its delivery log (admins)',
        params: idParams,
        response: { 200: okSchema, ...with404 },
      },
    },
    async (request) => {
      await removeWebhook(ctx, requireAdmin(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/admin/webhooks/:id/rotate-secret',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Give a webhook endpoint a new secret (admins); answers it, this once',
        params: idParams,
        response: { 200: webhookWithSecretSchema, ...with404 },
      },
    },
    async (request) => rotateWebhookSecret(ctx, requireAdmin(request), request.params.id),
  );
  app.get(
    '/api/admin/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'A webhook endpoint’s delivery log, newest first (admins)',
        params: idParams,
        querystring: webhookDeliveryQuerySchema,
        response: { 200: webhookDeliveryPageSchema, ...with404 },
      },
    },
    async (request) => {
      requireAdmin(request);
      return listWebhookDeliveries(ctx, request.params.id, request.query);
    },
  );
  app.post(
    '/api/admin/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery’s event again (admins)',
        params: webhookDeliveryParams,
        response: { 201: webhookDeliverySchema, ...with404 },
      },
    },
    async (request, reply) => {
      const replay = await replayWebhookDelivery(
        ctx,
        requireAdmin(request),
        request.params.id,
        request.params.deliveryId,
      );
      return reply.code(201).send(replay);
    },
  );
};
