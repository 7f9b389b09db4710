/**
 * SQLite's bulk membership writes with the funnel counted set-based (their caller counts, the
 * row trigger is off meanwhile) against the row triggers, A/B in one run on fresh databases
 * alike: Data Tools' upsert of `FUNNEL_BULK_ROWS` invitations (default 200,000, ten communities),
 * its undo, and the expiry sweep's catch-up over all of them. Each variant checks that the
 * counters end identical. PostgreSQL's statement triggers are not affected (no figures).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb } from '../../src/server/db/db.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { sweepExpiredInvitations } from '../../src/server/invitations/invitation-expiry.service.js';
import type { AppContext } from '../../src/server/context.js';
import { setFunnelCountingSetBased } from '../../src/server/memberships/funnel-bulk.repository.js';
import { deleteOpenInvitationsOfJob, upsertDataJobInvitations } from '../../src/server/memberships/index.js';
import { insertPeople } from '../../src/server/testing/bulk-people.js';
import { type BenchFigure, round } from '../lib/figures.js';

const ROWS = Number(process.env.FUNNEL_BULK_ROWS ?? 200_000);
const NOW = Date.UTC(2027, 0, 15, 12);

async function variant(setBased: boolean): Promise<{ times: Record<string, number>; counters: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-funnel-bulk-'));
  const handle = createDb(`sqlite:${path.join(dir, 'bench.db')}`);
  const db = handle.db;
  setFunnelCountingSetBased(setBased);
  try {
    await migrateToLatest(db);
    const communities: number[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await db
        .insertInto('community')
        .values({
          name: `Bench ${i}`,
          slug: `bench-${i}`,
          headline: '',
          description: '',
          privacy: 'public',
          created_at: NOW,
          updated_at: NOW,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      communities.push(Number(c.id));
    }
    await insertPeople(db, { prefix: 'fb', count: ROWS, statuses: ['active'], now: NOW });
    const ids = (await sql<{ id: number }>`SELECT id FROM person WHERE unique_id LIKE 'fb-%' ORDER BY id`.execute(db))
      .rows;
    const items = ids.map((p, i) => [communities[i % 10] as number, Number(p.id), 'not_sent' as const, i + 1] as const);
    const constants = { invitedBy: null, dataJobId: 1, now: NOW, expiresAt: NOW + 1000 };
    const invite = () =>
      db.transaction().execute((trx) =>
        upsertDataJobInvitations(
          trx,
          items,
          (x) => x,
          constants,
          () => {},
        ),
      );
    const times: Record<string, number> = {};
    const time = async (name: string, work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      times[name] = performance.now() - started;
    };
    await time('invite', invite);
    await time('undo', () => db.transaction().execute((trx) => deleteOpenInvitationsOfJob(trx, 1)));
    await invite();
    const ctx = { db, clock: { now: () => NOW + 2000 } } as unknown as AppContext;
    await time('expiry_sweep', () => sweepExpiredInvitations(ctx, { tableOrderFrom: 0 }));
    const rows = await sql`SELECT * FROM funnel_counter ORDER BY 1, 2, 3, 4, 5`.execute(db);
    return { times, counters: crypto.createHash('sha256').update(JSON.stringify(rows.rows)).digest('hex') };
  } finally {
    setFunnelCountingSetBased(true);
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchFigure[]> {
  const rowByRow = await variant(false);
  const setBased = await variant(true);
  if (rowByRow.counters !== setBased.counters) throw new Error('the set-based counters differ from the row triggers');
  const note = `${ROWS.toLocaleString('en')} rows`;
  return Object.keys(setBased.times).flatMap((k) => [
    {
      name: `funnel_bulk.${k}_ms.row_triggers`,
      value: round(rowByRow.times[k] ?? 0, 0),
      unit: 'ms',
      db: 'sqlite',
      note,
    },
    { name: `funnel_bulk.${k}_ms.set_based`, value: round(setBased.times[k] ?? 0, 0), unit: 'ms', db: 'sqlite', note },
  ]);
}
