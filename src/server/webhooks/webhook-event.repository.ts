/**
 * The one way other features emit webhook events: `queueWebhookEvents(db, now, events)` in the
 * transaction of the change that made them (the outbox: the event is queued with the change, or
 * not at all). Each event becomes one delivery row per enabled endpoint that wants its type,
 * written set-based — one statement per 5,000 rows, the rows travelling as ONE JSON parameter the
 * database unpacks (INSERT … SELECT FROM json_each / json_array_elements) — so a Data Tools batch
 * of thousands of rows costs one query to find the endpoints and a statement or two, and nothing
 * at all when no endpoint wants the type.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { WebhookEventType } from '../../shared/webhooks.js';
import { type DbOrTrx, isPostgres } from '../db/db.js';

export interface WebhookEventInput {
  readonly type: WebhookEventType;
  /** the person it is about: a person's later events wait for their earlier ones */
  readonly personId: number | null;
  readonly data: Readonly<Record<string, unknown>>;
}

const rowsPerStatement = 5_000;

/** A new event id: `evt_` and 24 random hex characters. */
export function newEventId(): string {
  return `evt_${crypto.randomBytes(12).toString('hex')}`;
}

/** The enabled endpoints and the event types each wants. */
async function enabledEndpoints(db: DbOrTrx): Promise<{ id: number; events: Set<string> }[]> {
  const rows = await db.selectFrom('webhook_endpoint').select(['id', 'events']).where('enabled', '=', 1).execute();
  return rows.map((r) => ({ id: r.id, events: new Set(JSON.parse(r.events) as string[]) }));
}

/** Whether an enabled endpoint wants events of this type (a bulk writer then gathers them). */
export async function wantsWebhookEvents(db: DbOrTrx, type: WebhookEventType): Promise<boolean> {
  return (await enabledEndpoints(db)).some((ep) => ep.events.has(type));
}

/**
 * Queues events for every enabled endpoint that wants them; returns the delivery rows written.
 * Call it with the transaction of the change.
 */
export async function queueWebhookEvents(
  db: DbOrTrx,
  now: number,
  events: readonly WebhookEventInput[],
): Promise<number> {
  if (!events.length) return 0;
  const endpoints = await enabledEndpoints(db);
  if (!endpoints.length) return 0;
  let rows: [number, string, string, number | null, string][] = [];
  let written = 0;
  const flush = async () => {
    if (!rows.length) return;
    await insertDeliveries(db, JSON.stringify(rows), now);
    written += rows.length;
    rows = [];
  };
  for (const e of events) {
    const wanting = endpoints.filter((ep) => ep.events.has(e.type));
    if (!wanting.length) continue;
    const id = newEventId();
    const data = JSON.stringify(e.data);
    for (const ep of wanting) {
      rows.push([ep.id, id, e.type, e.personId, data]);
      if (rows.length >= rowsPerStatement) await flush();
    }
  }
  await flush();
  return written;
}

/** One event; see queueWebhookEvents. */
export function queueWebhookEvent(db: DbOrTrx, now: number, event: WebhookEventInput): Promise<number> {
  return queueWebhookEvents(db, now, [event]);
}

async function insertDeliveries(db: DbOrTrx, json: string, now: number): Promise<void> {
  const columns = sql.raw(
    'endpoint_id, event_id, event_type, person_id, data, event_at, state, attempts, next_attempt_at, created_at',
  );
  if (isPostgres(db)) {
    await sql`INSERT INTO webhook_delivery (${columns})
      SELECT (e->>0)::integer, e->>1, e->>2, (e->>3)::integer, e->>4, ${now}::bigint, 'queued', 0,
        ${now}::bigint, ${now}::bigint
      FROM json_array_elements(${json}::json) e`.execute(db);
    return;
  }
  await sql`INSERT INTO webhook_delivery (${columns})
    SELECT value->>0, value->>1, value->>2, value->>3, value->>4, ${now}, 'queued', 0, ${now}, ${now}
    FROM json_each(${json})`.execute(db);
}
