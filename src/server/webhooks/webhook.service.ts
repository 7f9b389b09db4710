/**
 * Webhook endpoints as site settings (admins): create (the secret is answered once), change,
 * turn on or off, rotate the secret, delete; the delivery log and its manual replay. Every change
 * is audited in its transaction; secrets never reach the audit log.
 */
import crypto from 'node:crypto';
import type {
  WebhookCreate,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEventType,
  WebhookPatch,
  WebhookWithSecret,
} from '../../shared/webhooks.js';
import { webhookCreateSchema } from '../../shared/webhooks.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { AppContext } from '../context.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Caller } from '../http/caller.js';
import { checkWebhookUrl } from './url-guard.js';
import {
  countQueuedByEndpoint,
  deleteEndpoint,
  findDelivery,
  findEndpoint,
  insertEndpoint,
  insertReplay,
  listDeliveries,
  listEndpoints,
  updateEndpoint,
} from './webhook.repository.js';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

function toEndpoint(row: WebhookEndpointRow, queued: number): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as WebhookEventType[],
    perEvent: row.per_event === 1,
    enabled: row.enabled === 1,
    disabledReason: row.enabled === 1 ? null : row.disabled_reason,
    failingSince: row.failing_since,
    queued,
    createdAt: row.created_at,
  };
}

function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    eventId: row.event_id,
    type: row.event_type as WebhookEventType,
    state: row.state,
    attempts: row.attempts,
    lastStatus: row.last_status,
    lastResponseMs: row.last_response_ms,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.state === 'queued' ? row.next_attempt_at : null,
    deliveredAt: row.delivered_at,
    replayOf: row.replay_of,
    createdAt: row.created_at,
  };
}

async function endpointOrThrow(ctx: AppContext, id: number): Promise<WebhookEndpointRow> {
  const row = await findEndpoint(ctx.db, id);
  if (!row) throw new AppError('webhook_not_found');
  return row;
}

export async function listWebhooks(ctx: AppContext): Promise<WebhookEndpoint[]> {
  const [rows, queued] = await Promise.all([listEndpoints(ctx.db), countQueuedByEndpoint(ctx.db)]);
  return rows.map((r) => toEndpoint(r, queued.get(r.id) ?? 0));
}

export async function getWebhook(ctx: AppContext, id: number): Promise<WebhookEndpoint> {
  const row = await endpointOrThrow(ctx, id);
  return toEndpoint(row, (await countQueuedByEndpoint(ctx.db)).get(id) ?? 0);
}

export async function createWebhook(ctx: AppContext, caller: Caller, input: WebhookCreate): Promise<WebhookWithSecret> {
  const body = webhookCreateSchema.parse(input);
  const url = checkWebhookUrl(body.url, ctx.config).href;
  const secret = newWebhookSecret();
  const now = ctx.clock.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await insertEndpoint(
      trx,
      { url, description: body.description, secret, events: [...new Set(body.events)], perEvent: body.perEvent },
      now,
    );
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'webhook.create',
        targetType: 'webhook_endpoint',
        targetId: created.id,
        details: { url, events: body.events, perEvent: body.perEvent },
      },
      now,
    );
    return created;
  });
  return { endpoint: toEndpoint(row, 0), secret };
}

export async function updateWebhook(
  ctx: AppContext,
  caller: Caller,
  id: number,
  patch: WebhookPatch,
): Promise<WebhookEndpoint> {
  const url = patch.url === undefined ? undefined : checkWebhookUrl(patch.url, ctx.config).href;
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const found = await findEndpoint(trx, id);
    if (!found) throw new AppError('webhook_not_found');
    await updateEndpoint(
      trx,
      id,
      {
        ...(url !== undefined ? { url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.events ? { events: JSON.stringify([...new Set(patch.events)]) } : {}),
        ...(patch.perEvent !== undefined ? { per_event: patch.perEvent ? 1 : 0 } : {}),
        ...(patch.enabled === true ? { enabled: 1, disabled_reason: null, failing_since: null } : {}),
        ...(patch.enabled === false ? { enabled: 0, disabled_reason: 'admin' } : {}),
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'webhook.update',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: { ...patch, ...(url !== undefined ? { url } : {}) },
      },
      now,
    );
  });
  return getWebhook(ctx, id);
}

export async function rotateWebhookSecret(ctx: AppContext, caller: Caller, id: number): Promise<WebhookWithSecret> {
  const secret = newWebhookSecret();
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await updateEndpoint(trx, id, { secret }, now))) throw new AppError('webhook_not_found');
    await recordAudit(
      trx,
      { actorId: caller.person.id, action: 'webhook.rotate_secret', targetType: 'webhook_endpoint', targetId: id },
      now,
    );
  });
  return { endpoint: await getWebhook(ctx, id), secret };
}

export async function removeWebhook(ctx: AppContext, caller: Caller, id: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const found = await findEndpoint(trx, id);
    if (!found) throw new AppError('webhook_not_found');
    await deleteEndpoint(trx, id);
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'webhook.delete',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: { url: found.url },
      },
      now,
    );
  });
}

export async function listWebhookDeliveries(
  ctx: AppContext,
  id: number,
  query: { state?: 'queued' | 'delivered'; before?: number; limit: number },
): Promise<WebhookDeliveryPage> {
  await endpointOrThrow(ctx, id);
  const rows = await listDeliveries(ctx.db, id, { ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return {
    deliveries: page.map(toDelivery),
    nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** Queues the delivery's event again for its endpoint (a new delivery row, due now). */
export async function replayWebhookDelivery(
  ctx: AppContext,
  caller: Caller,
  id: number,
  deliveryId: number,
): Promise<WebhookDelivery> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const delivery = await findDelivery(trx, id, deliveryId);
    if (!delivery) throw new AppError('webhook_delivery_not_found');
    const replay = await insertReplay(trx, delivery, now);
    await recordAudit(
      trx,
      {
        actorId: caller.person.id,
        action: 'webhook.replay',
        targetType: 'webhook_endpoint',
        targetId: id,
        details: { deliveryId, eventId: delivery.event_id, replay: replay.id },
      },
      now,
    );
    return toDelivery(replay);
  });
}
