/** Webhooks out: the event types, an endpoint as the admin API answers it, its delivery log. */
import { z } from 'zod';

/** Every event a webhook endpoint may ask for (`feed.run_finished` is sent once feeds exist). */
export const webhookEventTypes = [
  'person.created',
  'person.activated',
  'person.deactivated',
  'person.updated',
  'membership.invited',
  'membership.joined',
  'membership.declined',
  'membership.expired',
  'data_job.finished',
  'feed.run_finished',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The most events one batched request carries. */
export const WEBHOOK_BATCH_MAX = 100;
export const WEBHOOK_URL_MAX = 2000;

export const webhookDeliveryStates = ['queued', 'delivered'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

const eventsSchema = z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length);

/** `POST /api/admin/webhooks` */
export const webhookCreateSchema = z.object({
  url: z.string().trim().min(1).max(WEBHOOK_URL_MAX),
  events: eventsSchema,
  /** one request per event instead of batches of up to WEBHOOK_BATCH_MAX */
  perEvent: z.boolean().default(false),
  description: z.string().trim().max(200).default(''),
});
export type WebhookCreate = z.input<typeof webhookCreateSchema>;

/** `PATCH /api/admin/webhooks/:id`: any of these; `enabled: true` re-enables an endpoint that was turned off. */
export const webhookPatchSchema = z
  .object({
    url: z.string().trim().min(1).max(WEBHOOK_URL_MAX),
    events: eventsSchema,
    perEvent: z.boolean(),
    description: z.string().trim().max(200),
    enabled: z.boolean(),
  })
  .partial();
export type WebhookPatch = z.infer<typeof webhookPatchSchema>;

export const webhookEndpointSchema = z.object({
  id: z.number(),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  perEvent: z.boolean(),
  enabled: z.boolean(),
  /** why it was turned off (`failing`: a day of failed deliveries), null while enabled or turned off by an admin */
  disabledReason: z.string().nullable(),
  /** since when every delivery has failed; null when the last one succeeded */
  failingSince: z.number().nullable(),
  /** deliveries waiting to be sent */
  queued: z.number(),
  createdAt: z.number(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookListSchema = z.object({ endpoints: z.array(webhookEndpointSchema) });

/** The answer of create and rotate: the secret, shown this once. */
export const webhookWithSecretSchema = z.object({ endpoint: webhookEndpointSchema, secret: z.string() });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookDeliverySchema = z.object({
  id: z.number(),
  eventId: z.string(),
  type: z.enum(webhookEventTypes),
  state: z.enum(webhookDeliveryStates),
  attempts: z.number(),
  /** the last attempt's HTTP status; null before any attempt, or when no answer came */
  lastStatus: z.number().nullable(),
  lastResponseMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.number().nullable(),
  nextAttemptAt: z.number().nullable(),
  deliveredAt: z.number().nullable(),
  /** the delivery this one replays */
  replayOf: z.number().nullable(),
  createdAt: z.number(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryQuerySchema = z.object({
  state: z.enum(webhookDeliveryStates).optional(),
  /** the last id of the previous page (deliveries come newest first) */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const webhookDeliveryPageSchema = z.object({
  deliveries: z.array(webhookDeliverySchema),
  nextBefore: z.number().nullable(),
});
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;

export const webhookDeliveryParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  deliveryId: z.coerce.number().int().positive().max(2_147_483_647),
});
