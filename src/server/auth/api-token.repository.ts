/** API token rows (stored as HMACs). Database first. */
import type { DbOrTrx } from '../db/db.js';
import type { PersonRow } from '../db/schema.js';

export interface NewApiToken {
  readonly person_id: number;
  readonly name: string;
  readonly token_hash: string;
  /** comma-separated scopes */
  readonly scopes: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly created_by: number | null;
}

/** Inserts a token; returns its id. */
export async function insertApiToken(db: DbOrTrx, row: NewApiToken): Promise<number> {
  const inserted = await db
    .insertInto('api_token')
    .values({ ...row, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export type ApiTokenWithPerson = PersonRow & {
  readonly token_id: number;
  readonly token_scopes: string;
  readonly token_expires_at: number | null;
  readonly revoked_at: number | null;
  readonly last_used_at: number | null;
};

/** The token of this hash with its person, revoked or not; undefined when unknown. */
export async function findApiTokenWithPerson(db: DbOrTrx, hash: string): Promise<ApiTokenWithPerson | undefined> {
  return db
    .selectFrom('api_token')
    .innerJoin('person', 'person.id', 'api_token.person_id')
    .selectAll('person')
    .select([
      'api_token.id as token_id',
      'api_token.scopes as token_scopes',
      'api_token.expires_at as token_expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
    ])
    .where('api_token.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function touchApiToken(db: DbOrTrx, id: number, at: number): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** A token row for the admin screen, with its owner's and creator's names. */
export interface ApiTokenListRow {
  readonly id: number;
  readonly name: string;
  readonly scopes: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly last_used_at: number | null;
  readonly revoked_at: number | null;
  readonly owner_id: number;
  readonly owner_first_name: string;
  readonly owner_last_name: string;
  readonly owner_email: string | null;
  readonly creator_id: number | null;
  readonly creator_first_name: string | null;
  readonly creator_last_name: string | null;
  readonly creator_email: string | null;
}

function listQuery(db: DbOrTrx) {
  return db
    .selectFrom('api_token')
    .innerJoin('person as owner', 'owner.id', 'api_token.person_id')
    .leftJoin('person as creator', 'creator.id', 'api_token.created_by')
    .select([
      'api_token.id',
      'api_token.name',
      'api_token.scopes',
      'api_token.created_at',
      'api_token.expires_at',
      'api_token.last_used_at',
      'api_token.revoked_at',
      'owner.id as owner_id',
      'owner.first_name as owner_first_name',
      'owner.last_name as owner_last_name',
      'owner.email as owner_email',
      'creator.id as creator_id',
      'creator.first_name as creator_first_name',
      'creator.last_name as creator_last_name',
      'creator.email as creator_email',
    ]);
}

/** Every token of the site, newest first. */
export async function listApiTokens(db: DbOrTrx): Promise<ApiTokenListRow[]> {
  return listQuery(db).orderBy('api_token.created_at', 'desc').orderBy('api_token.id', 'desc').execute();
}

export async function findApiTokenListRow(db: DbOrTrx, id: number): Promise<ApiTokenListRow | undefined> {
  return listQuery(db).where('api_token.id', '=', id).executeTakeFirst();
}

/** Marks a token revoked unless it already is; returns whether this call revoked it. */
export async function revokeApiToken(db: DbOrTrx, id: number, at: number): Promise<boolean> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
