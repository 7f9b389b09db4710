import fc from 'fast-check';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDb } from '../testing/test-db.js';
import { isPostgres } from './db.js';
import { JsonRows } from './json-rows.js';

type Value = number | string | null;

function write(w: JsonRows, rows: readonly (readonly Value[])[]): JsonRows {
  for (const r of rows) {
    w.row();
    // every other row by value(), the others by the typed writers
    if (w.rows % 2) for (const v of r) w.value(v);
    else
      for (const v of r) {
        if (v === null) w.null();
        else if (typeof v === 'number') w.int(v);
        else w.text(v);
      }
    w.end();
  }
  return w;
}

const value = fc.oneof(
  fc.maxSafeInteger(),
  fc.integer(),
  fc.string({ unit: 'binary' }),
  fc.string(),
  fc.constant(null),
);

describe('JsonRows', () => {
  it('writes what JSON.stringify writes, for any integers, texts and nulls, growing from a tiny buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.array(value, { maxLength: 6 }), { maxLength: 40 }), (rows) => {
        const w = write(new JsonRows(1), rows);
        expect(w.rows).toBe(rows.length);
        expect(JSON.parse(w.json())).toEqual(rows);
        expect(JSON.parse(w.blob().toString('utf8'))).toEqual(rows);
      }),
    );
  });

  it('starts again empty after clear(), keeping its buffer, and may take more rows after blob()', () => {
    const w = write(new JsonRows(), [[1, 'a']]);
    expect(w.json()).toBe('[[1,"a"]]');
    write(w, [[-2, null]]);
    expect(w.json()).toBe('[[1,"a"],[-2,null]]');
    w.clear();
    expect(w.rows).toBe(0);
    expect(w.json()).toBe('[]');
    expect(
      write(w, [[0, 'x"\\y', '\u00e9\u{1f600}\n']])
        .blob()
        .toString(),
    ).toBe(JSON.stringify([[0, 'x"\\y', '\u00e9\u{1f600}\n']]));
  });

  it('refuses what JSON could not carry exactly, and rows written out of order', () => {
    expect(() => new JsonRows().row().int(2 ** 53)).toThrow(/not a safe integer/);
    expect(() => new JsonRows().row().int(1.5)).toThrow(/not a safe integer/);
    expect(() => new JsonRows().row().int(Number.NaN)).toThrow(/not a safe integer/);
    expect(() => new JsonRows().row().value(0.5)).toThrow(/not a safe integer/);
    expect(() => new JsonRows().int(1)).toThrow(/open a row first/);
    expect(() => new JsonRows().row().row()).toThrow(/not ended/);
    expect(() => new JsonRows().end()).toThrow(/no row is open/);
    expect(() => new JsonRows().row().json()).toThrow(/still open/);
  });
});

describeEachDb('JsonRows as a statement parameter', (t) => {
  it('is read by the database row for row: the blob by SQLite, the string by PostgreSQL', async () => {
    const db = t().ctx.db;
    const rows: Value[][] = Array.from({ length: 3_000 }, (_, i) => [
      i - 1_000,
      i % 7 ? `name ${i} "q" \u00fc` : null,
      Number.MAX_SAFE_INTEGER - i,
    ]);
    const w = write(new JsonRows(16), rows);
    const read = isPostgres(db)
      ? await sql<{
          a: string;
          b: string | null;
          c: string;
        }>`SELECT e->>0 AS a, e->>1 AS b, e->>2 AS c FROM json_array_elements(${w.json()}::json) e`.execute(db)
      : await sql<{
          a: number;
          b: string | null;
          c: number;
        }>`SELECT value->>0 AS a, value->>1 AS b, value->>2 AS c FROM json_each(CAST(${w.blob()} AS TEXT))`.execute(db);
    expect(read.rows.map((r) => [Number(r.a), r.b, String(r.c)])).toEqual(rows.map(([a, b, c]) => [a, b, String(c)]));
  });
});
