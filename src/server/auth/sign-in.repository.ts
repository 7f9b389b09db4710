/** Sign-in codes, send counters and the person lookups that sign-in needs. Database first. */
import { sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import { personCreatedEvent, personStatusEvent } from '../people/person.repository.js';
import { queueWebhookEvent } from '../webhooks/webhook-event.repository.js';
import type { PersonRow, SignInCodeRow, SignInCodeTable } from '../db/schema.js';
import type { Insertable } from 'kysely';

export async function insertSignInCode(db: DbOrTrx, row: Insertable<SignInCodeTable>): Promise<number> {
  const inserted = await db.insertInto('sign_in_code').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * The newest code or link row of an address for code entry (admin bootstrap links excluded),
 * locked for update on PostgreSQL so that parallel verifications take turns. SQLite needs no lock:
 * one connection runs one transaction at a time.
 */
export async function lockNewestSignInCode(db: DbOrTrx, email: string): Promise<SignInCodeRow | undefined> {
  return db
    .selectFrom('sign_in_code')
    .selectAll()
    .where('email', '=', email)
    .where('purpose', '!=', 'admin_bootstrap')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
}

/** The row behind a link token's HMAC, locked for update on PostgreSQL. */
export async function lockSignInCodeByLinkHash(db: DbOrTrx, linkTokenHash: string): Promise<SignInCodeRow | undefined> {
  return db
    .selectFrom('sign_in_code')
    .selectAll()
    .where('link_token_hash', '=', linkTokenHash)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
}

/** Whether a newer row of the same kind (codes and links, or admin bootstrap links) exists for the address. */
export async function hasNewerSignInCode(db: DbOrTrx, row: SignInCodeRow): Promise<boolean> {
  const bootstrap = row.purpose === 'admin_bootstrap';
  const newer = await db
    .selectFrom('sign_in_code')
    .select('id')
    .where('email', '=', row.email)
    .where('purpose', bootstrap ? '=' : '!=', 'admin_bootstrap')
    .where((eb) =>
      eb.or([
        eb('created_at', '>', row.created_at),
        eb.and([eb('created_at', '=', row.created_at), eb('id', '>', row.id)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return newer !== undefined;
}

/** Marks a row used; false when another request used it first. */
export async function markSignInCodeUsed(db: DbOrTrx, id: number, at: number): Promise<boolean> {
  const result = await db
    .updateTable('sign_in_code')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Adds one wrong try to a code; returns the new count. */
export async function addFailedAttempt(db: DbOrTrx, id: number): Promise<number> {
  const row = await db
    .updateTable('sign_in_code')
    .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return row.failed_attempts;
}

/** Wrong codes entered for an address over codes one browser asked for since `since` (a rolling day). */
export async function countFailedAttemptsSince(
  db: DbOrTrx,
  email: string,
  attemptHash: string,
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('sign_in_code')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('failed_attempts'), eb.lit(0)).as('total'))
    .where('email', '=', email)
    .where('attempt_hash', '=', attemptHash)
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Code sends for an address since `since`: how many, and when the newest was. */
export async function codeSendsSince(
  db: DbOrTrx,
  email: string,
  since: number,
): Promise<{ count: number; newest: number | null; oldest: number | null }> {
  const row = await db
    .selectFrom('sign_in_code')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.max('created_at').as('newest'),
      eb.fn.min('created_at').as('oldest'),
    ])
    .where('email', '=', email)
    .where('purpose', '!=', 'admin_bootstrap')
    .where('created_at', '>', since)
    .executeTakeFirst();
  return {
    count: Number(row?.count ?? 0),
    newest: row?.newest === null || row?.newest === undefined ? null : Number(row.newest),
    oldest: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest),
  };
}

/** Drops an address's rows that no limit looks at any more. */
export async function deleteSignInCodesBefore(db: DbOrTrx, email: string, before: number): Promise<void> {
  await db.deleteFrom('sign_in_code').where('email', '=', email).where('created_at', '<', before).execute();
}

/**
 * Serialises code requests for one address on PostgreSQL (a transaction-scoped advisory lock),
 * so that two parallel requests cannot both pass the "60 s apart" check. SQLite runs one
 * transaction at a time on its single connection and needs nothing.
 */
export async function lockEmailForCodeRequest(db: DbOrTrx, email: string): Promise<void> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(hashtextextended(${`sign_in:${email}`}, 0))`.execute(db);
}

/** Counts one hit in a fixed window and returns the window's count (stored, so it holds across processes). */
export async function hitRateLimit(db: DbOrTrx, key: string, windowStart: number): Promise<number> {
  // Earlier windows are deleted by the hourly maintenance job (purgeExpiredSignInData), not here.
  const row = await db
    .insertInto('rate_limit')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_limit.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function findPersonByEmail(db: DbOrTrx, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Creates a pending person for a verified address; undefined when someone else created that email first. */
export async function insertPendingPerson(db: DbOrTrx, email: string, now: number): Promise<PersonRow | undefined> {
  const person = await db
    .insertInto('person')
    .values({
      email,
      first_name: '',
      last_name: '',
      name_key: '',
      last_name_key: '',
      status: 'pending',
      is_admin: 0,
      unique_id: null,
      preverification_id: null,
      member_type_id: null,
      invite_token_hash: null,
      created_at: now,
      updated_at: now,
      activated_at: null,
      last_sign_in_at: null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (person) await queueWebhookEvent(db, now, personCreatedEvent(person));
  return person;
}

/** Makes a pre-verified or invited person active (a verified email is their approval). */
export async function activatePerson(db: DbOrTrx, id: number, now: number): Promise<PersonRow> {
  const before = await db.selectFrom('person').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  const person = await db
    .updateTable('person')
    .set({ status: 'active', activated_at: now, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (before.status !== 'active')
    await queueWebhookEvent(db, now, personStatusEvent('person.activated', person, before.status));
  return person;
}

export async function recordSignIn(db: DbOrTrx, id: number, now: number): Promise<void> {
  await db.updateTable('person').set({ last_sign_in_at: now }).where('id', '=', id).execute();
}

/** The site setting `signup_open` (JSON boolean); sign-up is open unless an admin closed it. */
export async function isSignUpOpen(db: DbOrTrx): Promise<boolean> {
  const row = await db.selectFrom('site_setting').select('value').where('key', '=', 'signup_open').executeTakeFirst();
  if (!row) return true;
  try {
    return JSON.parse(row.value) !== false;
  } catch {
    return true;
  }
}

/** Deletes every address's sign-in codes and links created before `before`; returns how many. */
export async function deleteAllSignInCodesBefore(db: DbOrTrx, before: number): Promise<number> {
  const r = await db.deleteFrom('sign_in_code').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

const SIGN_IN_COUNTER_PREFIX = 'sign_in_code:';

/** Deletes sign-in's rate-limit counters whose window started before `before`; returns how many. */
export async function deleteSignInCountersBefore(db: DbOrTrx, before: number): Promise<number> {
  const prefix = SIGN_IN_COUNTER_PREFIX;
  const r = await db
    .deleteFrom('rate_limit')
    // substr rather than LIKE ('_' is a wildcard; escapes differ by dialect) or a range (collations differ)
    .where((eb) => eb(eb.fn<string>('substr', ['key', eb.lit(1), eb.lit(prefix.length)]), '=', prefix))
    .where('window_start', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
