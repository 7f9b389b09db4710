/**
 * The invite look-up statement, written once for both databases: a slice of staged rows →
 * community → person by the key field → (dry run) membership state. Dialect branches only where
 * the SQL must differ; each says why.
 */
import { CompiledQuery, type Expression, type RawBuilder, sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../../db/db.js';
import { membershipStateOf } from '../../memberships/index.js';
import type { LookedUp, LookupRange } from './lookup.js';

const personKeyColumn = {
  unique_id: 'unique_id',
  preverification_id: 'preverification_id',
  profile_id: 'id',
} as const;

/**
 * A value with the blanks a spreadsheet leaves around it trimmed. The two databases spell a
 * trim of several characters differently (SQLite has no escape strings; PostgreSQL's `trim`
 * takes its characters first).
 */
function trimmed(postgres: boolean, raw: Expression<unknown>): RawBuilder<string | null> {
  return postgres ? sql`btrim(${raw}, E' \\t\\n\\r')` : sql`trim(${raw}, ' ' || char(9, 10, 13))`;
}

/**
 * An integer ID to join on. SQLite's CAST never fails (a value that is not a number gives one
 * that matches no row); PostgreSQL's cast raises an error, so only digits are cast there. Either
 * way the JavaScript checks (row-packing.js) stay the judge of what is a valid ID.
 */
function asId(postgres: boolean, raw: Expression<unknown>): RawBuilder<number | null> {
  const value = trimmed(postgres, raw);
  return postgres
    ? sql`CASE WHEN ${value} ~ '^[0-9]{1,15}$' THEN (${value})::bigint END`
    : sql`CAST(${value} AS INTEGER)`;
}

/**
 * The statement for rows range.from..range.to of a job. Its only parameters are the job's id and
 * the first and last row numbers, in that order (the SQLite look-up thread prepares its text once
 * and binds them per slice).
 *
 * The slice's rows are looked up in key order, not row order: the staged rows are sorted by the
 * person key first, so the person index (and the membership key, since people's ids follow their
 * keys) is walked forwards, each page read once per slice instead of once per row. Rows come back
 * in key order; callers place them by `rn`.
 */
export function lookupQuery(db: DbOrTrx, range: LookupRange): CompiledQuery<LookedUp> {
  const postgres = isPostgres(db);
  const { mapping } = range;
  const ci = sql.lit((mapping.communityColumn ?? 1) - 1);
  const ki = sql.lit((mapping.keyColumn ?? 1) - 1);
  // The staged values are JSON text. SQLite's ->> reads the text as it is; PostgreSQL parses it
  // for each ->>, so it is cast once per row in a lateral subquery (OFFSET 0 keeps the planner
  // from folding the cast back into each use).
  const parsed = postgres ? [sql`LATERAL (SELECT ${sql.ref('r.values')}::json AS v OFFSET 0)`.as('j')] : [];
  const values = postgres ? sql.ref('j.v') : sql.ref('r.values');
  const rawKey = sql`${values}->>${ki}`;
  const key: RawBuilder<string | number | null> =
    mapping.keyType === 'unique_id' ? trimmed(postgres, rawKey) : asId(postgres, rawKey);
  const query = db
    // SQLite: MATERIALIZED copies the slice into a temporary b-tree sorted by the key. PostgreSQL
    // inlines the expression as an ordered subquery, which its nested loops then follow.
    .with(
      (cte) => (postgres ? cte('s') : cte('s').materialized()),
      (qc) =>
        qc
          .selectFrom(['data_job_row as r', ...parsed])
          .select([
            'r.row_number as rn',
            sql<string | null>`${values}->>${ci}`.as('c_raw'),
            sql<string | null>`${rawKey}`.as('k_raw'),
            key.as('k'),
          ])
          .where('r.data_job_id', '=', range.dataJobId)
          .where((eb) => eb.between('r.row_number', range.from, range.to))
          .orderBy('k'),
    )
    .selectFrom('s')
    .leftJoin('community as c', (join) =>
      join.on(sql<boolean>`${sql.ref('c.id')} = ${asId(postgres, sql.ref('s.c_raw'))}`),
    )
    .leftJoin('person as p', (join) =>
      join.on(sql<boolean>`${sql.ref(`p.${personKeyColumn[mapping.keyType]}`)} = ${sql.ref('s.k')}`),
    );
  const found = ['s.rn', 's.c_raw', 's.k_raw', 'c.id as cid', 'p.id as pid', 'p.status as pstatus'] as const;
  if (!range.withStates)
    return query.select([...found, sql.lit(null).as('mstate')]).compile() as CompiledQuery<LookedUp>;
  // The membership by its whole primary key (see membershipStateOf).
  return query.select([...found, membershipStateOf('p.id', 'c.id').as('mstate')]).compile() as CompiledQuery<LookedUp>;
}

/** The statement's text alone, for a connection that binds its parameters itself. */
export function lookupStatementText(db: DbOrTrx, range: Omit<LookupRange, 'dataJobId' | 'from' | 'to'>): string {
  const marks = [-1, -2, -3];
  const compiled = lookupQuery(db, { ...range, dataJobId: -1, from: -2, to: -3 });
  if (compiled.parameters.length !== marks.length || compiled.parameters.some((p, i) => p !== marks[i]))
    throw new Error('The look-up statement must take the job id, the first and the last row number, in that order.');
  return compiled.sql;
}

/**
 * PostgreSQL: runs a look-up statement with nested loops only and without parallel workers, for
 * this statement alone (`SET LOCAL`, put back after; `trx` must be a transaction). Estimating the
 * staged slice badly, the planner would rather hash the whole person table than probe an index
 * per row; nested loops are what this look-up is. Parallel workers, started for every slice,
 * spend CPU the job already uses on both cores (two look-ups at once, or one beside a batch's
 * writes).
 */
export async function executeWithNestedLoops<T>(trx: DbOrTrx, query: CompiledQuery<T>): Promise<T[]> {
  await sql`SET LOCAL enable_hashjoin = off`.execute(trx);
  await sql`SET LOCAL enable_mergejoin = off`.execute(trx);
  const workers =
    (await sql<{ was: string }>`SELECT current_setting('max_parallel_workers_per_gather') AS was`.execute(trx)).rows[0]
      ?.was ?? '2';
  await sql`SET LOCAL max_parallel_workers_per_gather = 0`.execute(trx);
  const rows = await trx.executeQuery(query);
  await sql`SET LOCAL enable_hashjoin = on`.execute(trx);
  await sql`SET LOCAL enable_mergejoin = on`.execute(trx);
  await sql`SELECT set_config('max_parallel_workers_per_gather', ${workers}, true)`.execute(trx);
  return rows.rows;
}

/**
 * SQLite: the directory version (migration 2026-11-27T0930): triggers move it on every change
 * that can change a look-up's answer — a person added or removed or changing status or IDs, a
 * community added or removed. Two snapshots that read the same version answer look-ups alike.
 */
export const directoryVersionText = 'SELECT version FROM directory_version WHERE id = 1';

/** SQLite: the directory version `db` (a transaction, to compare it with a snapshot's) reads. */
export async function readDirectoryVersion(db: DbOrTrx): Promise<number | undefined> {
  return (await db.executeQuery<{ version: number }>(CompiledQuery.raw(directoryVersionText))).rows[0]?.version;
}
