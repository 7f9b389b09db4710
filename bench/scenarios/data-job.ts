/**
 * The headline: a 1,000,000-row invite CSV over a site of 1,000,000 people and 1,000
 * communities — upload (streamed over HTTP) → staged → dry run → processed — run in a child
 * process whose peak RSS is read at the end. SQLite always; PostgreSQL too when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set (DATA_JOB_DB=sqlite|postgres runs one).
 * DATA_JOB_ROWS / DATA_JOB_PEOPLE shrink it.
 *
 * On SQLite a second run loads pages from the job's process while the job runs (as `convene
 * serve` with its worker does): 50 clients asking for a member's home (`/api/me`, then
 * `/api/me/recommended-communities`), `home_during_job.p95_ms` (target < 150 ms).
 * DATA_JOB_DURING=0 skips it; DATA_JOB_DURING_FIXED_BATCH=<rows> runs that job in fixed batches
 * (the code before batches were sized by time), for comparison.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoUniqueIdOf } from '../../src/server/demo/generate.js';
import { compiledBenchChild, runBenchChild } from '../lib/compiled.js';
import { percentile, round, type BenchFigure } from '../lib/figures.js';
import { benchDataDir, benchPgAdminUrl, prepareBenchSite } from '../lib/site.js';

const rows = Number(process.env.DATA_JOB_ROWS ?? 1_000_000);
const people = Number(process.env.DATA_JOB_PEOPLE ?? 1_000_000);
const communities = 1_000;
/** how long the 50 clients load pages before the job starts (the figure without the job) */
const beforeJobMs = 15_000;

/**
 * The CSV: row i invites person (i * 7919) mod people into community i mod 1000 + 1; one row in
 * 200 is bad (unknown person, unknown community, not an ID, or a repeat of the previous row).
 */
function writeCsv(file: string): void {
  if (fs.existsSync(file)) return;
  const out = fs.openSync(`${file}.tmp`, 'w');
  let buf = 'Community ID,Unique ID\r\n';
  for (let i = 0; i < rows; i++) {
    const community = (i % communities) + 1;
    const n = (i * 7919) % people;
    const uid = demoUniqueIdOf(n) ?? `U${String(n + 1).padStart(7, '0')}`;
    const bad = i % 200;
    if (bad === 1) buf += `${community},X${i}\r\n`;
    else if (bad === 2) buf += `${communities + 5},${uid}\r\n`;
    else if (bad === 3) buf += `abc,${uid}\r\n`;
    else buf += `${community},${uid}\r\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
  fs.renameSync(`${file}.tmp`, file);
}

interface ChildResult {
  result: string;
  rows: number;
  uploadMs: number;
  dryRunMs: number;
  processMs: number;
  totalMs: number;
  maxRssMb: number;
  cpuMs: number;
  counters: unknown;
  dryRun: unknown;
}

async function runOn(dialect: 'sqlite' | 'postgres', csv: string): Promise<BenchFigure[]> {
  const site = await prepareBenchSite(dialect, { people, communities });
  try {
    const r = await runBenchChild<ChildResult>('data-job-child', [site.url, csv], 15 * 60_000);
    const load = os.loadavg()[0].toFixed(1);
    process.stderr.write(
      `   [${dialect}] ${r.rows} rows: upload ${(r.uploadMs / 1000).toFixed(1)} s, dry run ${(r.dryRunMs / 1000).toFixed(1)} s, ` +
        `processing ${(r.processMs / 1000).toFixed(1)} s, total ${(r.totalMs / 1000).toFixed(1)} s, peak RSS ${r.maxRssMb.toFixed(0)} MB, ` +
        `CPU of the job's process ${(r.cpuMs / 1000).toFixed(1)} s, load average ${load}\n` +
        `   dry run ${JSON.stringify(r.dryRun)}\n   counters ${JSON.stringify(r.counters)}\n`,
    );
    const perS = (ms: number) => Math.round(r.rows / (ms / 1000));
    return [
      {
        name: 'data_job.total_s',
        value: round(r.totalMs / 1000),
        unit: 's',
        db: dialect,
        note: `${r.rows} rows, target ${dialect === 'sqlite' ? 20 : 40} s, load average ${load}`,
      },
      {
        name: 'data_job.cpu_s',
        value: round(r.cpuMs / 1000),
        unit: 's',
        db: dialect,
        note: "CPU time of the process that uploads and runs the job (PostgreSQL's own not included)",
      },
      { name: 'data_job.peak_rss_mb', value: Math.round(r.maxRssMb), unit: 'MB', db: dialect, note: 'target < 400' },
      { name: 'data_job.upload_rows_per_s', value: perS(r.uploadMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.dry_run_rows_per_s', value: perS(r.dryRunMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.process_rows_per_s', value: perS(r.processMs), unit: 'rows/s', db: dialect },
      { name: 'data_job.upload_s', value: round(r.uploadMs / 1000), unit: 's', db: dialect },
      { name: 'data_job.dry_run_s', value: round(r.dryRunMs / 1000), unit: 's', db: dialect },
      { name: 'data_job.process_s', value: round(r.processMs / 1000), unit: 's', db: dialect },
    ];
  } finally {
    await site.drop();
  }
}

/** The job again, with 50 clients loading a member's home page from the same process while it runs. */
async function duringJobOn(csv: string): Promise<BenchFigure[]> {
  const site = await prepareBenchSite('sqlite', { people, communities });
  const fixed = process.env.DATA_JOB_DURING_FIXED_BATCH;
  try {
    const child = spawn(
      process.execPath,
      [await compiledBenchChild('data-job-child'), site.url, csv, fixed ? `--during-load=${fixed}` : '--during-load'],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let done = false;
    const latencies: number[] = [];
    // The same load for a while before the job starts: what the pages take on this machine, now,
    // without the job (a busy machine makes both figures worse; their difference is the job's).
    const before: number[] = [];
    let jobStarted = false;
    let failures = 0;
    let loading: Promise<void> = Promise.resolve();
    let last = '';
    let buffer = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const message = JSON.parse(line) as { event?: string; port?: number; cookie?: string };
        if (message.event === 'processed') {
          done = true;
          continue;
        }
        if (message.event !== 'processing') {
          last = line;
          continue;
        }
        // 50 clients, each asking again as soon as it has its answer. Every request started while
        // the job runs is timed to its end, however long it takes (a load tool with a fixed
        // duration would drop the slowest ones still in flight when its time is up).
        const origin = `http://127.0.0.1:${message.port}`;
        const cookie = message.cookie ?? '';
        loading = Promise.all(
          Array.from({ length: 50 }, async (_, c) => {
            for (let n = c; !done; n++) {
              const t0 = performance.now();
              let status = 0;
              try {
                const res = await fetch(`${origin}${n % 2 ? '/api/me/recommended-communities' : '/api/me'}`, {
                  headers: { cookie },
                });
                await res.arrayBuffer();
                status = res.status;
              } catch {
                // the job's process closing after the job: not an answer to count
                if (done) break;
              }
              (jobStarted ? latencies : before).push(performance.now() - t0);
              if (status !== 200) failures += 1;
            }
          }),
        ).then(() => undefined);
        setTimeout(() => {
          jobStarted = true;
          child.stdin.write('go\n');
        }, beforeJobMs);
      }
    });
    const code = await exited;
    done = true;
    await loading;
    if (code !== 0) throw new Error(`the job's process exited with ${code}`);
    const r = JSON.parse(last) as ChildResult;
    const load = os.loadavg()[0].toFixed(1);
    const p95 = round(percentile(latencies, 95));
    const p95Before = round(percentile(before, 95));
    const max = round(latencies.reduce((a, b) => Math.max(a, b), 0));
    process.stderr.write(
      `   [sqlite] during the job (${fixed ? `fixed batches of ${fixed} rows` : 'batches sized by time'}): ` +
        `${latencies.length} page requests, p95 ${p95} ms, max ${max} ms, ${failures} not 200 ` +
        `(before the job: ${before.length} requests, p95 ${p95Before} ms); ` +
        `processing ${(r.processMs / 1000).toFixed(1)} s, load average ${load}\n`,
    );
    const note = `${r.rows} rows${fixed ? `, fixed batches of ${fixed}` : ''}, 50 clients, load average ${load}`;
    return [
      { name: 'home_during_job.p95_ms', value: p95, unit: 'ms', db: 'sqlite', note: `target < 150; ${note}` },
      { name: 'home_during_job.p50_ms', value: round(percentile(latencies, 50)), unit: 'ms', db: 'sqlite', note },
      { name: 'home_during_job.max_ms', value: max, unit: 'ms', db: 'sqlite', note },
      { name: 'home_during_job.requests', value: latencies.length, unit: 'requests', db: 'sqlite', note },
      {
        name: 'home_before_job.p95_ms',
        value: p95Before,
        unit: 'ms',
        db: 'sqlite',
        note: `the same 50 clients for ${beforeJobMs / 1000} s before the job started; ${note}`,
      },
      {
        name: 'home_before_job.p50_ms',
        value: round(percentile(before, 50)),
        unit: 'ms',
        db: 'sqlite',
        note: `the same 50 clients for ${beforeJobMs / 1000} s before the job started; ${note}`,
      },
      { name: 'home_during_job.not_ok', value: failures, unit: 'requests', db: 'sqlite', note },
      { name: 'home_during_job.process_s', value: round(r.processMs / 1000), unit: 's', db: 'sqlite', note },
    ];
  } finally {
    await site.drop();
  }
}

/** The invite CSV the data job uploads, written once under bench/data/ (the csv-parse scenario reads it too). */
export function inviteCsv(): { file: string; rows: number } {
  fs.mkdirSync(benchDataDir, { recursive: true });
  const file = path.join(benchDataDir, `invite-${rows}-over-${people}.csv`);
  writeCsv(file);
  return { file, rows };
}

export async function run(): Promise<BenchFigure[]> {
  const csv = inviteCsv().file;
  const only = process.env.DATA_JOB_DB;
  const figures: BenchFigure[] = [];
  if (only !== 'postgres') figures.push(...(await runOn('sqlite', csv)));
  if (only !== 'postgres' && process.env.DATA_JOB_DURING !== '0') figures.push(...(await duringJobOn(csv)));
  if (only !== 'sqlite' && benchPgAdminUrl()) figures.push(...(await runOn('postgres', csv)));
  return figures;
}
