/**
 * Bulk writes for million-row jobs. A batch travels as ONE JSON parameter that the database
 * unpacks (json_each on SQLite, json_array_elements on PostgreSQL): no parameter limit (SQLite
 * 32,766, PostgreSQL 65,535), and no large statement to build and compile per batch. The two
 * dialects spell this differently, hence the branches.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { isPostgres, type DbOrTrx } from '../../db/db.js';
import { JsonRows } from '../../db/json-rows.js';

export interface BulkColumn {
  readonly name: string;
  readonly type: 'int' | 'bigint' | 'text';
}

/** A value of a bulk row: integers and texts (null for none). */
export type BulkValue = number | string | null;

export interface BulkConstant extends BulkColumn {
  readonly value: string | number | null;
}

const pgType = (t: BulkColumn['type']) => (t === 'int' ? 'integer' : t);

export interface InsertOptions<T> {
  /** an item's values in column order (default: the item is that array already) */
  readonly toRow?: (item: T) => readonly BulkValue[];
  /** `ON CONFLICT …` / `RETURNING …`: trusted text from this folder only, never from input */
  readonly tail?: string;
  /** the same for every row; each travels once */
  readonly constants?: readonly BulkConstant[];
  /** receives the rows a RETURNING names, statement by statement */
  readonly onReturned?: (rows: unknown[]) => void;
}

/**
 * INSERT INTO table (columns…, constants…) one row per item, at most 10,000 a statement. A
 * transaction may write more rows than one statement should carry (each statement's JSON is parsed whole by the database, and
 * the rows are built as they go): several statements then, in one transaction still.
 */
export async function insertRows<T>(
  db: DbOrTrx,
  table: string,
  columns: readonly BulkColumn[],
  items: ArrayLike<T>,
  options: InsertOptions<T> = {},
): Promise<void> {
  const toRow = options.toRow ?? ((item: T) => item as BulkValue[]);
  // Each row goes straight into one reused JSON buffer: no array per row kept (db/json-rows.ts).
  const json = new JsonRows();
  for (let i = 0; i < items.length; i += rowsPerStatement) {
    json.clear();
    for (let j = i; j < Math.min(items.length, i + rowsPerStatement); j++) {
      const row = toRow(items[j] as T);
      if (row.length !== columns.length)
        throw new Error(`insertRows: a row of ${row.length} values for ${columns.length} columns.`);
      json.row();
      for (const v of row) json.value(v);
      json.end();
    }
    const returned = await insertSlice(db, table, columns, json, options.tail ?? '', options.constants ?? []);
    options.onReturned?.(returned);
  }
}

// 10,000: a statement's RETURNING objects are garbage as soon as it is done; larger statements'
// outlived young-generation collections and raised a large job's peak RSS, for no gain in time.
// (Its rows leave no objects: JsonRows.)
const rowsPerStatement = 10_000;

async function insertSlice(
  db: DbOrTrx,
  table: string,
  columns: readonly BulkColumn[],
  json: JsonRows,
  tail: string,
  constants: readonly BulkConstant[],
): Promise<unknown[]> {
  const names = [...columns, ...constants].map((c) => `"${c.name}"`).join(', ');
  if (isPostgres(db)) {
    // PostgreSQL reads an untyped parameter in a SELECT list as text: cast each constant.
    const fixed = constants.map((c) => sql`, ${c.value}::${sql.raw(pgType(c.type))}`);
    const picks = columns.map((c, i) => `(e->>${i})::${pgType(c.type)}`).join(', ');
    return (
      await sql`INSERT INTO ${sql.raw(`"${table}" (${names})`)} SELECT ${sql.raw(picks)}${sql.join(fixed, sql``)} FROM json_array_elements(${json.json()}::json) e ${sql.raw(tail)}`.execute(
        db,
      )
    ).rows;
  }
  // "WHERE true" keeps SQLite's parser from reading ON CONFLICT as a join constraint.
  const fixed = constants.map((c) => sql`, ${c.value}`);
  const picks = columns.map((_, i) => `value->>${i}`).join(', ');
  return (
    await sql`INSERT INTO ${sql.raw(`"${table}" (${names})`)} SELECT ${sql.raw(picks)}${sql.join(fixed, sql``)} FROM json_each(CAST(${json.blob()} AS TEXT)) WHERE true ${sql.raw(tail)}`.execute(
      db,
    )
  ).rows;
}

/** Stages a batch of records (a JSON array of arrays) as data_job_row rows numbered from `firstRowNumber`, values kept as JSON arrays. */
export async function stageRows(
  db: DbOrTrx,
  dataJobId: number,
  firstRowNumber: number,
  records: { readonly json: string; readonly count: number },
): Promise<void> {
  if (!records.count) return;
  const json = records.json;
  if (isPostgres(db)) {
    // json (not jsonb) keeps each element's text as written.
    await sql`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}::integer, ${firstRowNumber}::integer + (t.ord::integer) - 1, t.e::text FROM json_array_elements(${json}::json) WITH ORDINALITY AS t(e, ord)`.execute(
      db,
    );
  } else {
    await sql`INSERT INTO data_job_row (data_job_id, row_number, "values")
      SELECT ${dataJobId}, ${firstRowNumber} + key, value FROM json_each(${json})`.execute(db);
  }
}

/**
 * `column IN (values)` with the values carried as one parameter (a JSON text on SQLite, an array
 * on PostgreSQL): a batch of 50,000 keys is one parameter, not 50,000.
 */
export function inJsonList(
  db: DbOrTrx,
  column: string,
  values: readonly (string | number)[],
  type: 'int' | 'text',
): RawBuilder<SqlBool> {
  if (isPostgres(db)) {
    // An array parameter: PostgreSQL plans `= ANY(array)` as an index scan, where an IN over a
    // set-returning function is estimated at 100 rows and often becomes a sequential scan.
    return sql<SqlBool>`${sql.ref(column)} = ANY(${values}::${sql.raw(type === 'int' ? 'bigint[]' : 'text[]')})`;
  }
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
