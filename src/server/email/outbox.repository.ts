/** The email outbox: rows written in the same transaction as the change that causes them. */
import crypto from 'node:crypto';
import type { DbOrTrx } from '../db/db.js';

export interface OutgoingEmail {
  /** unique per logical message: a retried request or a replayed job writes nothing new */
  readonly dedupeKey: string;
  readonly to: string;
  /** a name registered in email/templates.ts */
  readonly template: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly category: 'transactional' | 'marketing';
  /** after this, the email is dropped instead of sent (sign-in codes) */
  readonly expiresAt?: number;
}

/**
 * Queues one email (one recipient). Returns the outbox id, or undefined when a row with the same
 * dedupe key already exists. The Message-ID is fixed here, so a resend after a crash repeats it.
 */
export async function enqueueEmail(db: DbOrTrx, email: OutgoingEmail, now: number, messageDomain: string): Promise<number | undefined> {
  const row = await db.insertInto('email_outbox').values({
    dedupe_key: email.dedupeKey, to_address: email.to, template: email.template, payload: JSON.stringify(email.payload),
    category: email.category, state: 'queued', attempts: 0, next_attempt_at: now, expires_at: email.expiresAt ?? null,
    message_id: `<${crypto.randomUUID()}@${messageDomain}>`, last_error: null, sent_at: null, created_at: now, updated_at: now,
  }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

/** Whether mail to this address is blocked for this category (unsubscribed, bouncing). */
export async function isSuppressed(db: DbOrTrx, email: string, category: 'transactional' | 'marketing'): Promise<boolean> {
  const row = await db.selectFrom('suppression').select(['scope']).where('email', '=', email.toLowerCase()).executeTakeFirst();
  if (!row) return false;
  return row.scope === 'all' || category === 'marketing';
}
