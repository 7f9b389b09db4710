/** The email outbox: rows written in the same transaction as the change that causes them. */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { OutboxState } from '../../shared/enums.js';
import { type DbOrTrx, isPostgres } from '../db/db.js';
import type { EmailOutboxRow } from '../db/schema.js';

export interface OutgoingEmail {
  /** unique per logical message: a retried request or a replayed job writes nothing new */
  readonly dedupeKey: string;
  readonly to: string;
  /** a template name a feature module registers (`emailTemplates`) */
  readonly template: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly category: 'transactional' | 'marketing';
  /** after this, the email is dropped instead of sent (sign-in codes) */
  readonly expiresAt?: number;
  /** the person whose action sends it, counted against their daily email quota */
  readonly senderId?: number;
}

/**
 * Queues one email (one recipient). Returns the outbox id, or undefined when a row with the same
 * dedupe key already exists. The Message-ID is fixed here, so a resend after a crash repeats it.
 */
export async function enqueueEmail(
  db: DbOrTrx,
  email: OutgoingEmail,
  now: number,
  messageDomain: string,
): Promise<number | undefined> {
  const row = await db
    .insertInto('email_outbox')
    .values({
      dedupe_key: email.dedupeKey,
      to_address: email.to,
      template: email.template,
      payload: JSON.stringify(email.payload),
      category: email.category,
      state: 'queued',
      attempts: 0,
      next_attempt_at: now,
      expires_at: email.expiresAt ?? null,
      sender_id: email.senderId ?? null,
      message_id: `<${crypto.randomUUID()}@${messageDomain}>`,
      last_error: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Queues many emails with one statement per 100 rows, or per `rowsPerStatement` (a 250-recipient invite would otherwise spend
 * most of its time on single-row inserts). Same row shape as enqueueEmail. Returns dedupe key →
 * outbox id for the rows written (a dedupe key already queued is skipped).
 */
export async function enqueueEmails(
  db: DbOrTrx,
  emails: readonly OutgoingEmail[],
  now: number,
  messageDomain: string,
  /** rows a statement: 15 parameters each, so at most 2,184 on SQLite (32,766 parameters) */
  rowsPerStatement = 100,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < emails.length; i += rowsPerStatement) {
    const rows = emails.slice(i, i + rowsPerStatement).map((e) => ({
      dedupe_key: e.dedupeKey,
      to_address: e.to,
      template: e.template,
      payload: JSON.stringify(e.payload),
      category: e.category,
      state: 'queued' as const,
      attempts: 0,
      next_attempt_at: now,
      expires_at: e.expiresAt ?? null,
      sender_id: e.senderId ?? null,
      message_id: `<${crypto.randomUUID()}@${messageDomain}>`,
      last_error: null,
      sent_at: null,
      created_at: now,
      updated_at: now,
    }));
    const inserted = await db
      .insertInto('email_outbox')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning(['id', 'dedupe_key'])
      .execute();
    for (const r of inserted) ids.set(r.dedupe_key, r.id);
  }
  return ids;
}

/** Deletes these rows while still queued (not yet claimed by a sender). */
export async function deleteQueuedEmails(db: DbOrTrx, ids: readonly number[]): Promise<void> {
  if (ids.length)
    await db
      .deleteFrom('email_outbox')
      .where('id', 'in', [...ids])
      .where('state', '=', 'queued')
      .execute();
}

/** Whether mail to this address is blocked for this category (unsubscribed, bouncing). */
export async function isSuppressed(
  db: DbOrTrx,
  email: string,
  category: 'transactional' | 'marketing',
): Promise<boolean> {
  const row = await db
    .selectFrom('suppression')
    .select(['scope'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  if (!row) return false;
  return row.scope === 'all' || category === 'marketing';
}

/**
 * Claims up to `limit` due queued rows, oldest due first: they become 'sending' with attempts + 1
 * and a lease kept in next_attempt_at. The attempt number fences every later update, so a sender
 * that lost its lease cannot overwrite the new owner's outcome. PostgreSQL locks candidates with
 * FOR UPDATE SKIP LOCKED; on SQLite the single statement runs under the database write lock.
 * Only 'queued' is scanned so that the (state, next_attempt_at) index yields rows in order even
 * with a million queued; abandoned 'sending' rows come back through requeueAbandonedEmails.
 */
export async function claimOutboxBatch(
  db: DbOrTrx,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<EmailOutboxRow[]> {
  const pg = isPostgres(db);
  const rows = await db
    .updateTable('email_outbox')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil, updated_at: now }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('email_outbox')
        .select('id')
        .where('state', '=', 'queued')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(pg, (qb) => qb.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * Rows left 'sending' by a sender that died (lease expired) go back to queued, due now, keeping
 * their attempt count (the try may have reached the server). Returns how many.
 */
export async function requeueAbandonedEmails(db: DbOrTrx, now: number): Promise<number> {
  const r = await db
    .updateTable('email_outbox')
    .set({ state: 'queued', next_attempt_at: now, updated_at: now })
    .where('state', '=', 'sending')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Extends the lease of claimed rows that are still ours (still 'sending' under the attempt number
 * we claimed them with): a live sender keeps short leases, so a dead one's rows come back soon.
 */
export async function renewOutboxLease(
  db: DbOrTrx,
  rows: readonly Pick<EmailOutboxRow, 'id' | 'attempts'>[],
  leaseUntil: number,
  now: number,
): Promise<void> {
  const byAttempt = new Map<number, number[]>();
  for (const row of rows) byAttempt.set(row.attempts, [...(byAttempt.get(row.attempts) ?? []), row.id]);
  for (const [attempts, ids] of byAttempt) {
    await db
      .updateTable('email_outbox')
      .set({ next_attempt_at: leaseUntil, updated_at: now })
      .where('id', 'in', ids)
      .where('state', '=', 'sending')
      .where('attempts', '=', attempts)
      .execute();
  }
}

/** The final or next state of a claimed row. */
/** `payload`, on a final state: the row's payload with its secrets removed. */
export type OutboxUpdate =
  | { readonly state: 'sent'; readonly at: number; readonly payload?: string }
  | { readonly state: 'kept'; readonly at: number; readonly payload?: string }
  | { readonly state: 'failed'; readonly at: number; readonly error: string; readonly payload?: string }
  | { readonly state: 'queued'; readonly at: number; readonly error: string; readonly retryAt: number };

/** Records the outcome of the claim with this attempt number; false when the claim was lost. */
export async function recordOutboxOutcome(
  db: DbOrTrx,
  id: number,
  attempt: number,
  update: OutboxUpdate,
): Promise<boolean> {
  const set =
    update.state === 'sent'
      ? { state: 'sent' as const, sent_at: update.at, last_error: null }
      : update.state === 'kept'
        ? { state: 'kept' as const }
        : update.state === 'failed'
          ? { state: 'failed' as const, last_error: update.error }
          : { state: 'queued' as const, last_error: update.error, next_attempt_at: update.retryAt };
  const payload = update.state !== 'queued' && update.payload !== undefined ? { payload: update.payload } : {};
  const r = await db
    .updateTable('email_outbox')
    .set({ ...set, ...payload, updated_at: update.at })
    .where('id', '=', id)
    .where('state', '=', 'sending')
    .where('attempts', '=', attempt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Gives claimed rows back untried (SMTP unreachable, or shutting down): due at `at`, attempt not counted. */
export async function releaseOutboxRows(
  db: DbOrTrx,
  rows: readonly Pick<EmailOutboxRow, 'id' | 'attempts'>[],
  at: number,
): Promise<void> {
  for (const row of rows) {
    await db
      .updateTable('email_outbox')
      .set((eb) => ({ state: 'queued', attempts: eb('attempts', '-', 1), next_attempt_at: at, updated_at: at }))
      .where('id', '=', row.id)
      .where('state', '=', 'sending')
      .where('attempts', '=', row.attempts)
      .execute();
  }
}

export async function findOutboxRow(db: DbOrTrx, id: number): Promise<EmailOutboxRow | undefined> {
  return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Newest first, keyset-paged by id: rows with id < `beforeId`. */
/** `%` and `_` in a search term stand for themselves, not LIKE's wildcards. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listOutboxRows(
  db: DbOrTrx,
  filter: { state?: OutboxState; template?: string; toContains?: string; beforeId?: number; limit: number },
): Promise<EmailOutboxRow[]> {
  const toPattern = filter.toContains ? `%${escapeLike(filter.toContains.toLowerCase())}%` : undefined;
  return (
    db
      .selectFrom('email_outbox')
      .selectAll()
      .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state as OutboxState))
      .$if(filter.template !== undefined, (qb) => qb.where('template', '=', filter.template as string))
      // LIKE … ESCAPE is the same on both dialects (SQLite has no default escape character).
      .$if(toPattern !== undefined, (qb) =>
        qb.where(sql<boolean>`lower(${sql.ref('to_address')}) like ${toPattern} escape '\\'`),
      )
      .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId as number))
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute()
  );
}
