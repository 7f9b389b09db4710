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
        await db.transaction().execute(async (trx) => {
          for (const item of group) await item.work(trx);
        });
        for (const item of group) item.resolve();
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        // One failure rolled the group back: retry each member alone, so that one bad outcome
        // does not leave the others unrecorded (and their emails sent again after the lease).
        for (const item of group) {
          try {
            await db.transaction().execute((trx) => item.work(trx));
            item.resolve();
          } catch (own) {
            item.reject(own);
          }
        }
      }
    }
    flushing = false;
  };
  return (work) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ work, resolve, reject });
      if (!flushing) void flush();
    });
}
