/** `sso_saml_assertion`: the assertion IDs already accepted, once per identity provider. */
import type { DbOrTrx } from '../../db/db.js';

/**
 * Records an assertion ID as used. Returns false when this provider's assertion ID is already
 * there (a replay); the primary key decides, so two copies arriving together cannot both pass.
 */
export async function recordSamlAssertionOnce(
  db: DbOrTrx,
  row: { providerId: string; assertionId: string; usedAt: number; expiresAt: number },
): Promise<boolean> {
  const result = await db
    .insertInto('sso_saml_assertion')
    .values({
      provider_id: row.providerId,
      assertion_id: row.assertionId,
      used_at: row.usedAt,
      expires_at: row.expiresAt,
    })
    .onConflict((oc) => oc.columns(['provider_id', 'assertion_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Deletes the IDs of assertions that have expired: a replay of one is refused by its time window. */
export async function deleteExpiredSamlAssertions(db: DbOrTrx, now: number): Promise<number> {
  const result = await db.deleteFrom('sso_saml_assertion').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
