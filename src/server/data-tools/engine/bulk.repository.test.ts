import { expect, it } from 'vitest';
import { describeEachDb } from '../../testing/test-db.js';
import { insertRows } from './bulk.repository.js';

describeEachDb('bulk inserts', (t) => {
  it('writes more rows than one statement carries, and answers every row a RETURNING names', async () => {
    const db = t().ctx.db;
    const n = 25_001;
    const rows = Array.from({ length: n }, (_, i) => [i + 1, i % 3 ? 'invited' : 'skipped']);
    const returned: unknown[] = [];
    let statements = 0;
    await db.transaction().execute((trx) =>
      insertRows(
        trx,
        'data_job_result',
        [
          { name: 'row_number', type: 'int' },
          { name: 'outcome', type: 'text' },
        ],
        rows,
        {
          tail: 'RETURNING row_number',
          constants: [{ name: 'data_job_id', type: 'int', value: 77 }],
          onReturned: (r) => {
            statements++;
            for (const x of r) returned.push(x);
          },
        },
      ),
    );
    expect(statements).toBe(3);
    expect(returned).toHaveLength(n);
    expect((returned as { row_number: number }[]).reduce((sum, r) => sum + r.row_number, 0)).toBe((n * (n + 1)) / 2);
    const counts = await db
      .selectFrom('data_job_result')
      .select(['outcome', db.fn.countAll<number>().as('n')])
      .where('data_job_id', '=', 77)
      .groupBy('outcome')
      .orderBy('outcome')
      .execute();
    expect(counts.map((c) => [c.outcome, Number(c.n)])).toEqual([
      ['invited', 16_667],
      ['skipped', 8_334],
    ]);
  });

  it('refuses a row whose values do not match the columns, before writing anything', async () => {
    const db = t().ctx.db;
    const columns = [
      { name: 'row_number', type: 'int' },
      { name: 'outcome', type: 'text' },
    ] as const;
    await expect(
      db.transaction().execute((trx) =>
        insertRows(
          trx,
          'data_job_result',
          columns,
          [
            [1, 'invited'],
            [2, 'skipped', 'extra'],
          ],
          {
            constants: [{ name: 'data_job_id', type: 'int', value: 78 }],
          },
        ),
      ),
    ).rejects.toThrow('insertRows: a row of 3 values for 2 columns.');
    const written = await db.selectFrom('data_job_result').select('row_number').where('data_job_id', '=', 78).execute();
    expect(written).toEqual([]);
  });
});
