/**
 * One data job end to end, in its own process so that its peak RSS is the job's alone:
 * a listening server, the CSV streamed from disk as a multipart body over HTTP, the mapping
 * (dry run), start, and the processing. Prints one JSON line of timings on stdout.
 * Usage: node --import tsx bench/lib/data-job-child.ts <databaseUrl> <csvPath> (the scenario runs it compiled: compiled.ts)
 * BENCH_MEM_TRACE=1 prints a memory sample every 50 ms and after every batch (memory-sampler.ts);
 * DATA_JOB_BATCH_MS sets the batches' time budget.
 * BENCH_WATCH_PROGRESS=1 polls the job's progress every second from another process while it runs, as the
 * admin's page does (=<path> polls that path instead, such as a page's /api/me), on one kept-alive
 * connection (BENCH_WATCH_CONNECTION=new: a new connection per request, as many health checks do).
 * BENCH_HEAP_PROF=1 prints where the processing's old-generation garbage was allocated (heap-profile.ts).
 */
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { build } from '../../src/server/app.js';
import { createRuntime } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { processDataJob } from '../../src/server/data-tools/engine/process.js';
import { buildAdmin, buildPerson, sessionCookie } from '../../src/server/testing/factories.js';
import { mallocArenas, processedRows, sampleMemory } from './memory-sampler.js';
import { startOldGenerationProfile } from './heap-profile.js';

const [databaseUrl, csvPath, mode] = process.argv.slice(2);
if (!databaseUrl || !csvPath)
  throw new Error('usage: data-job-child.ts <databaseUrl> <csvPath> [--during-load[=<batch rows>]]');
/**
 * --during-load: before processing, print `{"event":"processing","port":…,"cookie":…}` (a member's
 * session) and wait for a line "go" on stdin, so that the parent loads pages from this process
 * before and while the job runs, as in `convene serve` with its worker. `--during-load=<rows>` runs the job in fixed batches of that many rows
 * instead of batches sized by time (the code before them, for comparison).
 */
const duringLoad = mode?.startsWith('--during-load') ?? false;
const fixedBatch = mode?.includes('=') ? Number(mode.split('=')[1]) : undefined;

/** The progress poller (BENCH_WATCH_PROGRESS): GETs a path every second; prints its latencies (ms) as JSON on SIGTERM. */
const pollerScript = `
const http = require('node:http');
const [port, path, cookie, origin] = process.argv.slice(1);
const times = [];
// one kept-alive connection, as a browser's page keeps; a new one per request with "new"
const agent = process.argv[5] === 'new' ? false : new http.Agent({ keepAlive: true, maxSockets: 1 });
const timer = setInterval(() => {
  const from = performance.now();
  http.get({ host: '127.0.0.1', port, path, agent, headers: { cookie, origin } }, (res) => {
    res.resume();
    res.on('end', () => { if (res.statusCode !== 200) process.exit(3); times.push(performance.now() - from); });
  }).on('error', () => process.exit(4));
}, 1000);
process.on('SIGTERM', () => { clearInterval(timer); process.stdout.write(JSON.stringify(times), () => process.exit(0)); });
`;

const publicUrl = 'http://127.0.0.1:3000';
const config = loadConfig(
  {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: publicUrl,
    // a batch's time budget, to compare batch sizes (the product's default otherwise)
    ...(process.env.DATA_JOB_BATCH_MS ? { DATA_JOB_BATCH_MS: process.env.DATA_JOB_BATCH_MS } : {}),
  },
  { secret: 'bench-secret-0123456789abcdef0123456789abcdef', dataDir: os.tmpdir() },
);
const runtime = await createRuntime(config);
const app = await build(runtime.ctx, { webRoot: null });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = (app.server.address() as AddressInfo).port;
const admin = await buildAdmin(runtime.ctx);
const cookie = await sessionCookie(runtime.ctx, admin.id);

function request(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        // The site's Origin, as its own pages send: a cookie without it is refused (CSRF).
        headers: { cookie, origin: publicUrl, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The multipart body streamed from disk: fields, then the file, never the whole file in memory. */
function uploadStreamed(): Promise<{ status: number; json: { id: number; rowCount: number } }> {
  const boundary = '----convenebench';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\ninvite_to_community\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="hasHeader"\r\n\r\ntrue\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="invite-1m.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const length = Buffer.byteLength(head) + fs.statSync(csvPath).size + Buffer.byteLength(tail);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/admin/data-jobs',
        agent: false,
        headers: {
          cookie,
          origin: publicUrl,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': length,
        },
      },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { id: number; rowCount: number } }),
        );
      },
    );
    // A server that refuses the upload answers early and closes: the rest of the body then fails
    // to write (EPIPE), and the answer, not the write error, says why.
    let answered = false;
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.write(head);
    const file = fs.createReadStream(csvPath, { highWaterMark: 256 * 1024 });
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
    file.on('error', reject);
  });
}

const mb = () =>
  `${Math.round(process.memoryUsage().rss / 1e6)} MB rss, heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`;
process.stderr.write(`ready: ${mb()}\n`);
const memory = sampleMemory('upload');
const t0 = performance.now();
const uploaded = await uploadStreamed();
if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status}: ${JSON.stringify(uploaded.json)}`);
const t1 = performance.now();
process.stderr.write(`upload ${((t1 - t0) / 1000).toFixed(1)} s, ${mb()}\n`);
memory.phase = 'dry run';
const mapped = await request('PUT', `/api/admin/data-jobs/${uploaded.json.id}/mapping`, {
  keyColumn: 'Unique ID',
  keyType: 'unique_id',
  communityColumn: 'Community ID',
});
if (mapped.status !== 200) throw new Error(`mapping answered ${mapped.status}: ${JSON.stringify(mapped.json)}`);
const t2 = performance.now();
process.stderr.write(`dry run ${((t2 - t1) / 1000).toFixed(1)} s, ${mb()}\n`);
const started = await request('POST', `/api/admin/data-jobs/${uploaded.json.id}/start`);
if (started.status !== 200) throw new Error(`start answered ${started.status}`);
/** the time spent waiting for the parent's "go", left out of the job's figures */
let waitedMs = 0;
if (duringLoad) {
  const member = await buildPerson(runtime.ctx);
  const memberCookie = await sessionCookie(runtime.ctx, member.id);
  process.stdout.write(`${JSON.stringify({ event: 'processing', port, cookie: memberCookie })}\n`);
  // The parent loads pages for a while without the job, then says "go".
  const waitFrom = performance.now();
  await new Promise<void>((resolve) => {
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      if (chunk.includes('go')) resolve();
    });
  });
  process.stdin.pause();
  waitedMs = performance.now() - waitFrom;
}
memory.phase = 'process';
// BENCH_WATCH_PROGRESS=1: the admin's progress page, polling the job every second while it runs,
// from a process of its own (a browser's requests arrive whole; a client in this process would
// need this event loop, which the batches hold, to send them).
const watchPath = process.env.BENCH_WATCH_PROGRESS?.startsWith('/')
  ? process.env.BENCH_WATCH_PROGRESS
  : `/api/admin/data-jobs/${uploaded.json.id}`;
const poller = process.env.BENCH_WATCH_PROGRESS
  ? spawn(
      process.execPath,
      ['-e', pollerScript, String(port), watchPath, cookie, publicUrl, process.env.BENCH_WATCH_CONNECTION ?? ''],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
  : undefined;
const heapProfile = process.env.BENCH_HEAP_PROF ? await startOldGenerationProfile() : null;
const result = await processDataJob(runtime.ctx, uploaded.json.id, {
  ...(fixedBatch ? { batchSize: fixedBatch } : {}),
  // between batches, where the 50 ms timer cannot run
  heartbeat: async () => memory.sample(`processed=${await processedRows(runtime.ctx, uploaded.json.id)}`),
});
const t3 = performance.now();
if (poller) {
  let out = '';
  poller.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  const closed = new Promise((resolve) => poller.once('close', resolve));
  poller.kill('SIGTERM');
  await closed;
  const polls = (JSON.parse(out) as number[]).sort((a, b) => a - b);
  const at = (q: number) => (polls[Math.min(polls.length - 1, Math.floor(q * polls.length))] ?? 0).toFixed(0);
  process.stderr.write(
    `progress polls during processing (${watchPath}): ${polls.length}, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms\n`,
  );
}
memory.stop();
await heapProfile?.report();
const arenasAtEnd = mallocArenas();
if (duringLoad) process.stdout.write(`${JSON.stringify({ event: 'processed' })}\n`);
const job = (await request('GET', `/api/admin/data-jobs/${uploaded.json.id}`)).json as {
  counters: unknown;
  rowCount: number;
  dryRun: { outcomes: unknown };
};
await app.close();
await runtime.close();
process.stdout.write(
  `${JSON.stringify({
    result,
    rows: uploaded.json.rowCount,
    uploadMs: t1 - t0,
    dryRunMs: t2 - t1,
    processMs: t3 - t2 - waitedMs,
    totalMs: t3 - t0 - waitedMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    memory: process.memoryUsage(),
    phasePeakMb: memory.peakRssMb,
    phaseHeapMb: memory.peakHeapMb,
    mallocArenas: arenasAtEnd,
    counters: job.counters,
    dryRun: job.dryRun.outcomes,
  })}\n`,
);
