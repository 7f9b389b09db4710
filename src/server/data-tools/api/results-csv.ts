/** The job log as CSV, streamed page by page: header, then one line per data row. */
import { Readable } from 'node:stream';
import { dataJobReasonInWords } from '../../../shared/data-job-words.js';
import { csvLine } from '../../http/csv.js';
import type { AppContext } from '../../context.js';
import type { DataJobRow } from '../../db/schema.js';
import { listResults } from '../engine/data-job.repository.js';
import { logScope } from '../engine/process.js';

const pageSize = 5_000;

export function resultsCsvStream(ctx: AppContext, job: DataJobRow): Readable {
  const columns = JSON.parse(job.columns) as string[];
  const scope = logScope(job);
  async function* lines(): AsyncGenerator<string> {
    yield `\uFEFF${csvLine(['Row', ...columns, 'Outcome', 'Reason', 'Reason in words'])}`;
    let afterRow = 0;
    for (;;) {
      const rows = await listResults(ctx.db, scope, { afterRow, limit: pageSize, invitations: false });
      if (!rows.length) return;
      let chunk = '';
      for (const r of rows) {
        const values = r.values ? (JSON.parse(r.values) as string[]) : [];
        const padded = columns.map((_, i) => values[i] ?? '');
        const words = r.reason ? dataJobReasonInWords(r.reason, r.duplicate_of) : '';
        chunk += csvLine([r.row_number, ...padded, r.outcome, r.reason ?? '', words]);
      }
      yield chunk;
      afterRow = rows[rows.length - 1].row_number;
    }
  }
  return Readable.from(lines());
}
