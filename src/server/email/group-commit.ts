/**
 * Group commit: pieces of work submitted while a transaction is committing run together in the
 * next one. Each caller still waits for its own commit, so nothing is reported done before it is
 * durable. On SQLite (WAL, synchronous=FULL) every commit is an fsync, which bounds the sender at
 * a few hundred emails per second; sharing commits among the parallel lanes lifts that bound.
 */
import type { Db, DbOrTrx } from '../db/db.js';

type Work = (trx: DbOrTrx) => Promise<void>;

export function groupCommitter(db: Db): (work: Work) => Promise<void> {
  let pending: { work: Work; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let flushing = false;
  const flush = async (): Promise<void> => {
    flushing = true;
    // Let the lanes that finish in this turn of the event loop join the first group.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (pending.length) {
      const group = pending;
      pending = [];
      try {
        await db.transaction().execute(async (trx) => { for (const item of group) await item.work(trx); });
        for (const item of group) item.resolve();
      } catch (error) {
        // One failure rolls back the group: every member is told, and none is recorded.
        for (const item of group) item.reject(error);
      }
    }
    flushing = false;
  };
  return (work) => new Promise<void>((resolve, reject) => {
    pending.push({ work, resolve, reject });
    if (!flushing) void flush();
  });
}
