// SQLite's look-up thread: looks ranges of staged rows up on its own read-only connection while
// the main thread does other work — each half of a large dry run on a thread of its own while
// the main thread decides, and during a run the next batch while the current one writes — so
// that the two cores share the job. Each request is answered with the rows packed in typed arrays
// (transferred, not copied) and the directory version its snapshot saw. During a run it also
// checkpoints the WAL after each batch, off the writer's thread. Started by
// start-lookup-thread.ts. Plain JavaScript: a thread that loaded the TypeScript loader would
// carry the loader's memory too; the statement comes in the requests (lookup.repository.ts), the
// row checks from row-packing.js.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { packRows, toResolvedRow } from './row-packing.js';

/** workerData: { file, versionSql, personStatuses, membershipStates } */
const { file, versionSql, personStatuses, membershipStates } = workerData;
const db = new Database(file, { fileMustExist: true });
db.pragma('query_only = ON');
db.pragma('cache_size = -4096');
db.pragma('busy_timeout = 5000');
const statements = new Map();
/** Rows per look-up statement. */
const slice = 50_000;

function prepared(text) {
  let statement = statements.get(text);
  if (!statement) statements.set(text, (statement = db.prepare(text)));
  return statement;
}

function lookUp(request) {
  const statement = prepared(request.sql);
  const packed = packRows(request.to - request.from + 1, personStatuses, membershipStates);
  let n = 0;
  // One read transaction: every slice, and the version, come from the same snapshot.
  db.exec('BEGIN');
  try {
    const seen = prepared(versionSql).get()?.version ?? -1;
    // Rows come in key order (lookup.repository.ts): each is placed by its row number. Larger slices
    // walk the person index in fewer passes; iterate() holds one row at a time.
    for (let a = request.from; a <= request.to; a += slice) {
      for (const row of statement.iterate(request.dataJobId, a, Math.min(request.to, a + slice - 1))) {
        packed.put(row.rn - request.from, toResolvedRow(row, request.keyType));
        n++;
      }
    }
    parentPort.postMessage(
      {
        id: request.id,
        rows: {
          count: n,
          first: request.from,
          communityIds: packed.communityIds,
          flags: packed.flags,
          personIds: packed.personIds,
          statuses: packed.statuses,
          states: packed.states,
        },
        version: seen,
      },
      packed.buffers(),
    );
  } finally {
    db.exec('COMMIT');
  }
}

/** Copies committed pages from the WAL into the database file (the run's writer leaves it to this thread). */
function checkpoint(id) {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ id, checkpointed: r?.checkpointed ?? 0 });
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (message.checkpoint) checkpoint(message.id);
    else lookUp(message);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
