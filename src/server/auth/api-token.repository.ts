/** API token rows (stored as HMACs). Database first. */
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';

export interface NewApiToken {
  readonly person_id: number;
  readonly name: string;
  readonly token_hash: string;
  readonly created_at: number;
}

export async function insertApiToken(db: DbOrTrx, row: NewApiToken): Promise<void> {
  await db
    .insertInto('api_token')
    .values({ ...row, last_used_at: null, revoked_at: null })
    .execute();
}

export type ApiTokenWithPerson = PersonRow & {
  readonly token_id: number;
  readonly revoked_at: number | null;
  readonly last_used_at: number | null;
};

/** The token of this hash with its person, revoked or not; undefined when unknown. */
export async function findApiTokenWithPerson(db: DbOrTrx, hash: string): Promise<ApiTokenWithPerson | undefined> {
  return db
    .selectFrom('api_token')
    .innerJoin('person', 'person.id', 'api_token.person_id')
    .selectAll('person')
    .select(['api_token.id as token_id', 'api_token.revoked_at', 'api_token.last_used_at'])
    .where('api_token.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function touchApiToken(db: DbOrTrx, id: number, at: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}
