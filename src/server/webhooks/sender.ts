/**
 * The webhook sender, in every worker beside the email sender. One tick:
 *
 * 1. takes the lease of one enabled endpoint with a due delivery (FOR UPDATE SKIP LOCKED on
 *    PostgreSQL), so one sender serves an endpoint at a time and several workers share endpoints;
 * 2. sends its due deliveries in id order — batches of up to WEBHOOK_BATCH_MAX events, or one
 *    request per event when the endpoint asked — leaving out any delivery whose person has an
 *    earlier one still queued (in order per person);
 * 3. a 2xx marks the request's deliveries delivered; anything else (a refused connection, a
 *    timeout, a non-2xx answer, a redirect, a refused address) spends one attempt of each, makes
 *    them due again after an exponential backoff (5 s doubling to 1 h) and pauses the whole
 *    endpoint until then; after a day of nothing but failures the endpoint is turned off and every
 *    active admin gets an email (through the email outbox, in the same transaction).
 *
 * Requests follow Standard Webhooks: `webhook-id` (the same on every retry of the same request),
 * `webhook-timestamp` (the real time of sending, which receivers compare with their clock),
 * `webhook-signature` (`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, signed by the
 * `standardwebhooks` package with the endpoint's secret).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_BATCH_MAX } from '../../shared/webhooks.js';
import type { AppContext } from '../context.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';
import { queueEmail } from '../email/outbox.service.js';
import { backoffDelay, errorText } from '../jobs/backoff.js';
import { type PollLoop, startPollLoop } from '../jobs/poll-loop.js';
import { checkWebhookUrl, guardedLookup } from './url-guard.js';
import {
  type AttemptOutcome,
  claimEndpoint,
  disableEndpoint,
  listAdminAddresses,
  markAttemptFailed,
  markDelivered,
  nextDueDeliveries,
  pauseEndpoint,
  noteEndpointFailure,
  noteEndpointSuccess,
  releaseEndpoint,
  renewEndpointLease,
} from './webhook.repository.js';
import type { WebhookDisabledPayload } from './webhook-disabled.email.js';

export interface WebhookSenderOptions {
  readonly pollMs: number;
  /** how long an endpoint's lease lasts; renewed after each request */
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** failing this long (every request since) turns the endpoint off */
  readonly disableAfterMs: number;
  /** how many requests one tick sends to one endpoint before it lets others have a turn */
  readonly requestsPerTurn: number;
}

export const defaultWebhookSenderOptions: WebhookSenderOptions = {
  pollMs: 1_000,
  leaseMs: 60_000,
  batchSize: WEBHOOK_BATCH_MAX,
  backoffBaseMs: 5_000,
  backoffCapMs: 60 * 60_000,
  disableAfterMs: 24 * 60 * 60_000,
  requestsPerTurn: 50,
};

export interface WebhookSender extends PollLoop {
  /** one turn: claims an endpoint and sends what is due; false when nothing was due */
  tick(): Promise<boolean>;
}

/** The event as a request (or a batch) carries it. */
function eventBody(d: WebhookDeliveryRow) {
  return {
    id: d.event_id,
    type: d.event_type,
    timestamp: new Date(d.event_at).toISOString(),
    data: JSON.parse(d.data) as unknown,
  };
}

interface Answer {
  readonly status: number | null;
  readonly error: string | null;
  readonly ms: number;
}

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/** One POST, never following redirects; answers the status or why there was none. */
function post(ctx: AppContext, url: URL, headers: Record<string, string>, body: string): Promise<Answer> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        lookup: guardedLookup(ctx.config),
        timeout: ctx.config.webhookTimeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Convene-Webhooks/1',
          ...headers,
        },
      },
      (res) => {
        // The answer's body is not kept: read (up to a point) and dropped, so the socket is reused.
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) res.destroy();
        });
        const status = res.statusCode ?? 0;
        const done = () =>
          resolve({ status, error: status >= 200 && status < 300 ? null : `answered ${status}`, ms: ms() });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    // A receiver that hangs (no answer within WEBHOOK_TIMEOUT_MS) counts as a failure.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${ctx.config.webhookTimeoutMs} ms`)),
      ctx.config.webhookTimeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ctx.config.webhookTimeoutMs} ms`)));
    req.on('error', (error) => resolve({ status: null, error: errorText(error, 300), ms: ms() }));
    req.on('close', () => clearTimeout(deadline));
    req.end(body);
  });
}

/** Signs and sends one request for these deliveries (one event, or a batch). */
async function sendRequest(
  ctx: AppContext,
  endpoint: WebhookEndpointRow,
  deliveries: readonly WebhookDeliveryRow[],
): Promise<Answer> {
  const first = deliveries[0] as WebhookDeliveryRow;
  const last = deliveries[deliveries.length - 1] as WebhookDeliveryRow;
  const body = JSON.stringify(
    endpoint.per_event === 1
      ? eventBody(first)
      : { type: 'batch', timestamp: new Date(first.event_at).toISOString(), events: deliveries.map(eventBody) },
  );
  const messageId = deliveries.length === 1 ? `msg_${first.id}` : `msg_${first.id}_${last.id}_${deliveries.length}`;
  let url: URL;
  try {
    url = checkWebhookUrl(endpoint.url, ctx.config);
  } catch (error) {
    return { status: null, error: errorText(error, 300), ms: 0 };
  }
  // The timestamp is the real time of sending (receivers check it against their own clock).
  const sentAt = new Date();
  const signature = new Webhook(endpoint.secret).sign(messageId, sentAt, body);
  return post(
    ctx,
    url,
    {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  );
}

/** Records a request's outcome; on a failure also pauses the endpoint, and may turn it off. */
async function recordOutcome(
  ctx: AppContext,
  endpoint: WebhookEndpointRow,
  deliveries: readonly WebhookDeliveryRow[],
  answer: Answer,
  options: WebhookSenderOptions,
): Promise<{ ok: boolean }> {
  const now = ctx.clock.now();
  const outcome: AttemptOutcome = { at: now, status: answer.status, responseMs: answer.ms, error: answer.error };
  const ids = deliveries.map((d) => d.id);
  if (answer.error === null) {
    await ctx.db.transaction().execute(async (trx) => {
      await markDelivered(trx, ids, outcome);
      await noteEndpointSuccess(trx, endpoint.id);
    });
    return { ok: true };
  }
  await ctx.db.transaction().execute(async (trx) => {
    // Each delivery backs off by its own attempt count; a batch usually shares one.
    const byAttempt = new Map<number, number[]>();
    for (const d of deliveries) byAttempt.set(d.attempts + 1, [...(byAttempt.get(d.attempts + 1) ?? []), d.id]);
    let pauseUntil = Number.POSITIVE_INFINITY;
    for (const [attempt, group] of byAttempt) {
      const next = now + backoffDelay(attempt, options.backoffBaseMs, options.backoffCapMs, () => 1);
      pauseUntil = Math.min(pauseUntil, next);
      await markAttemptFailed(trx, group, outcome, next);
    }
    const failing = await noteEndpointFailure(trx, endpoint.id, now);
    if (failing?.failing_since !== null && failing?.failing_since !== undefined) {
      if (
        now - failing.failing_since >= options.disableAfterMs &&
        (await disableEndpoint(trx, endpoint.id, 'failing', now))
      ) {
        const payload: WebhookDisabledPayload = {
          endpointId: endpoint.id,
          url: endpoint.url,
          failingSince: failing.failing_since,
          lastError: answer.error ?? 'unknown error',
        };
        for (const admin of await listAdminAddresses(trx))
          await queueEmail(ctx, trx, {
            dedupeKey: `webhook_disabled:${endpoint.id}:${failing.failing_since}:${admin.id}`,
            to: admin.email,
            template: 'webhook_disabled',
            payload,
            category: 'transactional',
          });
        ctx.log.warn(
          { endpointId: endpoint.id, failingSince: failing.failing_since },
          'webhook endpoint turned off after a day of failures',
        );
      }
    }
    // The endpoint waits for its first retry: sending later events meanwhile would only fail too.
    await pauseEndpoint(trx, endpoint.id, Number.isFinite(pauseUntil) ? pauseUntil : now);
  });
  return { ok: false };
}

/**
 * One turn for one endpoint: claims it and sends until nothing is due, a request fails, or its
 * turn ends. True when it sent a request (the loop then goes on at once).
 */
export async function deliverOnce(
  ctx: AppContext,
  owner: string,
  options: WebhookSenderOptions = defaultWebhookSenderOptions,
  /** true once the worker is stopping: the turn ends after the request in flight */
  stopping: () => boolean = () => false,
): Promise<boolean> {
  const now = ctx.clock.now();
  const endpoint = await claimEndpoint(ctx.db, owner, now, now + options.leaseMs);
  if (!endpoint) return false;
  let released = false;
  let sent = 0;
  try {
    const limit = endpoint.per_event === 1 ? 1 : options.batchSize;
    for (let turn = 0; turn < options.requestsPerTurn && !stopping(); turn++) {
      const due = await nextDueDeliveries(ctx.db, endpoint.id, ctx.clock.now(), limit);
      if (!due.length) break;
      const answer = await sendRequest(ctx, endpoint, due);
      sent += 1;
      ctx.log.info(
        {
          endpointId: endpoint.id,
          events: due.length,
          status: answer.status,
          responseMs: answer.ms,
          ...(answer.error ? { error: answer.error } : {}),
        },
        'webhook request',
      );
      const { ok } = await recordOutcome(ctx, endpoint, due, answer, options);
      if (!ok) {
        released = true;
        break;
      }
      if (!(await renewEndpointLease(ctx.db, endpoint.id, owner, ctx.clock.now() + options.leaseMs))) {
        released = true;
        break;
      }
    }
  } finally {
    if (!released) await releaseEndpoint(ctx.db, endpoint.id, owner, ctx.clock.now());
  }
  return sent > 0;
}

/** Starts the sender's loop (the worker does); stop() finishes the request in flight. */
export function startWebhookSender(ctx: AppContext, partial: Partial<WebhookSenderOptions> = {}): WebhookSender {
  const options = { ...defaultWebhookSenderOptions, ...partial };
  const owner = `webhooks-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  let stopping = false;
  const tick = () => (stopping ? Promise.resolve(false) : deliverOnce(ctx, owner, options, () => stopping));
  const loop = startPollLoop('webhook sender', tick, { intervalMs: options.pollMs, log: ctx.log });
  return {
    tick,
    wake: loop.wake,
    stop: async () => {
      stopping = true;
      await loop.stop();
    },
  };
}
