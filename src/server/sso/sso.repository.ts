/** Identity providers, the links of people to provider accounts, and pending logins. */
import type { Insertable, Updateable } from 'kysely';
import type { DbOrTrx } from '../db/db.js';
import type {
  IdentityProviderRow,
  IdentityProviderTable,
  SsoLinkRow,
  SsoLoginRow,
  SsoLoginTable,
} from '../db/schema.js';

export async function listIdentityProviders(db: DbOrTrx): Promise<IdentityProviderRow[]> {
  return db.selectFrom('identity_provider').selectAll().orderBy('id').execute();
}

export async function listEnabledIdentityProviders(db: DbOrTrx): Promise<IdentityProviderRow[]> {
  return db.selectFrom('identity_provider').selectAll().where('enabled', '=', 1).orderBy('id').execute();
}

export async function findIdentityProvider(db: DbOrTrx, id: number): Promise<IdentityProviderRow | undefined> {
  return db.selectFrom('identity_provider').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertIdentityProvider(
  db: DbOrTrx,
  row: Insertable<IdentityProviderTable>,
): Promise<IdentityProviderRow> {
  return db.insertInto('identity_provider').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateIdentityProvider(
  db: DbOrTrx,
  id: number,
  set: Updateable<IdentityProviderTable>,
): Promise<IdentityProviderRow | undefined> {
  return db.updateTable('identity_provider').set(set).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function deleteIdentityProvider(db: DbOrTrx, id: number): Promise<boolean> {
  const r = await db.deleteFrom('identity_provider').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function findSsoLink(db: DbOrTrx, providerId: number, uniqueId: string): Promise<SsoLinkRow | undefined> {
  return db
    .selectFrom('sso_link')
    .selectAll()
    .where('provider_id', '=', providerId)
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

export async function findSsoLinkOfPerson(
  db: DbOrTrx,
  providerId: number,
  personId: number,
): Promise<SsoLinkRow | undefined> {
  return db
    .selectFrom('sso_link')
    .selectAll()
    .where('provider_id', '=', providerId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

/** The person's links (only those that created them under an address no one had proved, with `unverifiedOnly`). */
export async function listSsoLinksOfPerson(
  db: DbOrTrx,
  personId: number,
  options: { readonly unverifiedOnly?: boolean } = {},
): Promise<(SsoLinkRow & { provider_name: string })[]> {
  return db
    .selectFrom('sso_link')
    .innerJoin('identity_provider', 'identity_provider.id', 'sso_link.provider_id')
    .selectAll('sso_link')
    .select('identity_provider.name as provider_name')
    .where('sso_link.person_id', '=', personId)
    .$if(options.unverifiedOnly === true, (qb) => qb.where('sso_link.email_unverified', '=', 1))
    .orderBy('sso_link.id')
    .execute();
}

/** Inserts the link unless the account or the person already has one at this provider; true when inserted. */
export async function insertSsoLink(
  db: DbOrTrx,
  row: {
    provider_id: number;
    unique_id: string;
    person_id: number;
    email: string | null;
    created_at: number;
    email_unverified?: 0 | 1;
  },
): Promise<boolean> {
  const r = await db
    .insertInto('sso_link')
    .values({ ...row, last_used_at: row.created_at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function touchSsoLink(db: DbOrTrx, id: number, at: number): Promise<void> {
  await db.updateTable('sso_link').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function deleteSsoLink(db: DbOrTrx, providerId: number, personId: number): Promise<boolean> {
  const r = await db
    .deleteFrom('sso_link')
    .where('provider_id', '=', providerId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteSsoLinkById(db: DbOrTrx, id: number): Promise<boolean> {
  const r = await db.deleteFrom('sso_link').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The audit events of links removed from this person since `since`, newest first. */
export async function listRemovedLinkEvents(
  db: DbOrTrx,
  personId: number,
  action: string,
  since: number,
): Promise<{ details: string | null; created_at: number }[]> {
  return db
    .selectFrom('audit_event')
    .select(['details', 'created_at'])
    .where('target_type', '=', 'person')
    .where('target_id', '=', String(personId))
    .where('action', '=', action)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
}

export async function insertSsoLogin(db: DbOrTrx, row: Insertable<SsoLoginTable>): Promise<void> {
  await db.insertInto('sso_login').values(row).execute();
}

export async function findSsoLogin(db: DbOrTrx, id: string): Promise<SsoLoginRow | undefined> {
  return db.selectFrom('sso_login').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the login used; false when it was used already (a second callback with the same state). */
export async function markSsoLoginUsed(db: DbOrTrx, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('sso_login')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Stores the SAML ACS's outcome once; false when the login already has one. */
export async function setSsoLoginOutcome(db: DbOrTrx, id: string, outcome: string): Promise<boolean> {
  const r = await db
    .updateTable('sso_login')
    .set({ outcome })
    .where('id', '=', id)
    .where('outcome', 'is', null)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteSsoLoginsBefore(db: DbOrTrx, before: number): Promise<number> {
  const r = await db.deleteFrom('sso_login').where('expires_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
