/**
 * One feed file end to end, in its own process so that its peak RSS is the run's alone: a feed
 * is created through the admin API, the invite CSV is renamed into its folder, and the worker's
 * own steps run it — two scans (see, then take: hash and record), the `feeds.take` job (read
 * into a Data Tools job, dry run, start), the `data_jobs.process` job, and the scan that settles
 * the run. Prints one JSON line of timings on stdout.
 * Usage: node --import tsx bench/lib/feed-child.ts <databaseUrl> <csvPath>
 * BENCH_MEM_TRACE=1 prints a memory sample every 50 ms and after every batch (memory-sampler.ts);
 * DATA_JOB_BATCH_MS sets the batches' time budget; FEED_NO_WATCH=1 leaves out the 100 ms poll of
 * the job's state (the upload / dry run split is then not measured).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { scanFeeds } from '../../src/server/feeds/feed-run.service.js';
import { runNextJob } from '../../src/server/jobs/runner.js';
import { registries } from '../../src/server/modules.js';
import { buildAdmin, sessionCookie } from '../../src/server/testing/factories.js';
import { mallocArenas, processedRows, sampleMemory } from './memory-sampler.js';

const [databaseUrl, csvPath] = process.argv.slice(2);
if (!databaseUrl || !csvPath) throw new Error('usage: feed-child.ts <databaseUrl> <csvPath>');

const publicUrl = 'http://127.0.0.1:3000';
const feedsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'convene-bench-feeds-'));
const config = loadConfig(
  {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: publicUrl,
    FEEDS_DIR: feedsDir,
    // the file is renamed into place, whole: taken at the second look
    FEED_STABLE_MS: '0',
    // a batch's time budget, to compare batch sizes (the product's default otherwise)
    ...(process.env.DATA_JOB_BATCH_MS ? { DATA_JOB_BATCH_MS: process.env.DATA_JOB_BATCH_MS } : {}),
  },
  { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
);
const runtime = await createRuntime(config);
const { ctx } = runtime;
const app = await build(ctx, { webRoot: null });
const admin = await buildAdmin(ctx);
const cookie = await sessionCookie(ctx, admin.id);

const created = await app.inject({
  method: 'POST',
  url: '/api/admin/feeds',
  headers: { cookie, origin: publicUrl },
  payload: {
    name: 'Nightly invitations',
    type: 'invite_to_community',
    folder: 'invites',
    mapping: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    notify: 'every_run',
    // the run is measured, not held for review (the generated site refuses a share of rows)
    reviewAbovePercent: null,
  },
});
if (created.statusCode !== 201) throw new Error(`creating the feed answered ${created.statusCode}: ${created.body}`);
const feedId = (created.json() as { feed: { id: number } }).feed.id;
const folder = path.join(feedsDir, 'invites');
fs.mkdirSync(folder, { recursive: true });
fs.copyFileSync(csvPath, path.join(folder, 'invites.csv.part'));
fs.renameSync(path.join(folder, 'invites.csv.part'), path.join(folder, 'invites.csv'));

const memory = sampleMemory('scan');
// The job's heartbeat runs between its batches: a memory sample there too (the 50 ms timer waits
// for a batch that holds the event loop).
const handlers: typeof registries.jobHandlers = {
  ...registries.jobHandlers,
  'data_jobs.process': (c, payload, job) =>
    registries.jobHandlers['data_jobs.process']!(c, payload, {
      ...job,
      heartbeat: async () => {
        memory.sample(`processed=${await processedRows(c, payload.dataJobId)}`);
        return job.heartbeat();
      },
    }),
};
const worker = { handlers, workerId: 'bench-worker' };
const mb = () => `${Math.round(process.memoryUsage().rss / 1e6)} MB rss`;
const run = () => ctx.db.selectFrom('feed_file').selectAll().where('feed_id', '=', feedId).executeTakeFirst();

/** When the feed's data job was first seen in each status: the take job's phases, to within the poll's 100 ms. */
const seen = new Map<string, number>();
let watching = !process.env.FEED_NO_WATCH;
const watch = (async () => {
  while (watching) {
    const r = await run();
    if (r?.data_job_id) {
      const job = await ctx.db
        .selectFrom('data_job')
        .select(['status', 'uploading'])
        .where('id', '=', r.data_job_id)
        .executeTakeFirst();
      const phase = job && (job.uploading ? 'uploading' : job.status);
      if (phase && !seen.has(phase)) seen.set(phase, performance.now());
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
})();

process.stderr.write(`ready: ${mb()}\n`);
const t0 = performance.now();
const first = await scanFeeds(ctx);
const second = await scanFeeds(ctx);
if (first.waiting !== 1 || second.taken !== 1)
  throw new Error(`the scans did not take the file: ${JSON.stringify({ first, second })}`);
const t1 = performance.now();
process.stderr.write(`scan (hash, record) ${((t1 - t0) / 1000).toFixed(1)} s, ${mb()}\n`);
// feeds.take: read into a job, dry run, start
memory.phase = 'take';
if (!(await runNextJob(ctx, worker))) throw new Error('no feeds.take job was due');
const t2 = performance.now();
const taken = await run();
if (taken?.status !== 'running') throw new Error(`after feeds.take the run is ${JSON.stringify(taken)}`);
process.stderr.write(`feeds.take (upload, dry run, start) ${((t2 - t1) / 1000).toFixed(1)} s, ${mb()}\n`);
// data_jobs.process, and anything else it queues
memory.phase = 'process';
while (await runNextJob(ctx, worker));
const t3 = performance.now();
process.stderr.write(`processing ${((t3 - t2) / 1000).toFixed(1)} s, ${mb()}\n`);
memory.phase = 'settle';
await scanFeeds(ctx);
const t4 = performance.now();
memory.stop();
const arenasAtEnd = mallocArenas();
watching = false;
await watch;
const settled = await run();
if (settled?.status !== 'finished') throw new Error(`the run did not finish: ${JSON.stringify(settled)}`);
const job = await ctx.db
  .selectFrom('data_job')
  .select(['status', 'row_count', 'counters', 'dry_run'])
  .where('id', '=', settled.data_job_id!)
  .executeTakeFirstOrThrow();
await app.close();
await runtime.close();
fs.rmSync(feedsDir, { recursive: true, force: true });
const uploadedAt = seen.get('uploaded') ?? seen.get('mapped') ?? t2;
process.stdout.write(
  `${JSON.stringify({
    rows: Number(job.row_count),
    jobStatus: job.status,
    runStatus: settled.status,
    scanMs: t1 - t0,
    takeMs: t2 - t1,
    uploadMs: uploadedAt - t1,
    dryRunMs: t2 - uploadedAt,
    processMs: t3 - t2,
    settleMs: t4 - t3,
    totalMs: t4 - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    phasePeakMb: memory.peakRssMb,
    phaseHeapMb: memory.peakHeapMb,
    mallocArenas: arenasAtEnd,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    counters: JSON.parse(job.counters) as unknown,
    dryRun: (JSON.parse(job.dry_run ?? '{}') as { outcomes?: unknown }).outcomes,
  })}\n`,
);
