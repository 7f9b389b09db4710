/**
 * The funnel's update triggers (2026-12-03T1840, 1855) for bulk updates that reach no funnel
 * step, such as the reminder sweep's bookkeeping (docs/decisions.md, "The funnel's update
 * trigger and bulk updates"):
 *
 * - PostgreSQL: the statement trigger plans its statement for each firing (`EXECUTE`) instead of
 *   once per connection. PL/pgSQL keeps the plan it made at a connection's first firing, with the
 *   transition tables' sizes of that firing: after a one-row update the join of the old and new
 *   rows stays a nested loop, and a later statement updating n rows costs n². It also returns at
 *   once while the transaction-local setting `convene.funnel_update` is `skip`: a caller whose
 *   update changes none of the columns the funnel watches sets it around that update
 *   (memberships/funnel-bulk.repository.ts), sparing the comparison of every old and new row.
 * - SQLite: the row triggers fire only for updates that set a column they watch (`UPDATE OF`),
 *   so an update of other columns evaluates no trigger condition per row. The funnel's watches
 *   the columns of its steps (its WHEN compares exactly these); the re-invitation tally's only
 *   runs under the bulk upsert, which always sets `data_job_id`.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

/** The columns whose change the funnel counts (2026-12-03T1840's `watched`). */
const watched = ['state', 'invited_at', 'emailed_at', 'delivered_at', 'opened_at', 'signed_in_at', 'ended_by'];

const pgShape = /^\s*BEGIN\s+(INSERT INTO funnel_counter[\s\S]*?);\s*RETURN NULL;\s*END\s*$/;

async function sqliteTrigger(db: AnyDb, name: string): Promise<string> {
  const r = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ${name}`.execute(
    db,
  );
  const text = r.rows[0]?.sql;
  if (!text) throw new Error(`trigger ${name} is missing`);
  return text;
}

/** Recreates a SQLite trigger with `OF columns` after its `AFTER UPDATE` (or without, for down). */
async function setUpdateOf(db: AnyDb, name: string, columns: readonly string[] | null): Promise<void> {
  const text = await sqliteTrigger(db, name);
  const head = new RegExp(`^(CREATE TRIGGER ${name} AFTER UPDATE)(?: OF [\\w, ]+?)? ON membership\\b`);
  if (!head.test(text)) throw new Error(`unexpected text of trigger ${name}`);
  await sql.raw(`DROP TRIGGER ${name}`).execute(db);
  await sql.raw(text.replace(head, `$1${columns ? ` OF ${columns.join(', ')}` : ''} ON membership`)).execute(db);
}

export async function up(db: AnyDb): Promise<void> {
  if (!pgOf(db)) {
    await setUpdateOf(db, 'membership_funnel_update', watched);
    await setUpdateOf(db, 'membership_funnel_bulk_reinvited', ['data_job_id']);
    return;
  }
  const r = await sql<{
    src: string;
  }>`SELECT prosrc AS src FROM pg_proc WHERE proname = 'membership_funnel_update'`.execute(db);
  const m = pgShape.exec(r.rows[0]?.src ?? '');
  if (!m?.[1] || m[1].includes('$q$')) throw new Error('unexpected body of membership_funnel_update');
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION membership_funnel_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF current_setting('convene.funnel_update', true) = 'skip' THEN
          RETURN NULL;
        END IF;
        EXECUTE $q$${m[1]}$q$;
        RETURN NULL;
      END $fn$`,
    )
    .execute(db);
}
