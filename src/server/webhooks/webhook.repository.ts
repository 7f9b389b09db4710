/** The webhook endpoints and their deliveries: the admin API's reads and writes, and the sender's. */
import { sql } from 'kysely';
import { type DbOrTrx, isPostgres } from '../db/db.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema.js';

export interface NewEndpoint {
  readonly url: string;
  readonly description: string;
  readonly secret: string;
  readonly events: readonly string[];
  readonly perEvent: boolean;
}

export async function insertEndpoint(db: DbOrTrx, e: NewEndpoint, now: number): Promise<WebhookEndpointRow> {
  return db
    .insertInto('webhook_endpoint')
    .values({
      url: e.url,
      description: e.description,
      secret: e.secret,
      events: JSON.stringify(e.events),
      per_event: e.perEvent ? 1 : 0,
      enabled: 1,
      disabled_reason: null,
      failing_since: null,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findEndpoint(db: DbOrTrx, id: number): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoint').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEndpoints(db: DbOrTrx): Promise<WebhookEndpointRow[]> {
  return db.selectFrom('webhook_endpoint').selectAll().orderBy('id').execute();
}

/** Queued deliveries per endpoint. */
export async function countQueuedByEndpoint(db: DbOrTrx): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['endpoint_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', '=', 'queued')
    .groupBy('endpoint_id')
    .execute();
  return new Map(rows.map((r) => [r.endpoint_id, Number(r.n)]));
}

export type EndpointUpdate = Partial<
  Pick<
    WebhookEndpointRow,
    'url' | 'description' | 'secret' | 'events' | 'per_event' | 'enabled' | 'disabled_reason' | 'failing_since'
  >
>;

export async function updateEndpoint(db: DbOrTrx, id: number, set: EndpointUpdate, now: number): Promise<boolean> {
  const res = await db
    .updateTable('webhook_endpoint')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function deleteEndpoint(db: DbOrTrx, id: number): Promise<boolean> {
  await db.deleteFrom('webhook_delivery').where('endpoint_id', '=', id).execute();
  const res = await db.deleteFrom('webhook_endpoint').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** An endpoint's deliveries, newest first, a page at a time (keyset on id). */
export async function listDeliveries(
  db: DbOrTrx,
  endpointId: number,
  opts: { state?: 'queued' | 'delivered'; before?: number; limit: number },
): Promise<WebhookDeliveryRow[]> {
  let q = db.selectFrom('webhook_delivery').selectAll().where('endpoint_id', '=', endpointId);
  if (opts.state) q = q.where('state', '=', opts.state);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit).execute();
}

export async function findDelivery(
  db: DbOrTrx,
  endpointId: number,
  id: number,
): Promise<WebhookDeliveryRow | undefined> {
  return db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A copy of a delivery, queued now (same event id, so a receiver that dedupes may skip it). */
export async function insertReplay(db: DbOrTrx, d: WebhookDeliveryRow, now: number): Promise<WebhookDeliveryRow> {
  return db
    .insertInto('webhook_delivery')
    .values({
      endpoint_id: d.endpoint_id,
      event_id: d.event_id,
      event_type: d.event_type,
      person_id: d.person_id,
      data: d.data,
      event_at: d.event_at,
      state: 'queued',
      attempts: 0,
      next_attempt_at: now,
      last_status: null,
      last_response_ms: null,
      last_error: null,
      last_attempt_at: null,
      delivered_at: null,
      replay_of: d.id,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- the sender ----

/**
 * Takes the lease of one enabled endpoint with a due delivery that no other sender holds, the one
 * served longest ago first. PostgreSQL locks the candidate with FOR UPDATE SKIP LOCKED, so two
 * senders never wait on, or take, the same endpoint; on SQLite the one statement runs under the
 * database write lock.
 */
export async function claimEndpoint(
  db: DbOrTrx,
  owner: string,
  now: number,
  leaseUntil: number,
): Promise<WebhookEndpointRow | undefined> {
  const pg = isPostgres(db);
  return db
    .updateTable('webhook_endpoint')
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', '=', (eb) =>
      eb
        .selectFrom('webhook_endpoint as ep')
        .select('ep.id')
        .where('ep.enabled', '=', 1)
        .where((w) => w.or([w('ep.lease_until', 'is', null), w('ep.lease_until', '<=', now)]))
        .where((w) =>
          w.exists(
            w
              .selectFrom('webhook_delivery as d')
              .select(sql.lit(1).as('one'))
              .whereRef('d.endpoint_id', '=', 'ep.id')
              .where('d.state', '=', 'queued')
              .where('d.next_attempt_at', '<=', now),
          ),
        )
        .orderBy(sql`coalesce(ep.lease_until, 0)`)
        .limit(1)
        .$if(pg, (qb) => qb.forUpdate().skipLocked()),
    )
    .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
    .returningAll()
    .executeTakeFirst();
}

/** Extends the lease; false when another sender took it (this one must stop). */
export async function renewEndpointLease(db: DbOrTrx, id: number, owner: string, leaseUntil: number): Promise<boolean> {
  const res = await db
    .updateTable('webhook_endpoint')
    .set({ lease_until: leaseUntil })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Hands the endpoint back; `now` as its lease's end puts it behind endpoints served longer ago. */
export async function releaseEndpoint(db: DbOrTrx, id: number, owner: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_endpoint')
    .set({ lease_owner: null, lease_until: now })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * The endpoint's next due deliveries in id order, leaving out any whose person has an earlier
 * delivery still queued (due or not): a later event of a person waits for their earlier one.
 */
export async function nextDueDeliveries(
  db: DbOrTrx,
  endpointId: number,
  now: number,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  return db
    .selectFrom('webhook_delivery as d')
    .selectAll('d')
    .where('d.endpoint_id', '=', endpointId)
    .where('d.state', '=', 'queued')
    .where('d.next_attempt_at', '<=', now)
    .where((w) =>
      w.or([
        w('d.person_id', 'is', null),
        w.not(
          w.exists(
            w
              .selectFrom('webhook_delivery as p')
              .select(sql.lit(1).as('one'))
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.person_id', '=', 'd.person_id')
              .where('p.state', '=', 'queued')
              .whereRef('p.id', '<', 'd.id'),
          ),
        ),
      ]),
    )
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

export interface AttemptOutcome {
  readonly at: number;
  readonly status: number | null;
  readonly responseMs: number;
  readonly error: string | null;
}

export async function markDelivered(db: DbOrTrx, ids: readonly number[], o: AttemptOutcome): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('webhook_delivery')
    .set((eb) => ({
      state: 'delivered',
      attempts: eb('attempts', '+', 1),
      last_status: o.status,
      last_response_ms: o.responseMs,
      last_error: null,
      last_attempt_at: o.at,
      delivered_at: o.at,
    }))
    .where('id', 'in', [...ids])
    .where('state', '=', 'queued')
    .execute();
}

/** A failed attempt: the rows stay queued, due again at `nextAttemptAt`. */
export async function markAttemptFailed(
  db: DbOrTrx,
  ids: readonly number[],
  o: AttemptOutcome,
  nextAttemptAt: number,
): Promise<void> {
  if (!ids.length) return;
  await db
    .updateTable('webhook_delivery')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_status: o.status,
      last_response_ms: o.responseMs,
      last_error: o.error,
      last_attempt_at: o.at,
      next_attempt_at: nextAttemptAt,
    }))
    .where('id', 'in', [...ids])
    .where('state', '=', 'queued')
    .execute();
}

/** After a failed request: no sender takes the endpoint before `until` (its first retry). */
export async function pauseEndpoint(db: DbOrTrx, id: number, until: number): Promise<void> {
  await db
    .updateTable('webhook_endpoint')
    .set({ lease_owner: null, lease_until: until })
    .where('id', '=', id)
    .execute();
}

/** Records a failed request: the endpoint's first failure since its last success is kept. */
export async function noteEndpointFailure(
  db: DbOrTrx,
  id: number,
  now: number,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoint')
    .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', sql.val(now)) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function noteEndpointSuccess(db: DbOrTrx, id: number): Promise<void> {
  await db
    .updateTable('webhook_endpoint')
    .set({ failing_since: null })
    .where('id', '=', id)
    .where('failing_since', 'is not', null)
    .execute();
}

/** Turns an enabled endpoint off; true when this call did. */
export async function disableEndpoint(db: DbOrTrx, id: number, reason: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('webhook_endpoint')
    .set({ enabled: 0, disabled_reason: reason, updated_at: now })
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The active site admins with an address (who hear that an endpoint was turned off). */
export async function listAdminAddresses(db: DbOrTrx): Promise<{ id: number; email: string }[]> {
  const rows = await db
    .selectFrom('person')
    .select(['id', 'email'])
    .where('is_admin', '=', 1)
    .where('status', '=', 'active')
    .where('email', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email as string }));
}

/** Deletes delivered rows older than `before` (the hourly cleanup); returns how many. */
export async function deleteDeliveredBefore(db: DbOrTrx, before: number): Promise<number> {
  const res = await db
    .deleteFrom('webhook_delivery')
    .where('state', '=', 'delivered')
    .where('delivered_at', '<', before)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
