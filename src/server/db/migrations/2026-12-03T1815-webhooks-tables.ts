/**
 * Webhooks out: the endpoints (site settings, with their secret, the events they want, and the
 * lease of the one sender that serves each at a time) and the deliveries (one row per event per
 * endpoint, written in the transaction of the change that made the event — the outbox).
 */
import { sql } from 'kysely';
import { type AnyDb, withId } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('webhook_endpoint'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('per_event', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('webhook_delivery'))
    .addColumn('endpoint_id', 'integer', (c) => c.notNull().references('webhook_endpoint.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('event_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_response_ms', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('replay_of', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('webhook_delivery_state_check', sql`state in ('queued','delivered')`)
    .execute();
  // The sender walks an endpoint's queued deliveries in id order, and asks whether a person has
  // an earlier one still queued; the partial index holds only what is waiting.
  await db.schema
    .createIndex('webhook_delivery_queued_idx')
    .on('webhook_delivery')
    .columns(['endpoint_id', 'id'])
    .where(sql.ref('state'), '=', sql.lit('queued'))
    .execute();
  await db.schema
    .createIndex('webhook_delivery_queued_person_idx')
    .on('webhook_delivery')
    .columns(['endpoint_id', 'person_id', 'id'])
    .where(sql.ref('state'), '=', sql.lit('queued'))
    .execute();
  // The delivery log, newest first.
  await db.schema
    .createIndex('webhook_delivery_log_idx')
    .on('webhook_delivery')
    .columns(['endpoint_id', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('webhook_delivery').ifExists().execute();
  await db.schema.dropTable('webhook_endpoint').ifExists().execute();
}
