/**
 * PostgreSQL: membership's references (community_id, person_id, invited_by) are checked once per
 * statement instead of once per row. A foreign key runs `SELECT 1 … FOR KEY SHARE` on the parent
 * for every inserted row (a row lock, a heap write and a WAL record per reference), where one
 * set-based look-up per statement answers the same question for a bulk insert at a fraction of
 * the cost (docs/decisions.md). Triggers do what the foreign keys did:
 *
 * - after an INSERT or UPDATE of membership, any new row whose person, community or (non-null)
 *   inviter does not exist fails the statement with foreign_key_violation (23503);
 * - deleting a person deletes their memberships and clears `invited_by` where it named them;
 *   deleting a community deletes its memberships (ON DELETE CASCADE / SET NULL);
 * - a delete of a person or community first takes membership in SHARE ROW EXCLUSIVE mode, in
 *   place of the row locks a foreign key takes: the delete waits for every transaction that is
 *   writing memberships (so its cascade then sees their rows), and a membership written after it
 *   waits for its commit (so that statement's check sees the parent gone). Without it, a
 *   membership inserted for a person another transaction is deleting would outlive its person.
 *   (A merge, which writes memberships before its delete, takes the lock first: person-merge.ts.)
 *
 * This relies on READ COMMITTED (PostgreSQL's default; the app sets no other level): each
 * statement of a trigger function reads the latest committed rows. Not covered, as the app never
 * does it: changing the id of a person or community (the foreign key refused it while referenced).
 * SQLite keeps its foreign keys: it has one writer at a time and probes by primary key.
 */
import { type RawBuilder, sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const references = [
  { column: 'community_id', parent: 'community', onDelete: 'cascade' },
  { column: 'person_id', parent: 'person', onDelete: 'cascade' },
  { column: 'invited_by', parent: 'person', onDelete: 'set null' },
] as const;

/**
 * The statement check after an insert or update of membership: the first value of each reference
 * column whose parent row is missing fails the statement. An update checks only values that no
 * old row of the statement held (an old row's parents exist), so the usual update, which keeps
 * the keys, looks nothing up.
 */
function checkFunction(op: 'insert' | 'update'): RawBuilder<unknown> {
  const checks = references.map(({ column, parent }) => {
    const values =
      op === 'insert'
        ? `SELECT DISTINCT ${column} FROM new_rows WHERE ${column} IS NOT NULL`
        : `SELECT ${column} FROM new_rows WHERE ${column} IS NOT NULL EXCEPT SELECT ${column} FROM old_rows`;
    // In id order, so the probes walk the parent's index and pages in order.
    return `
      SELECT v.${column} INTO missing FROM (${values} ORDER BY 1) v
        WHERE NOT EXISTS (SELECT 1 FROM ${parent} WHERE ${parent}.id = v.${column}) LIMIT 1;
      IF FOUND THEN
        RAISE foreign_key_violation
          USING MESSAGE = format('membership.${column} %s is not present in table "${parent}" (foreign key checked per statement)', missing),
          DETAIL = format('Key (${column})=(%s) is not present in table "${parent}".', missing),
          TABLE = 'membership', COLUMN = '${column}';
      END IF;`;
  });
  // Nested loops over the parents' primary keys: the planner, costing a random read at four
  // sequential ones, would rather hash all of person (a million rows) to check 25,000 ids.
  return sql`
    CREATE FUNCTION ${sql.id(`membership_references_${op}_check`)}() RETURNS trigger LANGUAGE plpgsql
    SET enable_hashjoin = off SET enable_mergejoin = off AS $$
    DECLARE
      missing integer;
    BEGIN${sql.raw(checks.join(''))}
      RETURN NULL;
    END $$`;
}

export async function up(db: AnyDb): Promise<void> {
  if (!pgOf(db)) return;
  const fks = await sql<{ conname: string; column: string }>`
    SELECT c.conname, a.attname AS column FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.conrelid = 'membership'::regclass AND c.contype = 'f'`.execute(db);
  const found = fks.rows
    .map((r) => r.column)
    .sort()
    .join(', ');
  if (found !== 'community_id, invited_by, person_id')
    throw new Error(`membership's foreign keys are on (${found}), expected (community_id, invited_by, person_id)`);
  for (const { conname } of fks.rows) await sql`ALTER TABLE membership DROP CONSTRAINT ${sql.id(conname)}`.execute(db);

  for (const op of ['insert', 'update'] as const) {
    await checkFunction(op).execute(db);
    await sql`CREATE TRIGGER ${sql.id(`membership_references_${op}`)} AFTER ${sql.raw(op.toUpperCase())} ON membership
      REFERENCING ${sql.raw(op === 'update' ? 'OLD TABLE AS old_rows ' : '')}NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(`membership_references_${op}_check`)}()`.execute(db);
  }

  await sql`
    CREATE FUNCTION membership_lock_for_parent_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      LOCK TABLE membership IN SHARE ROW EXCLUSIVE MODE;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION person_delete_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM membership m USING old_rows o WHERE m.person_id = o.id;
      UPDATE membership SET invited_by = NULL WHERE invited_by IN (SELECT id FROM old_rows);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION community_delete_memberships() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM membership m USING old_rows o WHERE m.community_id = o.id;
      RETURN NULL;
    END $$`.execute(db);
  for (const parent of ['person', 'community'] as const) {
    await sql`CREATE TRIGGER ${sql.id(`${parent}_delete_lock_membership`)} BEFORE DELETE ON ${sql.id(parent)}
      FOR EACH STATEMENT EXECUTE FUNCTION membership_lock_for_parent_delete()`.execute(db);
    await sql`CREATE TRIGGER ${sql.id(`${parent}_delete_memberships`)} AFTER DELETE ON ${sql.id(parent)}
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${sql.id(`${parent}_delete_memberships`)}()`.execute(
      db,
    );
  }
}

export async function down(db: AnyDb): Promise<void> {
  if (!pgOf(db)) return;
  for (const parent of ['person', 'community'] as const) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`${parent}_delete_memberships`)} ON ${sql.id(parent)}`.execute(db);
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`${parent}_delete_lock_membership`)} ON ${sql.id(parent)}`.execute(db);
    await sql`DROP FUNCTION IF EXISTS ${sql.id(`${parent}_delete_memberships`)}()`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS membership_lock_for_parent_delete()`.execute(db);
  for (const op of ['insert', 'update'] as const) {
    await sql`DROP TRIGGER IF EXISTS ${sql.id(`membership_references_${op}`)} ON membership`.execute(db);
    await sql`DROP FUNCTION IF EXISTS ${sql.id(`membership_references_${op}_check`)}()`.execute(db);
  }
  // The names and actions the initial migration's column references created.
  for (const r of references) {
    await sql`ALTER TABLE membership ADD CONSTRAINT ${sql.id(`membership_${r.column}_fkey`)} FOREIGN KEY (${sql.id(r.column)})
      REFERENCES ${sql.id(r.parent)} (id) ON DELETE ${sql.raw(r.onDelete.toUpperCase())}`.execute(db);
  }
}
