/** The invite look-up for a database (see lookup.ts). */
import { isPostgres, type DbOrTrx } from '../../db/db.js';
import type { InviteLookup } from './lookup.js';
import { postgresLookup } from './postgres.lookup.js';
import { sqliteLookup } from './sqlite.lookup.js';

export function inviteLookupOf(db: DbOrTrx): InviteLookup {
  return isPostgres(db) ? postgresLookup : sqliteLookup;
}
