/**
 * Idempotency-Key: a retried request with the same key (per caller) gets the first answer back;
 * the same key with a different request is refused. The answer is saved in the transaction that
 * did the work, so either both are kept or neither.
 */
import crypto from 'node:crypto';
import type { DbOrTrx } from '../db/db.js';
import { AppError } from '../errors.js';

export interface SavedAnswer<T> {
  readonly statusCode: number;
  readonly body: T;
}

/** A stable hash of what the request asks for. */
export function requestHash(scope: string, body: unknown): string {
  return crypto.createHash('sha256').update(scope).update('\n').update(JSON.stringify(body)).digest('hex');
}

/** The saved answer for this key, undefined when the key is new; 409 when it was used for another request. */
export async function findSavedAnswer<T>(
  db: DbOrTrx,
  personId: number,
  key: string,
  hash: string,
): Promise<SavedAnswer<T> | undefined> {
  const row = await db
    .selectFrom('idempotency_key')
    .select(['request_hash', 'status_code', 'response'])
    .where('person_id', '=', personId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== hash) throw new AppError('idempotency_key_reused');
  return { statusCode: row.status_code, body: JSON.parse(row.response) as T };
}

/** Saves the answer; a parallel request with the same key makes this fail with a unique violation. */
export async function saveAnswer(
  db: DbOrTrx,
  personId: number,
  key: string,
  hash: string,
  answer: SavedAnswer<unknown>,
  now: number,
): Promise<void> {
  await db
    .insertInto('idempotency_key')
    .values({
      person_id: personId,
      key,
      request_hash: hash,
      status_code: answer.statusCode,
      response: JSON.stringify(answer.body),
      created_at: now,
    })
    .execute();
}

/** Deletes keys saved before `before`; returns how many. */
export async function deleteIdempotencyKeysBefore(db: DbOrTrx, before: number): Promise<number> {
  const r = await db.deleteFrom('idempotency_key').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
