/**
 * PostgreSQL goes away under a running app and worker, on a server of the test's own (never the
 * shared one): requests answer 503 with Retry-After, readiness is 503 then 200, nothing crashes,
 * and a data job in flight finishes with exactly the counts its dry run gave. A process started
 * while the database is down waits, then serves.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../app.js';
import { createRuntime, type Runtime } from '../bootstrap.js';
import { adminCookie, invitationsAgainstLog, logTotals, mixedInviteCsv, upload } from '../data-tools/test-support.js';
import { generateSite } from '../demo/generate.js';
import { processDataJob } from '../data-tools/engine/process.js';
import type { JobHandlerMap } from '../jobs/job-handler.js';
import { startWorker } from '../jobs/worker.js';
import { registries } from '../modules.js';
import { fromOwnPages } from '../testing/test-app.js';
import { createInstanceDatabase, findPgBinDir, type PgInstance, startPgInstance } from '../testing/pg-instance.js';
import { testConfig } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';

const binDir = findPgBinDir();
if (!binDir && process.env.REQUIRE_POSTGRES)
  throw new Error(
    'REQUIRE_POSTGRES is set but there are no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin',
  );
const suite = binDir
  ? 'PostgreSQL restarts under a running app and worker'
  : 'PostgreSQL restarts (skipped: no initdb/pg_ctl under /usr/lib/postgresql/*/bin to start a server of its own)';
const rows = 20_000;
const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/convene.js');

describe.skipIf(!binDir)(suite, () => {
  let instance: PgInstance;
  let url: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  let stopWorker: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    instance = await startPgInstance(binDir!);
    url = await createInstanceDatabase(instance, 'convene');
    runtime = await createRuntime(testConfig(url), { migrate: true });
    app = await build(runtime.ctx, { webRoot: null });
    await app.ready();
    app = fromOwnPages(app, new URL(runtime.ctx.config.publicUrl).origin);
  });
  afterAll(async () => {
    await stopWorker?.();
    await app?.close();
    await runtime?.close();
    await instance?.destroy();
  });

  it('answers 503 while the database restarts, then finishes the job in flight with exact counts', async () => {
    const ctx = runtime.ctx;
    const { cookie } = await adminCookie(ctx);
    const site = await generateSite(ctx.db, { people: 5_000, communities: 10, seed: 11 });
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
    const dryRun = mapped.json().dryRun as { outcomes: Record<string, number>; reasons: Record<string, number> };

    // The product's handler in small batches, so that the restart lands in the middle of the job;
    // a short lease, so that a job whose lease ran out during the outage is taken over quickly.
    const jobHandlers: JobHandlerMap = {
      ...registries.jobHandlers,
      'data_jobs.process': async (c, payload, run) => {
        await processDataJob(c, payload.dataJobId, { signal: run.signal, heartbeat: run.heartbeat, batchSize: 500 });
      },
    };
    stopWorker = await startWorker(
      ctx,
      { ...registries, jobHandlers },
      { jobs: { leaseMs: 3_000, pollMs: 50 }, email: { pollMs: 200 } },
    );
    const started = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
    expect(started.statusCode).toBe(200);
    const processed = async () =>
      Number(
        (await ctx.db.selectFrom('data_job').select('processed_rows').where('id', '=', id).executeTakeFirstOrThrow())
          .processed_rows,
      );
    const before = await waitFor(
      async () => {
        const p = await processed();
        return p > 0 && p;
      },
      { what: 'the job to be under way', intervalMs: 15 },
    );
    expect(before).toBeLessThan(rows);

    await instance.stop();
    const during = await app.inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } });
    expect(during.statusCode).toBe(503);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.json().error.code).toBe('database_unavailable');
    const notReady = await app.inject('/readyz');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().error.code).toBe('database_unavailable');
    expect((await app.inject('/healthz')).statusCode).toBe(200);

    await instance.start();
    await waitFor(async () => (await app.inject('/readyz')).statusCode === 200, {
      what: 'readiness after the restart',
      intervalMs: 50,
    });
    const job = await waitFor(
      async () => {
        const res = await app.inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } });
        if (res.statusCode !== 200) return undefined;
        const body = res.json<{ status: string; progress: unknown; counters: unknown }>();
        return ['completed', 'failed'].includes(body.status) && body;
      },
      { what: 'the job to finish after the restart', intervalMs: 100 },
    );
    expect(job.status).toBe('completed');
    expect(job.progress).toMatchObject({ done: rows, total: rows });
    const { outcomes, reasons, rows: logged } = await logTotals(ctx, id);
    expect(logged).toBe(rows);
    expect(job.counters).toEqual({ outcomes, reasons });
    expect({ outcomes: dryRun.outcomes, reasons: dryRun.reasons }).toEqual({ outcomes, reasons });
    const invitations = await ctx.db
      .selectFrom('membership')
      .select(sql<number>`count(*)`.as('n'))
      .where('data_job_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(invitations.n)).toBe(outcomes.invited);
    expect(await invitationsAgainstLog(ctx, id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
  }, 240_000);

  it('a process started while the database is down says so, waits, then serves', async () => {
    await instance.stop();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let output = '';
    const proc: ChildProcess = spawn(process.execPath, [cli, 'serve', '--no-worker'], {
      env: {
        PATH: process.env.PATH,
        // 'test' silences the log, and the waiting line is what is checked
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        DATABASE_URL: url,
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
        DATA_DIR: os.tmpdir(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => output.includes('the database is not reachable yet') || proc.exitCode !== null, {
        what: () => `the waiting line (output so far: ${output})`,
      });
      expect(proc.exitCode).toBeNull();
      expect(output.match(/not reachable yet/g)).toHaveLength(1);
      expect(output).not.toMatch(/\n\s+at /);

      await instance.start();
      const ready = await waitFor(
        async () => {
          if (proc.exitCode !== null) throw new Error(`the process exited: ${output}`);
          const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
          return res?.status === 200 && res;
        },
        { what: 'the late-started process to serve', intervalMs: 100 },
      );
      expect(await ready.json()).toEqual({ ok: true, database: 'postgres' });
    } finally {
      proc.kill('SIGTERM');
      await exited;
    }
  }, 180_000);

  it('does not wait for a database that answers with a refusal (a misconfiguration)', async () => {
    await expect(createRuntime(testConfig(instance.urlOf('no_such_database')))).rejects.toMatchObject({
      code: '3D000',
    });
  });
});
