/**
 * SQLite only: a data job whose batch the full disk refuses stops as failed-and-resumable with
 * the cause (errorCode storage_full), keeps exactly what earlier batches committed, and, resumed
 * once there is space, finishes with the counts of a clean run (the dry run's). The full disk is
 * made for real, as in db/storage-full.test.ts: `PRAGMA max_page_count` caps the file a few pages
 * above its size.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateSite } from '../demo/generate.js';
import { runNextJob } from '../jobs/runner.js';
import { buildTestApp } from '../testing/test-app.js';
import { createTestRuntime, type TestRuntime } from '../testing/test-db.js';
import { processDataJob, processDataJobHandler } from './engine/process.js';
import { adminCookie, invitationsAgainstLog, logTotals, mixedInviteCsv, upload } from './test-support.js';

const rows = 6_000;
const batchSize = 500;

describe('SQLite disk full during a data job', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  beforeAll(async () => {
    rt = await createTestRuntime('sqlite');
    app = await buildTestApp(rt);
  });
  afterAll(async () => {
    await app.close();
    await rt.close();
  });

  it('stops the job as failed and resumable with the cause, nothing half-written; resumed, it ends with a clean run’s counts (SQLite)', async () => {
    const ctx = rt.ctx;
    const { cookie } = await adminCookie(ctx);
    const site = await generateSite(ctx.db, { people: 2_000, communities: 6, seed: 11 }, ctx.clock.now());
    const file = await mixedInviteCsv(ctx, site, rows);
    const up = await upload(app, cookie, { type: 'invite_to_community', file });
    expect(up.statusCode).toBe(201);
    const id = up.json().id as number;
    const mapped = await app.inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    });
    expect(mapped.statusCode).toBe(200);
    const clean = { outcomes: mapped.json().dryRun.outcomes, reasons: mapped.json().dryRun.reasons };
    const started = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
    expect(started.statusCode).toBe(200);
    const read = async () => (await app.inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } })).json();

    // Room for a few batches of invitations, not for the whole job.
    await sql`VACUUM`.execute(ctx.db);
    const { page_count: pages } = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(ctx.db)).rows[0];
    await sql.raw(`PRAGMA max_page_count = ${pages + 60}`).execute(ctx.db);

    expect(await processDataJob(ctx, id, { batchSize })).toBe('failed');
    const stopped = await read();
    expect(stopped).toMatchObject({
      status: 'failed',
      errorCode: 'storage_full',
      resumable: true,
      error: expect.stringMatching(/disk is full.*resume/),
    });
    // Some batches were saved, the refused one not at all: the counters, the log and the
    // invitations agree with each other and stop at a batch boundary.
    const done = stopped.progress.done as number;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(rows);
    expect(done % batchSize).toBe(0);
    const partial = await logTotals(ctx, id);
    expect(partial.rows).toBe(done);
    expect(stopped.counters).toEqual({ outcomes: partial.outcomes, reasons: partial.reasons });
    // Every saved row has its result or its invitation; only the rows not yet done have neither.
    expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: rows - done, doubled: 0, strays: 0 });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(507);

    // Space again: the admin resumes it, a worker picks it up where it stopped and finishes it.
    await sql.raw(`PRAGMA max_page_count = ${pages * 100}`).execute(ctx.db);
    const resumed = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/resume`, headers: { cookie } });
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json()).toMatchObject({ status: 'queued', error: null, errorCode: null, resumable: false });
    const handlers = { 'data_jobs.process': processDataJobHandler };
    expect(await runNextJob(ctx, { handlers, workerId: 'after-the-disk-full' })).toBe(true);

    const finished = await read();
    expect(finished).toMatchObject({ status: 'completed', error: null, progress: { done: rows, total: rows } });
    const { outcomes, reasons, rows: logged } = await logTotals(ctx, id);
    expect(logged).toBe(rows);
    expect({ outcomes, reasons }).toEqual(clean);
    expect(finished.counters).toEqual(clean);
    expect(outcomes.invited).toBeGreaterThan(done);
    expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
    const invitations = await ctx.db
      .selectFrom('membership')
      .select(sql<number>`count(*)`.as('n'))
      .where('data_job_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(invitations.n)).toBe(outcomes.invited);

    // Only a job a full disk stopped can be resumed.
    const again = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/resume`, headers: { cookie } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'job_state', message: expect.stringMatching(/completed/) });
  });
});
