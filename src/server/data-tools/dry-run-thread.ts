/**
 * The invite dry run's second thread (SQLite): looks a range of staged rows up on its own
 * read-only connection while the main thread looks up the rest, so that the two cores share the
 * work. Answers the rows packed in typed arrays (transferred, not copied). Started by
 * dry-run-thread.js, which registers the TypeScript loader first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Mapping } from './mapping.js';
import { packRows, sqliteLookupText, toResolved, type LookedUp } from './invite-lookup.js';

export interface DryRunThreadInput {
  readonly file: string;
  readonly dataJobId: number;
  readonly mapping: Mapping;
  readonly from: number;
  readonly to: number;
}

const input = workerData as DryRunThreadInput;
const db = new Database(input.file, { fileMustExist: true });
try {
  db.pragma('query_only = ON');
  db.pragma('cache_size = -4096');
  const statement = db.prepare(sqliteLookupText(input.mapping, true));
  const packed = packRows(input.to - input.from + 1);
  let n = 0;
  // One read transaction: every slice sees the same snapshot.
  db.exec('BEGIN');
  for (let a = input.from; a <= input.to; a += 10_000) {
    for (const row of statement.all(input.dataJobId, a, Math.min(input.to, a + 9_999)) as LookedUp[]) packed.put(n++, toResolved(row, input.mapping));
  }
  db.exec('COMMIT');
  parentPort?.postMessage({ count: n, rowNumbers: packed.rowNumbers, communityIds: packed.communityIds, flags: packed.flags,
    personIds: packed.personIds, statuses: packed.statuses, states: packed.states }, packed.buffers());
} finally {
  db.close();
}
