/** For PostgreSQL concurrency tests: see that another connection is waiting on a lock. */
import { sql } from 'kysely';
import type { Db } from '../db/db.js';
import { waitFor } from './wait-for.js';

/** Resolves once a backend of this database waits on a lock while running a query that starts with `queryStart`. */
export async function waitUntilBlocked(db: Db, queryStart: string): Promise<void> {
  await waitFor(
    async () => {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE ${`${queryStart}%`}`.execute(
        db,
      );
      return Boolean(r.rows[0]?.n);
    },
    { what: `a backend waiting on a lock while running "${queryStart}…"`, intervalMs: 50 },
  );
}
