/**
 * The sweeps' walk of the membership table in its storage order: SQLite's rowid, PostgreSQL's
 * primary key (person, community). When many invitations are due at once (reminders or expiry
 * switched on, a long stop), a sweep that takes its batches from the due index writes rows all
 * over the table: every batch dirties most of the table's pages, and each page is written again
 * by the next batch. Walking the table in its own order, a batch is a window of neighbouring
 * rows, so each page is written about once in the whole sweep. With few rows due the index is
 * the cheaper read, and the sweeps keep it (see the services' `tableOrderFrom`).
 */
import { type RawBuilder, sql } from 'kysely';
import { type DbOrTrx, isPostgres } from '../db/db.js';

/** A position in the walk: SQLite's rowid, or PostgreSQL's (person_id, community_id). */
export type TableKey = readonly number[];

const keyOf = (db: DbOrTrx) => (isPostgres(db) ? sql`(person_id, community_id)` : sql`rowid`);
const valueOf = (db: DbOrTrx, key: TableKey) => (isPostgres(db) ? sql`(${key[0]}, ${key[1]})` : sql`${key[0]}`);

/** The rows after `after` (undefined: from the start) up to and including `upTo` (undefined: to the end). */
export function tableWindow(db: DbOrTrx, after: TableKey | undefined, upTo: TableKey | undefined): RawBuilder<boolean> {
  const bounds = [
    ...(after ? [sql`${keyOf(db)} > ${valueOf(db, after)}`] : []),
    ...(upTo ? [sql`${keyOf(db)} <= ${valueOf(db, upTo)}`] : []),
  ];
  return bounds.length ? sql<boolean>`${sql.join(bounds, sql` and `)}` : sql<boolean>`1 = 1`;
}

/**
 * The key of the `limit`-th row after `after` that `due` matches, in the table's order: the end
 * of the next batch's window. Undefined when fewer are left (the window then runs to the end).
 * `due` must not repeat a partial index's literal predicate, or SQLite reads that index and
 * sorts every due row instead of walking the table.
 */
export async function tableWindowEnd(
  db: DbOrTrx,
  due: RawBuilder<boolean>,
  after: TableKey | undefined,
  limit: number,
): Promise<TableKey | undefined> {
  const pg = isPostgres(db);
  const { rows } = await sql<{ k0: number; k1: number | null }>`select ${
    pg ? sql`person_id as k0, community_id as k1` : sql`rowid as k0, null as k1`
  } from membership where ${due} and ${tableWindow(db, after, undefined)}
    order by ${pg ? sql`person_id, community_id` : sql`rowid`} limit 1 offset ${Math.max(0, limit - 1)}`.execute(db);
  const [row] = rows;
  if (!row) return undefined;
  return pg ? [Number(row.k0), Number(row.k1)] : [Number(row.k0)];
}
