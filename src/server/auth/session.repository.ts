import type { DbOrTrx } from '../db/db.js';
import type { PersonRow, SessionRow } from '../db/schema.js';

export async function insertSession(db: DbOrTrx, row: SessionRow): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

export async function findSessionWithPerson(
  db: DbOrTrx,
  id: string,
): Promise<{ session: SessionRow; person: PersonRow } | undefined> {
  const session = await db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
  if (!session) return undefined;
  const person = await db.selectFrom('person').selectAll().where('id', '=', session.person_id).executeTakeFirst();
  return person ? { session, person } : undefined;
}

export async function touchSession(db: DbOrTrx, id: string, at: number): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: DbOrTrx, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

/** Ends every session of a person at once (deactivation, role loss). */
export async function deletePersonSessions(db: DbOrTrx, personId: number): Promise<void> {
  await db.deleteFrom('session').where('person_id', '=', personId).execute();
}

/**
 * Revokes every API token of a person (deactivation, admin revoke): a token is a credential like
 * a session, so it must not come back to life when the person is reactivated or made admin again.
 */
export async function revokePersonApiTokens(db: DbOrTrx, personId: number, now: number): Promise<void> {
  await db
    .updateTable('api_token')
    .set({ revoked_at: now })
    .where('person_id', '=', personId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Deletes sessions past their absolute end (`now`) or idle since `idleBefore`; returns how many. */
export async function deleteEndedSessions(db: DbOrTrx, now: number, idleBefore: number): Promise<number> {
  const r = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
