/**
 * SQLite's look-up. On the caller's connection: the statement, slice by slice. Beside it: a
 * look-up thread (lookup-thread.js, its own read-only connection) takes each half of a large dry
 * run, or a run's next batch while the current one writes, so that the job uses both cores.
 */
import type { DbOrTrx } from '../../db/db.js';
import type { AheadLookup, InviteLookup, LookupRange, ResolvedRow } from './lookup.js';
import { lookupQuery, lookupStatementText, readDirectoryVersion } from './lookup.repository.js';
import { toResolvedRow } from './row-packing.js';
import { type LookupRequest, LookupThread, sqliteFileOf, walCheckpoints } from './start-lookup-thread.js';

function threadRequest(db: DbOrTrx, range: LookupRange): LookupRequest {
  return {
    dataJobId: range.dataJobId,
    keyType: range.mapping.keyType,
    sql: lookupStatementText(db, range),
    from: range.from,
    to: range.to,
  };
}

export const sqliteLookup: InviteLookup = {
  async resolve(db, range): Promise<ResolvedRow[]> {
    const rows = await db.executeQuery(lookupQuery(db, range));
    // Looked up in key order: back to row order.
    return rows.rows.map((r) => toResolvedRow(r, range.mapping.keyType)).sort((a, b) => a.rowNumber - b.rowNumber);
  },

  // One connection: better-sqlite3 answers one statement at a time.
  slicesAtOnce: () => 1,

  async lookUpBeside(ctx, range) {
    const file = sqliteFileOf(ctx);
    if (!file) return null;
    const thread = new LookupThread(file);
    return thread
      .lookUp(threadRequest(ctx.db, range))
      .then((r) => r.rows)
      .finally(() => thread.close());
  },

  async openAhead(ctx, db): Promise<AheadLookup | null> {
    const file = sqliteFileOf(ctx);
    if (!file) return null;
    await walCheckpoints.hold(db);
    const thread = new LookupThread(file);
    return {
      lookUp: (range) => thread.lookUp(threadRequest(ctx.db, range)),
      // The thread's snapshot is older than the batch's transaction: its answer holds only if
      // nothing that can change a look-up was committed in between (the directory version).
      stillHolds: async (db, ahead) => (await readDirectoryVersion(db)) === ahead.version,
      // The WAL is checkpointed on the thread, off the writer's path (see walCheckpoints).
      afterCommit: () => void thread.checkpoint().catch(() => {}),
      async close() {
        await thread.close();
        await walCheckpoints.release(ctx.db);
      },
    };
  },
};
