/** For PostgreSQL concurrency tests: see that another connection is waiting on a lock. */
import { sql } from 'kysely';
import type { Db } from '../db/db.js';

/** Resolves once a backend of this database waits on a lock while running a query that starts with `queryStart`. */
export async function waitUntilBlocked(db: Db, queryStart: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE ${`${queryStart}%`}`.execute(db);
    if (r.rows[0]?.n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no backend waited on a lock running "${queryStart}…" within ${timeoutMs} ms`);
}
