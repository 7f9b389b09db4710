import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { isPostgres } from './db.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('indexes', (t) => {
  it('finds an invitation by its outbox row through the partial outbox index (which leaves out every NULL)', async () => {
    const db = t().ctx.db;
    const plan = await db.transaction().execute(async (trx) => {
      if (isPostgres(trx)) {
        // An empty table would be scanned whatever the indexes: ask whether the index can answer.
        await sql`SET LOCAL enable_seqscan = off`.execute(trx);
        const r = await sql<{
          'QUERY PLAN': string;
        }>`EXPLAIN UPDATE membership SET email_status = 'sent' WHERE email_outbox_id = ${7}`.execute(trx);
        return r.rows.map((x) => x['QUERY PLAN']).join('\n');
      }
      const r = await sql<{
        detail: string;
      }>`EXPLAIN QUERY PLAN UPDATE membership SET email_status = 'sent' WHERE email_outbox_id = ${7}`.execute(trx);
      return r.rows.map((x) => x.detail).join('\n');
    });
    expect(plan).toContain('membership_email_outbox_idx');
    const definition = isPostgres(db)
      ? (
          await sql<{
            indexdef: string;
          }>`SELECT indexdef FROM pg_indexes WHERE indexname = 'membership_email_outbox_idx'`.execute(db)
        ).rows[0]?.indexdef
      : (
          await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE name = 'membership_email_outbox_idx'`.execute(
            db,
          )
        ).rows[0]?.sql;
    expect(definition?.toLowerCase()).toMatch(/where\s+\(?"?email_outbox_id"? is not null/);
  });
});
