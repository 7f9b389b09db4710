/**
 * CSV parse alone (target ≥ 500,000 rows/s): the upload's reader — byte checks (magic
 * numbers, binary, UTF-8, quote parity) and csv-parse — over the data job's 1,000,000-row invite
 * CSV streamed from disk, records handed on in staging batches (JSON text) and dropped. No database.
 * Three runs; the median is the figure.
 */
import fs from 'node:fs';
import { readCsv } from '../../src/server/data-tools/upload/csv-reader.js';
import { round, type BenchFigure } from '../lib/figures.js';
import { inviteCsv } from './data-job.js';

export async function run(): Promise<BenchFigure[]> {
  const { file, rows } = inviteCsv();
  const seconds: number[] = [];
  for (let i = 0; i < 3; i++) {
    let seen = 0;
    const started = performance.now();
    const result = await readCsv(
      fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      { maxBytes: 200 * 1024 * 1024, maxRows: 2_000_000 },
      () => true,
      async (_first, records) => {
        seen += records.count;
      },
    );
    seconds.push((performance.now() - started) / 1000);
    if (seen !== rows || result.records !== rows) throw new Error(`parsed ${seen} records, expected ${rows}`);
  }
  const median = [...seconds].sort((a, b) => a - b)[1] ?? 0;
  return [
    {
      name: 'csv_parse.rows_per_s',
      value: Math.round(rows / median),
      unit: 'rows/s',
      db: 'none',
      note: `median of 3 runs over ${rows} rows, target ≥ 500,000`,
    },
    { name: 'csv_parse.s', value: round(median), unit: 's', db: 'none' },
  ];
}
