/**
 * Bulk writes for million-row jobs. A batch travels as ONE JSON parameter that the database
 * unpacks (json_each on SQLite, json_array_elements on PostgreSQL): no parameter limit (SQLite
 * 32,766, PostgreSQL 65,535), and no large statement to build and compile per batch. The two
 * dialects spell this differently, hence the branches.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../db/db.js';

export interface BulkColumn {
  readonly name: string;
  readonly type: 'int' | 'bigint' | 'text';
}

export interface BulkConstant extends BulkColumn {
  readonly value: string | number | null;
}

const pgType = (t: BulkColumn['type']) => (t === 'int' ? 'integer' : t);

/**
 * INSERT INTO table (columns…, constants…) the rows (arrays in column order; the constants are
 * the same for every row and travel once), with an optional `ON CONFLICT …` tail (trusted text
 * from this folder only, never from input).
 */
export async function insertRows(db: DbOrTrx, table: string, columns: readonly BulkColumn[], rows: readonly unknown[][],
  conflict = '', constants: readonly BulkConstant[] = []): Promise<void> {
  if (!rows.length) return;
  const names = [...columns, ...constants].map((c) => `"${c.name}"`).join(', ');
  const json = JSON.stringify(rows);
  if (isPostgres(db)) {
    // PostgreSQL reads an untyped parameter in a SELECT list as text: cast each constant.
    const fixed = constants.map((c) => sql`, ${c.value}::${sql.raw(pgType(c.type))}`);
    const picks = columns.map((c, i) => `(e->>${i})::${pgType(c.type)}`).join(', ');
    await sql`INSERT INTO ${sql.raw(`"${table}" (${names})`)} SELECT ${sql.raw(picks)}${sql.join(fixed, sql``)} FROM json_array_elements(${json}::json) e ${sql.raw(conflict)}`.execute(db);
  } else {
    // "WHERE true" keeps SQLite's parser from reading ON CONFLICT as a join constraint.
    const fixed = constants.map((c) => sql`, ${c.value}`);
    const picks = columns.map((_, i) => `value->>${i}`).join(', ');
    await sql`INSERT INTO ${sql.raw(`"${table}" (${names})`)} SELECT ${sql.raw(picks)}${sql.join(fixed, sql``)} FROM json_each(${json}) WHERE true ${sql.raw(conflict)}`.execute(db);
  }
}

/** Stages records as data_job_row rows numbered from `firstRowNumber`, values kept as JSON arrays. */
export async function stageRows(db: DbOrTrx, dataJobId: number, firstRowNumber: number, records: readonly string[][]): Promise<void> {
  if (!records.length) return;
  const json = JSON.stringify(records);
  if (isPostgres(db)) {
    // json (not jsonb) keeps each element's text as written.
    await sql`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}::integer, ${firstRowNumber}::integer + (t.ord::integer) - 1, t.e::text FROM json_array_elements(${json}::json) WITH ORDINALITY AS t(e, ord)`.execute(db);
  } else {
    await sql`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}, ${firstRowNumber} + key, value FROM json_each(${json})`.execute(db);
  }
}

/**
 * `column IN (values)` with the values carried as one parameter (a JSON text on SQLite, an array
 * on PostgreSQL): a batch of 50,000 keys is one parameter, not 50,000.
 */
export function inJsonList(db: DbOrTrx, column: string, values: readonly (string | number)[], type: 'int' | 'text'): RawBuilder<SqlBool> {
  if (isPostgres(db)) {
    // An array parameter: PostgreSQL plans `= ANY(array)` as an index scan, where an IN over a
    // set-returning function is estimated at 100 rows and often becomes a sequential scan.
    return sql<SqlBool>`${sql.ref(column)} = ANY(${values}::${sql.raw(type === 'int' ? 'bigint[]' : 'text[]')})`;
  }
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
