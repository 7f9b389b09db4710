/** The suppression list: addresses that bounced (all mail) or unsubscribed (marketing mail). */
import type { DbOrTrx } from '../db/db.js';
import type { SuppressionTable } from '../db/schema.js';

/** A hard bounce blocks every email to the address, replacing a marketing-only unsubscribe. */
export async function suppressBouncedAddress(db: DbOrTrx, email: string, detail: string, now: number): Promise<void> {
  await db
    .insertInto('suppression')
    .values({ email: email.toLowerCase(), reason: 'bounced', scope: 'all', detail, created_at: now })
    .onConflict((oc) => oc.column('email').doUpdateSet({ reason: 'bounced', scope: 'all', detail, created_at: now }))
    .execute();
}

/** An unsubscribe blocks marketing mail; an existing stronger entry (a bounce) stays as it is. */
export async function suppressUnsubscribedAddress(
  db: DbOrTrx,
  email: string,
  detail: string | null,
  now: number,
): Promise<void> {
  await db
    .insertInto('suppression')
    .values({ email: email.toLowerCase(), reason: 'unsubscribed', scope: 'marketing', detail, created_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

export async function findSuppression(
  db: DbOrTrx,
  email: string,
): Promise<Pick<SuppressionTable, 'reason' | 'scope'> | undefined> {
  return db
    .selectFrom('suppression')
    .select(['reason', 'scope'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
}
