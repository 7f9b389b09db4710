/**
 * Single sign-on: identity providers (site settings), the links between a provider's account and
 * a person, and pending logins (one per start of a sign-in at a provider, bound to the browser).
 */
import { type AnyDb, withId } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('identity_provider'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('button_label', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('trust_email', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text')
    .addColumn('required_member_types', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('sso_link'))
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('identity_provider.id').onDelete('cascade'))
    .addColumn('unique_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addUniqueConstraint('sso_link_provider_unique_id', ['provider_id', 'unique_id'])
    .addUniqueConstraint('sso_link_provider_person', ['provider_id', 'person_id'])
    .execute();
  await db.schema.createIndex('sso_link_person_idx').on('sso_link').column('person_id').execute();

  await db.schema
    .createTable('sso_login')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('identity_provider.id').onDelete('cascade'))
    .addColumn('browser_hash', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text')
    .addColumn('nonce', 'text')
    .addColumn('saml_request_id', 'text')
    .addColumn('next', 'text')
    .addColumn('community_id', 'integer', (c) => c.references('community.id').onDelete('cascade'))
    .addColumn('link_person_id', 'integer', (c) => c.references('person.id').onDelete('cascade'))
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('sso_login_expires_idx').on('sso_login').column('expires_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sso_login').execute();
  await db.schema.dropTable('sso_link').execute();
  await db.schema.dropTable('identity_provider').execute();
}
