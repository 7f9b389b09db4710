/** The first cut of the data model. Timestamps: epoch ms in bigint columns. */
import { sql } from 'kysely';
import { type AnyDb, withId } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('member_type'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('person'))
    .addColumn('unique_id', 'text', (c) => c.unique())
    .addColumn('preverification_id', 'integer', (c) => c.unique())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('member_type_id', 'integer', (c) => c.references('member_type.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invite_token_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .addColumn('last_sign_in_at', 'bigint')
    .addCheckConstraint('person_status_check', sql`status in ('pre_verified','invited','pending','active','inactive')`)
    .execute();
  await db.schema.createIndex('person_status_name_idx').on('person').columns(['status', 'name_key', 'id']).execute();
  await db.schema.createIndex('person_name_key_idx').on('person').columns(['name_key', 'id']).execute();
  await db.schema.createIndex('person_last_name_key_idx').on('person').columns(['last_name_key', 'id']).execute();
  await db.schema.createIndex('person_admin_idx').on('person').columns(['is_admin', 'status']).execute();

  await withId(db, db.schema.createTable('community'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('headline', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('privacy', 'text', (c) => c.notNull())
    .addColumn('landing_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('landing_policy', 'text', (c) => c.notNull().defaultTo('anyone'))
    .addColumn('landing_domains', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('landing_headline', 'text')
    .addColumn('landing_welcome', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('community_privacy_check', sql`privacy in ('public','private','invite_only')`)
    .execute();

  await db.schema
    .createTable('community_slug_history')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'integer', (c) => c.notNull().references('community.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('membership')
    .addColumn('community_id', 'integer', (c) => c.notNull().references('community.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'integer', (c) => c.references('person.id').onDelete('set null'))
    .addColumn('invited_at', 'bigint')
    .addColumn('data_job_id', 'integer')
    .addColumn('message', 'text')
    .addColumn('email_status', 'text')
    .addColumn('email_outbox_id', 'integer')
    .addColumn('emailed_at', 'bigint')
    .addColumn('joined_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('membership_pk', ['community_id', 'person_id'])
    .addCheckConstraint(
      'membership_state_check',
      sql`state in ('invited','joined','requested','dismissed','left','removed')`,
    )
    .addCheckConstraint('membership_role_check', sql`role in ('member','leader')`)
    .execute();
  await db.schema
    .createIndex('membership_community_state_idx')
    .on('membership')
    .columns(['community_id', 'state', 'person_id'])
    .execute();
  await db.schema
    .createIndex('membership_person_state_idx')
    .on('membership')
    .columns(['person_id', 'state', 'invited_at'])
    .execute();
  await db.schema.createIndex('membership_data_job_idx').on('membership').columns(['data_job_id', 'state']).execute();

  await withId(db, db.schema.createTable('email_outbox'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('email_outbox_due_idx')
    .on('email_outbox')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('email_outbox_created_idx').on('email_outbox').columns(['created_at', 'id']).execute();

  await withId(db, db.schema.createTable('job'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_due_idx').on('job').columns(['state', 'run_at']).execute();
  await db.schema
    .createIndex('job_dedupe_idx')
    .on('job')
    .column('dedupe_key')
    .unique()
    .where(sql.ref('state'), 'in', sql`('queued','running')`)
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('session_person_idx').on('session').column('person_id').execute();

  await withId(db, db.schema.createTable('sign_in_code'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('link_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('attempt_hash', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('sign_in'))
    .addColumn('community_id', 'integer', (c) => c.references('community.id').onDelete('cascade'))
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('sign_in_code_email_idx').on('sign_in_code').columns(['email', 'created_at']).execute();

  await db.schema
    .createTable('rate_limit')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_pk', ['key', 'window_start'])
    .execute();

  await withId(db, db.schema.createTable('api_token'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('suppression')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('audit_event'))
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_event_created_idx').on('audit_event').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('site_setting')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_key')
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_key_pk', ['person_id', 'key'])
    .execute();

  await withId(db, db.schema.createTable('data_job'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('has_header', 'integer', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('byte_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('mapping', 'text')
    .addColumn('dry_run', 'text')
    .addColumn('counters', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();

  await db.schema
    .createTable('data_job_row')
    .addColumn('data_job_id', 'integer', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('values', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('data_job_row_pk', ['data_job_id', 'row_number'])
    .execute();

  await db.schema
    .createTable('data_job_result')
    .addColumn('data_job_id', 'integer', (c) => c.notNull())
    .addColumn('row_number', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('person_id', 'integer')
    .addColumn('community_id', 'integer')
    .addPrimaryKeyConstraint('data_job_result_pk', ['data_job_id', 'row_number'])
    .execute();
  await db.schema
    .createIndex('data_job_result_outcome_idx')
    .on('data_job_result')
    .columns(['data_job_id', 'outcome', 'row_number'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'data_job_result',
    'data_job_row',
    'data_job',
    'idempotency_key',
    'site_setting',
    'audit_event',
    'suppression',
    'api_token',
    'rate_limit',
    'sign_in_code',
    'session',
    'job',
    'email_outbox',
    'membership',
    'community_slug_history',
    'community',
    'person',
    'member_type',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
