/**
 * `invited_count`: a community's invitations counted by where they stand (open, declined,
 * expired, revoked), their source and their email state, kept by triggers on membership in the
 * same transaction as every write (docs/decisions.md, "The Invited list's counts are kept by
 * triggers"). The Invited list's counts per filter read one range of its key (the community's).
 *
 * Unlike `funnel_counter` these are current counts: a write that moves a row from one group to
 * another takes 1 from the old group and adds 1 to the new one; a delete takes 1 away. A row's
 * group is `standingSql` below (null: not in the Invited list); a null email state is stored as ''
 * so that it can be part of the key.
 *
 * PostgreSQL: statement triggers over transition tables (the old rows counted -1, the new +1,
 * grouped: a bulk statement is one upsert), each backend writing its own slot (1–8). SQLite: row
 * triggers (slot 0), which the bulk paths switch off through `funnel_bulk` as they do the
 * funnel's (2026-12-03T1855) and count set-based instead (memberships/invited-count.repository.ts):
 * under 'insert' the insert trigger does nothing and the update trigger only takes the old group
 * away (the caller adds every row the upsert returned to its new group); under 'update' and
 * 'delete' those triggers do nothing.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

/** Where row `r` stands in the Invited list (the same rule as invited-directory.repository.ts), or null. */
const standingSql = (r: string) => `CASE
  WHEN ${r}.state IN ('invited', 'dismissed') THEN 'open'
  WHEN ${r}.state IN ('left', 'removed') AND ${r}.joined_at IS NULL THEN CASE ${r}.ended_by
    WHEN 'decline' THEN 'declined' WHEN 'expire' THEN 'expired' WHEN 'revoke' THEN 'revoked' END
  END`;

const group = (r: string) => `${r}.community_id, ${standingSql(r)}, ${r}.source, coalesce(${r}.email_status, '')`;
const key = 'community_id, standing, source, email_status, slot';
const upsert = `INSERT INTO invited_count (${key}, n)`;
const onConflict = `ON CONFLICT (${key}) DO UPDATE SET n = invited_count.n + excluded.n`;
const flag = `(SELECT counted_by_caller FROM funnel_bulk WHERE id = 0)`;
/** The columns a row's group is made of. */
const watched = ['community_id', 'state', 'joined_at', 'ended_by', 'source', 'email_status'];

/** SQLite: one row's group, `sign` times, when it is listed and `extra` holds. */
const sqliteRow = (r: string, sign: 1 | -1, extra = '1') =>
  `${upsert} SELECT ${group(r)}, 0, ${sign} WHERE ${standingSql(r)} IS NOT NULL AND ${extra} ${onConflict};`;

/** PostgreSQL: the rows of `from` (SELECT lists of group columns and a sign `d`), grouped. */
const pgBody = (from: string) => `${upsert}
  SELECT community_id, standing, source, email_status, pg_backend_pid() % 8 + 1, sum(d)
  FROM (${from}) x(community_id, standing, source, email_status, d)
  WHERE standing IS NOT NULL GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ${onConflict};`;

export async function up(db: AnyDb): Promise<void> {
  const columns = `community_id bigint NOT NULL, standing text NOT NULL, source text NOT NULL,
    email_status text NOT NULL, slot integer NOT NULL, n bigint NOT NULL`;
  // The key holds n, so that the list's counts read the community's range and nothing else:
  // INCLUDE on PostgreSQL, a WITHOUT ROWID table on SQLite (hence raw SQL in each dialect).
  if (pgOf(db))
    await sql
      .raw(`CREATE TABLE invited_count (${columns}, CONSTRAINT invited_count_pk PRIMARY KEY (${key}) INCLUDE (n))`)
      .execute(db);
  else
    await sql
      .raw(`CREATE TABLE invited_count (${columns}, CONSTRAINT invited_count_pk PRIMARY KEY (${key})) WITHOUT ROWID`)
      .execute(db);

  await sql
    .raw(
      `INSERT INTO invited_count (${key}, n)
      SELECT community_id, standing, source, email_status, 0, count(*)
      FROM (SELECT m.community_id AS community_id, ${standingSql('m')} AS standing, m.source AS source,
        coalesce(m.email_status, '') AS email_status FROM membership m) x
      WHERE standing IS NOT NULL GROUP BY 1, 2, 3, 4`,
    )
    .execute(db);

  if (pgOf(db)) {
    const fn = async (name: string, body: string) =>
      sql
        .raw(
          `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            ${body}
            RETURN NULL;
          END $$`,
        )
        .execute(db);
    await fn('membership_invited_count_insert', pgBody(`SELECT ${group('n')}, 1 FROM new_rows n`));
    await fn(
      'membership_invited_count_update',
      pgBody(`SELECT ${group('n')}, 1 FROM new_rows n UNION ALL SELECT ${group('o')}, -1 FROM old_rows o`),
    );
    await fn('membership_invited_count_delete', pgBody(`SELECT ${group('o')}, -1 FROM old_rows o`));
    await sql`CREATE TRIGGER membership_invited_count_insert AFTER INSERT ON membership
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION membership_invited_count_insert()`.execute(
      db,
    );
    await sql`CREATE TRIGGER membership_invited_count_update AFTER UPDATE ON membership
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION membership_invited_count_update()`.execute(db);
    await sql`CREATE TRIGGER membership_invited_count_delete AFTER DELETE ON membership
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION membership_invited_count_delete()`.execute(
      db,
    );
    return;
  }
  const changed = `(${standingSql('OLD')}) IS NOT (${standingSql('NEW')}) OR ${watched
    .filter((c) => !['state', 'joined_at', 'ended_by'].includes(c))
    .map((c) => `OLD.${c} IS NOT NEW.${c}`)
    .join(' OR ')}`;
  await sql
    .raw(
      `CREATE TRIGGER membership_invited_count_insert AFTER INSERT ON membership WHEN ${flag} IS NOT 'insert' BEGIN
        ${sqliteRow('NEW', 1)}
      END`,
    )
    .execute(db);
  // Under 'insert' (the bulk upsert) the old group is taken away even when the new one is the
  // same: the caller adds every returned row to its new group.
  await sql
    .raw(
      `CREATE TRIGGER membership_invited_count_update AFTER UPDATE OF ${watched.join(', ')} ON membership
      WHEN ${flag} IS 'insert' OR (${flag} IS NOT 'update' AND (${changed})) BEGIN
        ${sqliteRow('OLD', -1)}
        ${sqliteRow('NEW', 1, `${flag} IS NOT 'insert'`)}
      END`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER membership_invited_count_delete AFTER DELETE ON membership WHEN ${flag} IS NOT 'delete' BEGIN
        ${sqliteRow('OLD', -1)}
      END`,
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  for (const op of ['insert', 'update', 'delete']) {
    if (pgOf(db)) {
      await sql.raw(`DROP TRIGGER IF EXISTS membership_invited_count_${op} ON membership`).execute(db);
      await sql.raw(`DROP FUNCTION IF EXISTS membership_invited_count_${op}()`).execute(db);
    } else await sql.raw(`DROP TRIGGER IF EXISTS membership_invited_count_${op}`).execute(db);
  }
  await db.schema.dropTable('invited_count').execute();
}
