/**
 * Fault test, with real `convene worker` processes: a feed file is dropped while two workers
 * scan the folder; the one holding the file's work is SIGKILLed, once while it reads the file
 * into a Data Tools job (`feeds.take`: upload and dry run), once in the middle of the job
 * (`data_jobs.process`). Each time the file is run once (one run, one job), the survivor takes
 * the work over when its lease runs out and ends the job with the dry run's counts, no invitation
 * is made twice, and the survivor's later scans take nothing more. A short JOB_LEASE_MS keeps the
 * take-over within seconds. On SQLite the two workers share one database file, taking turns at
 * its write lock (SQLITE_BUSY_TIMEOUT_MS) as a `serve` and a `worker` do.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { adminCookie, invitationsAgainstLog, logTotals, mixedInviteCsv } from '../data-tools/test-support.js';
import { type GeneratedSite, generateSite } from '../demo/generate.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { waitFor } from '../testing/wait-for.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/convene.js');
const rows = 60_000;
const leaseMs = 3_000;

interface Worker {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

function startWorker(databaseUrl: string, env: Record<string, string>): Worker {
  let output = '';
  const proc = spawn(process.execPath, [cli, 'worker'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      DATA_DIR: os.tmpdir(),
      JOB_LEASE_MS: String(leaseMs),
      DATA_JOB_BATCH_MS: '20',
      FEED_SCAN_INTERVAL_MS: '1000',
      FEED_STABLE_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, output: () => output };
}

type KillWhen = 'take' | 'process';

describeEachDb('feeds: a dropped file with two workers and a SIGKILL', (t) => {
  const app = useTestApp(t);
  let site: GeneratedSite | undefined;

  /** Drops a file, kills the worker holding its work at `when`, and checks the run's end. */
  async function dropAndKill(when: KillWhen): Promise<void> {
    const ctx = t().ctx;
    t().clock.set(Date.now());
    const { cookie } = await adminCookie(ctx);
    site ??= await generateSite(ctx.db, { people: 10_000, communities: 20, seed: 11 });
    // each case invites into its own half of the communities, so both invite most rows
    const half = when === 'take' ? site.communityIds.slice(0, 10) : site.communityIds.slice(10);
    const csv = await mixedInviteCsv(ctx, { ...site, communityIds: half }, rows);
    const fileName = `invites-${when}.csv`;
    const created = await app().inject({
      method: 'POST',
      url: '/api/admin/feeds',
      headers: { cookie },
      payload: {
        name: `Nightly invitations (${when})`,
        type: 'invite_to_community',
        folder: `crash-${when}`,
        mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
        notify: 'never',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const feedId = created.json().feed.id as number;

    const env = { FEEDS_DIR: ctx.config.feedsDir, SECRET: ctx.config.secret };
    const workers = [startWorker(t().databaseUrl, env), startWorker(t().databaseUrl, env)];
    try {
      // Renamed into place, as an SFTP client does, so it is whole when it appears.
      const folder = path.join(ctx.config.feedsDir, `crash-${when}`);
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(path.join(folder, `${fileName}.part`), csv);
      await fs.rename(path.join(folder, `${fileName}.part`), path.join(folder, fileName));

      const alive = () => {
        for (const w of workers) if (w.proc.exitCode !== null) throw new Error(`a worker exited: ${w.output()}`);
      };
      const runs = () =>
        ctx.db.selectFrom('feed_file').selectAll().where('feed_id', '=', feedId).orderBy('id').execute();
      const dataJob = async () => {
        const [run] = await runs();
        if (!run?.data_job_id) return undefined;
        return ctx.db
          .selectFrom('data_job')
          .select(['id', 'status', 'uploading', 'processed_rows', 'dry_run'])
          .where('id', '=', run.data_job_id)
          .executeTakeFirst();
      };

      // take: the file is being read into its job (uploading) or dry-run; process: the job is in
      // flight, some rows done and the batch after them under way.
      const inFlight = await waitFor(
        async () => {
          alive();
          const [run] = await runs();
          const job = await dataJob();
          if (!run || !job) return undefined;
          if (when === 'take') return run.status === 'taking' && job.status === 'uploaded' ? run : undefined;
          return job.status === 'running' && Number(job.processed_rows) > 0 ? run : undefined;
        },
        { what: `the feed’s file to be in ${when === 'take' ? 'feeds.take' : 'its data job'}`, intervalMs: 10 },
      );
      const dedupeKey = when === 'take' ? `feeds.take:${inFlight.id}` : `data_job:${inFlight.data_job_id}`;
      const holder = await ctx.db
        .selectFrom('job')
        .select(['locked_by', 'state'])
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirstOrThrow();
      expect(holder.state).toBe('running');
      const victim = workers.find((w) => holder.locked_by?.includes(`:${w.proc.pid}:`));
      expect(victim, `the job's holder ${holder.locked_by} is one of the two workers`).toBeDefined();
      victim!.proc.kill('SIGKILL');
      await victim!.exited;
      if (when === 'process') expect(Number((await dataJob())?.processed_rows)).toBeLessThan(rows);
      const survivor = workers.find((w) => w !== victim)!;

      const finished = await waitFor(
        async () => {
          if (survivor.proc.exitCode !== null) throw new Error(`the survivor exited: ${survivor.output()}`);
          const [run] = await runs();
          return run?.status === 'finished' ? run : undefined;
        },
        { what: 'the survivor to finish the job and settle the run', intervalMs: 100 },
      );
      // The survivor's next two scans see the file again and take nothing.
      const scansAfter = async () =>
        Number(
          (
            await ctx.db
              .selectFrom('job')
              .select(sql<number>`count(*)`.as('n'))
              .where('name', '=', 'feeds.scan')
              .where('state', '=', 'completed')
              .where('updated_at', '>', Number(finished.finished_at))
              .executeTakeFirstOrThrow()
          ).n,
        );
      await waitFor(async () => (await scansAfter()) >= 2, { what: 'two more scans', intervalMs: 100 });

      const all = await runs();
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ name: fileName, status: 'finished', error: null });
      const jobs = await ctx.db
        .selectFrom('data_job')
        .select(sql<number>`count(*)`.as('n'))
        .where('file_name', '=', fileName)
        .executeTakeFirstOrThrow();
      expect(Number(jobs.n)).toBe(1);
      const job = (await dataJob())!;
      expect(job.status).toBe('completed');
      const { outcomes, reasons, rows: logged } = await logTotals(ctx, job.id);
      expect(logged).toBe(rows);
      const dryRun = JSON.parse(job.dry_run ?? '{}') as { outcomes: unknown; reasons: unknown };
      expect({ outcomes, reasons }).toEqual({ outcomes: dryRun.outcomes, reasons: dryRun.reasons });
      expect(outcomes.invited).toBeGreaterThan(rows / 2);
      expect(await invitationsAgainstLog(ctx, job.id)).toEqual({ unbacked: 0, doubled: 0, strays: 0 });
      const invitations = await ctx.db
        .selectFrom('membership')
        .select(sql<number>`count(*)`.as('n'))
        .where('data_job_id', '=', job.id)
        .executeTakeFirstOrThrow();
      expect(Number(invitations.n)).toBe(outcomes.invited);
      const queue = await ctx.db
        .selectFrom('job')
        .select(['state', 'attempts'])
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirstOrThrow();
      // Taken over once its lease ran out: a second attempt, the survivor's.
      expect(queue).toEqual({ state: 'completed', attempts: 2 });
    } finally {
      for (const w of workers) w.proc.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
    }
  }

  it('killed while it reads the file into its job: run once, with the dry run’s counts, and not taken again', async () => {
    await dropAndKill('take');
  }, 240_000);

  it('killed in the middle of the job: run once, with the dry run’s counts, nobody invited twice, and not taken again', async () => {
    await dropAndKill('process');
  }, 240_000);
});
