/**
 * PostgreSQL: the funnel's update trigger (2026-12-03T1840) plans its statement for each firing
 * instead of once per connection. PL/pgSQL keeps the plan it made at a connection's first firing,
 * and the transition tables' sizes are part of that plan: after a one-row update, the join of
 * the old and new rows stays a nested loop, so a later statement updating n rows costs n² (a
 * 16,000-row reminder batch took seconds, an 800-row one as long as 16,000 should). `EXECUTE`
 * plans each firing with its own sizes (a hash join for a bulk statement), for well under a
 * millisecond a statement. SQLite's row triggers are unchanged.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const shape = /^\s*BEGIN\s+(INSERT INTO funnel_counter[\s\S]*?);\s*RETURN NULL;\s*END\s*$/;

async function bodyOf(db: AnyDb): Promise<string> {
  const r = await sql<{
    src: string;
  }>`SELECT prosrc AS src FROM pg_proc WHERE proname = 'membership_funnel_update'`.execute(db);
  const src = r.rows[0]?.src;
  if (!src) throw new Error('function membership_funnel_update is missing');
  return src;
}

export async function up(db: AnyDb): Promise<void> {
  if (!pgOf(db)) return;
  const m = shape.exec(await bodyOf(db));
  if (!m?.[1] || m[1].includes('$q$')) throw new Error('unexpected body of membership_funnel_update');
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION membership_funnel_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE $q$${m[1]}$q$;
        RETURN NULL;
      END $fn$`,
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (!pgOf(db)) return;
  const m = /^\s*BEGIN\s+EXECUTE \$q\$([\s\S]*?)\$q\$;\s*RETURN NULL;\s*END\s*$/.exec(await bodyOf(db));
  if (!m?.[1]) throw new Error('unexpected body of membership_funnel_update');
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION membership_funnel_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${m[1]};
        RETURN NULL;
      END $fn$`,
    )
    .execute(db);
}
