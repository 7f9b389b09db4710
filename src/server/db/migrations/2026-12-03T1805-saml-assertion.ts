/**
 * SAML replay protection: the ID of every accepted assertion, once per identity provider, kept
 * until the assertion would have expired anyway (then the hourly cleanup deletes it). A second
 * insert of the same ID fails on the primary key, so a replayed response is refused even when two
 * copies arrive at the same moment.
 */
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('sso_saml_assertion')
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('assertion_id', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_saml_assertion_pk', ['provider_id', 'assertion_id'])
    .execute();
  // The cleanup deletes by expiry.
  await db.schema.createIndex('sso_saml_assertion_expires_idx').on('sso_saml_assertion').column('expires_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sso_saml_assertion').execute();
}
