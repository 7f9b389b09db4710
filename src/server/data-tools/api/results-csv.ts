/** The job log as CSV, streamed page by page: header, then one line per data row. */
import { Readable } from 'node:stream';
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { listResults } from '../engine/data-job.repository.js';
import { logScope } from '../engine/process.js';

// = + - @ TAB CR NUL and their full-width forms start a formula in some spreadsheets.
const formulaStart = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One CSV cell: formula-escaped with a leading ', quoted when it holds a comma, quote or line break. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && formulaStart.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const pageSize = 5_000;

export function resultsCsvStream(ctx: AppContext, job: DataJobRow): Readable {
  const columns = JSON.parse(job.columns) as string[];
  const scope = logScope(job);
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(['Row', ...columns, 'Outcome', 'Reason'])}`;
    let afterRow = 0;
    for (;;) {
      const rows = await listResults(ctx.db, scope, { afterRow, limit: pageSize, invitations: false });
      if (!rows.length) return;
      let chunk = '';
      for (const r of rows) {
        const values = r.values ? (JSON.parse(r.values) as string[]) : [];
        const padded = columns.map((_, i) => values[i] ?? '');
        chunk += csvLine([r.row_number, ...padded, r.outcome, r.reason ?? '']);
      }
      yield chunk;
      afterRow = rows[rows.length - 1].row_number;
    }
  }
  return Readable.from(lines());
}
